import { Alert, Button, Group, Loader, NumberInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Page } from '../../api/client.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { NoWanOptionsResult } from './no-wan-options-result.tsx';
import type { Job, NoWanOptionsReport } from './no-wan-options-types.ts';

const JOB = 'no-wan-options';
const running = (j: Job | undefined) => !!j && (j.state === 'created' || j.state === 'active' || j.state === 'retry');

/**
 * The 2012 SDAG paper's no-WAN options, side by side (`meterops report no-wan-options`): the study
 * runs as a job on the server (seconds of CPU); the page shows the party's newest run, and polls a
 * run in progress until it is done.
 */
export default function NoWanOptionsDashboard() {
  const qc = useQueryClient();
  const [premises, setPremises] = useState<number | string>(3000);
  const [seed, setSeed] = useState('no-wan-options');
  const [jobId, setJobId] = useState<string | null>(null);
  // The newest run of this party, if the page opens with none chosen.
  const newest = useQuery({
    queryKey: ['/v1/jobs', JOB],
    queryFn: async () => (await api<Page<'jobs', Job>>('/v1/jobs', { query: { limit: 50 } })).jobs.find((j) => j.name === JOB) ?? null,
    enabled: jobId === null,
  });
  const id = jobId ?? newest.data?.id ?? null;
  const job = useQuery({
    queryKey: ['/v1/jobs/', id],
    queryFn: () => api<Job>(`/v1/jobs/${id}`),
    enabled: id !== null,
    refetchInterval: (q) => (running(q.state.data) ? 1000 : false),
  });
  const run = useMutation({
    mutationFn: () => api<{ job: Job }>('/v1/reports/no-wan-options', { method: 'POST', body: { premises: Number(premises), seed: seed.trim() } }),
    onSuccess: (r) => {
      setJobId(r.job.id);
      void qc.invalidateQueries({ queryKey: ['/v1/jobs', JOB] });
    },
  });
  const j = job.data;
  return (
    <Stack>
      <Title order={1}>No-WAN options side by side</Title>
      <Text c="dimmed">
        The eight ways the 2012 SDAG paper lists to install and maintain smart metering equipment with no WAN at the visit, each run as a mechanism in the simulated world at the
        no-WAN premises of a generated fleet, with the attacks on each actually run (docs/no-wan-options.md). Every cell comes from a run or a stated, configurable assumption. This
        is a simulation: it reads no party&apos;s data.
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          run.mutate();
        }}
      >
        <Group align="end">
          <NumberInput label="Premises in the generated fleet" min={100} max={20000} step={100} value={premises} onChange={setPremises} w={220} />
          <TextInput label="Fleet seed" value={seed} onChange={(e) => setSeed(e.currentTarget.value)} w={220} />
          <Button type="submit" loading={run.isPending} disabled={running(j)}>
            Run the study
          </Button>
        </Group>
      </form>
      {run.error && <ProblemAlert error={run.error} title="The study was not started" />}
      {newest.error && <ProblemAlert error={newest.error} />}
      {id === null && !newest.isPending && (
        <Text c="dimmed" data-testid="empty">
          No run yet: run the study (about 4 s of the server&apos;s CPU at 3,000 premises).
        </Text>
      )}
      {job.error && <ProblemAlert error={job.error} />}
      <div role="status" aria-live="polite">
        {running(j) && (
          <Group gap="xs">
            <Loader size="xs" />
            <Text size="sm">The study is running on the server ({j!.state})…</Text>
          </Group>
        )}
        {j?.state === 'completed' && (
          <Text size="sm" data-testid="run-done">
            Run of {new Date(j.createdAt).toLocaleString('en-GB')} finished.
          </Text>
        )}
      </div>
      {j?.state === 'failed' && (
        <Alert color="red" title="The study failed" data-testid="run-failed">
          {j.error?.message ?? 'no error was recorded'}
          {j.error?.code ? ` (${j.error.code})` : ''}
        </Alert>
      )}
      {j?.state === 'completed' && j.result !== null && <NoWanOptionsResult r={j.result as NoWanOptionsReport} />}
    </Stack>
  );
}
