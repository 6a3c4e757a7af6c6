import { Badge, Button, Card, Checkbox, Group, Loader, NativeSelect, Radio, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { postStreamed, type StreamEvent } from '../../api/ndjson.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { TRIAGE_STEPS, type BenchResult, type Facility, type ReturnLine, type StepResult } from './types.ts';

const STEP_COLOR: Record<string, string> = { pass: 'teal.9', fail: 'red.9', skipped: 'gray.7' };
const STEP_WORD: Record<string, string> = { pass: 'passed', fail: 'failed', skipped: 'skipped' };

/** A pass on the bench as the page follows it: the plan, each step's result as it came, then the outcome. */
interface Run {
  readonly plan: readonly string[];
  readonly steps: readonly StepResult[];
  readonly result: BenchResult | null;
  readonly error: unknown;
  readonly running: boolean;
  /** Every refusal check passed: the plan is on the bench. */
  readonly started: boolean;
  /** What the live region says: the latest news of the pass. */
  readonly news: string;
}

/**
 * Runs the plan with the answer streamed (Accept: application/x-ndjson), so each step's row fills
 * in as the bench finishes it. A refusal comes before any step (problem+json); a failure after the
 * start comes as a problem line, the pass rolled back on the server.
 */
function useTriageRun(path: string) {
  const qc = useQueryClient();
  const [run, setRun] = useState<Run | null>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);
  const start = (body: { facilityId: string; method: string; steps: string[] }) => {
    abort.current?.abort();
    const ac = (abort.current = new AbortController());
    setRun({ plan: body.steps, steps: [], result: null, error: null, running: true, started: false, news: 'Sending the plan to the bench…' });
    const onEvent = (e: StreamEvent) =>
      setRun((r) => {
        if (!r) return r;
        if (e.kind === 'started') {
          const plan = e.steps as string[];
          return { ...r, plan, started: true, news: `On the bench: ${plan[0] ?? ''} (step 1 of ${plan.length})…` };
        }
        if (e.kind === 'step') {
          const s = e.step as StepResult;
          const index = e.index as number;
          const total = e.total as number;
          const next = r.plan[index + 1];
          const said = `Step ${index + 1} of ${total}, ${s.step}: ${STEP_WORD[s.result] ?? s.result}.`;
          return { ...r, steps: [...r.steps.slice(0, index), s], news: next ? `${said} Now ${next}…` : `${said} Recording the outcome…` };
        }
        return r;
      });
    postStreamed(path, body, onEvent, ac.signal).then(
      (last) => {
        if (ac.signal.aborted) return;
        const result = last.kind === 'done' ? (last.result as BenchResult) : null;
        setRun(
          (r) =>
            r && {
              ...r,
              running: false,
              ...(result ? { steps: result.steps, result, news: `Outcome recorded: ${result.outcome}` } : { error: new Error('the stream ended before the outcome'), news: '' }),
            },
        );
        void qc.invalidateQueries();
      },
      (error: unknown) => {
        if (ac.signal.aborted) return;
        setRun((r) => r && { ...r, running: false, error, news: r.steps.length ? 'The pass failed on the bench; nothing was recorded.' : '' });
        void qc.invalidateQueries();
      },
    );
  };
  return { run, start };
}

/** One triage pass on the bench: the plan, and each step's result as the bench answers it. */
export function TriageForm({ line }: { line: ReturnLine }) {
  const facilities = useQuery({ queryKey: ['/v1/facilities'], queryFn: () => api<{ facilities: Facility[] }>('/v1/facilities', { query: { limit: 100 } }) });
  const [facilityId, setFacility] = useState('');
  const [method, setMethod] = useState<'gold' | 'bronze'>('gold');
  const [steps, setSteps] = useState<string[]>([...TRIAGE_STEPS]);
  const { run, start } = useTriageRun(`/v1/return-lines/${encodeURIComponent(line.id)}/triage`);
  const chosen = facilityId || facilities.data?.facilities[0]?.id || line.site;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    start({ facilityId: chosen, method, steps: TRIAGE_STEPS.filter((s) => steps.includes(s)) });
  };
  return (
    <Card withBorder component="section" aria-labelledby="triage">
      <form onSubmit={submit}>
        <Stack gap="xs">
          <Title order={3} size="h4" id="triage">
            Triage on the bench
          </Title>
          <NativeSelect
            label="Facility"
            value={chosen}
            onChange={(e) => setFacility(e.currentTarget.value)}
            data={[
              ...(facilities.data?.facilities ?? []).map((f) => ({ value: f.id, label: `${f.id}: ${f.name}${f.secure ? ' (secure)' : ' (not secure)'}` })),
              ...(facilities.data?.facilities.some((f) => f.id === line.site) ? [] : [{ value: line.site, label: `${line.site} (where it was handed over)` }]),
            ]}
          />
          <Radio.Group label="Method" value={method} onChange={(v) => setMethod(v as 'gold' | 'bronze')}>
            <Group mt={4}>
              <Radio value="gold" label="Gold (DCC test hub)" />
              <Radio value="bronze" label="Bronze (manufacturer's tool, opens the case)" />
            </Group>
          </Radio.Group>
          <Checkbox.Group label="Plan" value={steps} onChange={setSteps}>
            <Group mt={4}>
              {TRIAGE_STEPS.map((s) => (
                <Checkbox key={s} value={s} label={s} />
              ))}
            </Group>
          </Checkbox.Group>
          <ProblemAlert error={run?.error} />
          <Group>
            <Button type="submit" loading={run?.running ?? false}>
              Run triage
            </Button>
          </Group>
        </Stack>
      </form>
      {run?.started && <StepTable run={run} />}
      <div role="status" aria-live="polite" data-testid="triage-progress">
        {run?.result ? (
          <Text mt="xs" data-testid="triage-outcome">
            Outcome recorded: <b>{run.result.outcome}</b>
            {run.result.fault ? ` (fault ${run.result.fault})` : ''}
            {run.result.credentials ? ` · Supplier cell ${run.result.credentials.supplier}, NO cell ${run.result.credentials.networkOperator}` : ''}
          </Text>
        ) : run?.news ? (
          <Text mt="xs" size="sm">
            {run.news}
          </Text>
        ) : null}
      </div>
    </Card>
  );
}

/** The plan's rows: those the bench has answered with their result, the next one running, the rest waiting. */
function StepTable({ run }: { run: Run }) {
  return (
    <Table mt="sm" fz="sm" aria-label="triage steps" data-testid="triage-steps" aria-busy={run.running}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Step</Table.Th>
          <Table.Th>Result</Table.Th>
          <Table.Th>Observations</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {run.plan.map((name, i) => {
          const s = run.steps[i];
          const state = s ? s.result : run.running && i === run.steps.length ? 'running' : run.running ? 'waiting' : 'not run';
          return (
            <Table.Tr key={name} data-step={name} data-state={state}>
              <Table.Td>{name}</Table.Td>
              <Table.Td>
                {s ? (
                  <Badge color={STEP_COLOR[s.result] ?? 'blue.9'}>{s.result}</Badge>
                ) : state === 'running' ? (
                  <Group gap={6} wrap="nowrap">
                    <Loader size="xs" aria-hidden />
                    <Badge color="blue.9">running</Badge>
                  </Group>
                ) : (
                  <Text size="xs" c="dimmed">
                    {state}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{s ? s.observations.join('; ') : ''}</Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
