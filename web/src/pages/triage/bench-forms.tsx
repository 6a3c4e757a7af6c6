import { Autocomplete, Badge, Button, Card, Checkbox, Group, NativeSelect, Radio, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import type { Me } from '../../auth/session.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { RETURN_REASONS, TRIAGE_STEPS, type BenchResult, type Facility, type ReturnLine, type Seal } from './types.ts';

/** A change on the bench: on success everything shown is fetched again (the server's state is the page's). */
function useBenchChange<B, R>(path: string, method: 'POST' = 'POST') {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: B) => api<R>(path, { method, body }),
    onSuccess: () => qc.invalidateQueries(),
  });
}

const linePath = (line: ReturnLine, action: string) => `/v1/return-lines/${encodeURIComponent(line.id)}/${action}`;

/** Take the device back from its premise: a return of one line. */
export function CreateReturnForm({ eui }: { eui: string }) {
  const [reason, setReason] = useState('no-fault-general');
  const m = useBenchChange<unknown, unknown>('/v1/returns');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    m.mutate({ lines: [{ deviceEui: eui, reason }] });
  };
  return (
    <Card withBorder component="section" aria-labelledby="create-return">
      <form onSubmit={submit}>
        <Stack gap="xs">
          <Title order={3} size="h4" id="create-return">
            Create a return
          </Title>
          <Autocomplete label="Reason" data={RETURN_REASONS} value={reason} onChange={setReason} required />
          <ProblemAlert error={m.error} />
          <Group>
            <Button type="submit" loading={m.isPending}>
              Create return
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

/** Hand over custody, with each seal seen and whether it is intact. */
export function HandOverForm({ line, me }: { line: ReturnLine; me: Me }) {
  const [toPartyId, setTo] = useState(me.partyId);
  const [site, setSite] = useState('alpha-lab');
  const [seals, setSeals] = useState<Seal[]>([{ id: '', intact: true }]);
  const [note, setNote] = useState('');
  const m = useBenchChange<unknown, ReturnLine>(linePath(line, 'handover'));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const given = seals.filter((s) => s.id.trim() !== '').map((s) => ({ id: s.id.trim(), intact: s.intact }));
    m.mutate({ toPartyId, site, ...(given.length ? { seals: given } : {}), ...(note ? { note } : {}) });
  };
  const setSeal = (i: number, s: Partial<Seal>) => setSeals(seals.map((x, j) => (j === i ? { ...x, ...s } : x)));
  return (
    <Card withBorder component="section" aria-labelledby="handover">
      <form onSubmit={submit}>
        <Stack gap="xs">
          <Title order={3} size="h4" id="handover">
            Hand over
          </Title>
          <Group grow>
            <TextInput label="To party" value={toPartyId} onChange={(e) => setTo(e.currentTarget.value)} required />
            <TextInput label="Site (facility id or place)" value={site} onChange={(e) => setSite(e.currentTarget.value)} required />
          </Group>
          {seals.map((s, i) => (
            <Group key={i} align="end">
              <TextInput label={`Seal number ${i + 1}`} value={s.id} onChange={(e) => setSeal(i, { id: e.currentTarget.value })} />
              <Checkbox label={`Seal ${i + 1} intact`} checked={s.intact} onChange={(e) => setSeal(i, { intact: e.currentTarget.checked })} mb={8} />
            </Group>
          ))}
          <TextInput label="Note" value={note} onChange={(e) => setNote(e.currentTarget.value)} />
          <ProblemAlert error={m.error} />
          {m.isSuccess && (
            <Text size="sm" role="status">
              Handed to {m.data.custodianPartyId} at {m.data.site} (custody pass {m.data.custodyPass}).
            </Text>
          )}
          <Group>
            <Button variant="default" onClick={() => setSeals([...seals, { id: '', intact: true }])}>
              Add a seal
            </Button>
            <Button type="submit" loading={m.isPending}>
              Hand over
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

const STEP_COLOR: Record<string, string> = { pass: 'teal.9', fail: 'red.9', skipped: 'gray.7' };

/** One triage pass on the bench: the plan, and each step's result as the bench answered it. */
export function TriageForm({ line }: { line: ReturnLine }) {
  const facilities = useQuery({ queryKey: ['/v1/facilities'], queryFn: () => api<{ facilities: Facility[] }>('/v1/facilities', { query: { limit: 100 } }) });
  const [facilityId, setFacility] = useState('');
  const [method, setMethod] = useState<'gold' | 'bronze'>('gold');
  const [steps, setSteps] = useState<string[]>([...TRIAGE_STEPS]);
  const m = useBenchChange<unknown, { line: ReturnLine; result: BenchResult }>(linePath(line, 'triage'));
  const chosen = facilityId || facilities.data?.facilities[0]?.id || line.site;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    m.mutate({ facilityId: chosen, method, steps: TRIAGE_STEPS.filter((s) => steps.includes(s)) });
  };
  const plan = m.isPending ? (m.variables as { steps: string[] }).steps : null;
  const result = m.data?.result;
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
          <ProblemAlert error={m.error} />
          <Group>
            <Button type="submit" loading={m.isPending}>
              Run triage
            </Button>
          </Group>
        </Stack>
      </form>
      {(plan || result) && (
        <Table mt="sm" fz="sm" aria-label="triage steps" data-testid="triage-steps">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Step</Table.Th>
              <Table.Th>Result</Table.Th>
              <Table.Th>Observations</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {plan
              ? plan.map((s) => (
                  <Table.Tr key={s}>
                    <Table.Td>{s}</Table.Td>
                    <Table.Td>
                      <Badge color="blue.9">on the bench…</Badge>
                    </Table.Td>
                    <Table.Td />
                  </Table.Tr>
                ))
              : result!.steps.map((s) => (
                  <Table.Tr key={s.step}>
                    <Table.Td>{s.step}</Table.Td>
                    <Table.Td>
                      <Badge color={STEP_COLOR[s.result] ?? 'blue.9'}>{s.result}</Badge>
                    </Table.Td>
                    <Table.Td>{s.observations.join('; ')}</Table.Td>
                  </Table.Tr>
                ))}
          </Table.Tbody>
        </Table>
      )}
      {result && (
        <Text mt="xs" role="status" data-testid="triage-outcome">
          Outcome recorded: <b>{result.outcome}</b>
          {result.fault ? ` (fault ${result.fault})` : ''}
          {result.credentials ? ` · Supplier cell ${result.credentials.supplier}, NO cell ${result.credentials.networkOperator}` : ''}
        </Text>
      )}
    </Card>
  );
}

/** Refurbish to vanilla credentials, grade and stock; or scrap a triaged device. */
export function RefurbishForm({ line }: { line: ReturnLine }) {
  const [grade, setGrade] = useState('A');
  const [location, setLocation] = useState('');
  const [newSeals, setNewSeals] = useState('');
  const [scrapReason, setScrapReason] = useState('');
  const m = useBenchChange<unknown, ReturnLine>(linePath(line, 'refurbish'));
  const s = useBenchChange<unknown, ReturnLine>(linePath(line, 'scrap'));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const seals = newSeals
      .split(/[\s,]+/)
      .map((x) => x.trim())
      .filter(Boolean);
    m.mutate({ grade, location, ...(seals.length ? { newSeals: seals } : {}) });
  };
  return (
    <Card withBorder component="section" aria-labelledby="refurbish">
      <form onSubmit={submit}>
        <Stack gap="xs">
          <Title order={3} size="h4" id="refurbish">
            Refurbish
          </Title>
          <Group grow>
            <NativeSelect label="Grade" value={grade} onChange={(e) => setGrade(e.currentTarget.value)} data={['A', 'B', 'C']} />
            <TextInput label="Stock location" value={location} onChange={(e) => setLocation(e.currentTarget.value)} required />
          </Group>
          <TextInput label="New seal numbers (if the seals are broken)" value={newSeals} onChange={(e) => setNewSeals(e.currentTarget.value)} />
          <ProblemAlert error={m.error} />
          {m.isSuccess && (
            <Text size="sm" role="status">
              {m.data.state === 'scrapped'
                ? `Scrapped: ${m.data.scrapReason}`
                : `Refurbished${m.data.vanilla ? ' to vanilla credentials' : ''}, grade ${m.data.grade}, stocked at ${m.data.stockLocation}.`}
            </Text>
          )}
          <Group>
            <Button type="submit" loading={m.isPending}>
              Refurbish
            </Button>
          </Group>
        </Stack>
      </form>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          s.mutate({ reason: scrapReason });
        }}
      >
        <Group align="end" mt="sm">
          <TextInput label="Scrap reason" value={scrapReason} onChange={(e) => setScrapReason(e.currentTarget.value)} required />
          <Button type="submit" color="red" variant="outline" loading={s.isPending}>
            Scrap
          </Button>
        </Group>
        <ProblemAlert error={s.error} />
      </form>
    </Card>
  );
}

/** Reinstall a stocked device at a premise the Supplier supplies. */
export function ReinstallForm({ line }: { line: ReturnLine }) {
  const [premiseId, setPremise] = useState('');
  const m = useBenchChange<unknown, ReturnLine>(linePath(line, 'reinstall'));
  return (
    <Card withBorder component="section" aria-labelledby="reinstall">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          m.mutate({ premiseId });
        }}
      >
        <Stack gap="xs">
          <Title order={3} size="h4" id="reinstall">
            Reinstall
          </Title>
          <TextInput label="Premise" value={premiseId} onChange={(e) => setPremise(e.currentTarget.value)} required />
          <ProblemAlert error={m.error} />
          {m.isSuccess && (
            <Text size="sm" role="status">
              Reinstalled at {premiseId}: NO cell {m.data.noCredential}.
            </Text>
          )}
          <Group>
            <Button type="submit" loading={m.isPending}>
              Reinstall
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
