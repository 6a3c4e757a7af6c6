import { Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { EChartsOption } from 'echarts';
import { useMemo } from 'react';
import { api } from '../../api/client.ts';
import { QueryState } from '../../components/query-state.tsx';
import { RefreshControl, useAutoRefresh } from './auto-refresh.tsx';
import { Chart } from './chart.tsx';

/** GET /v1/reports/response-times (the simulated routes, with each one's distribution). */
interface RouteLatency {
  readonly route: string;
  readonly target: { readonly seconds: number; readonly name: string } | null;
  readonly samples: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly withinTarget: number | null;
  readonly confirmed: boolean;
  readonly note: string;
  readonly histogram: ReadonlyArray<{ readonly upToSeconds: number | null; readonly count: number }>;
}
interface ResponseTimes {
  readonly targets: { readonly onDemandSeconds: number; readonly alertSeconds: number };
  readonly samples: number;
  readonly simulated: RouteLatency[];
}

/** A duration as a person reads it: seconds, minutes, hours or days. */
export const duration = (s: number): string =>
  s < 120 ? `${s.toFixed(1)} s` : s < 7200 ? `${(s / 60).toFixed(1)} min` : s < 172_800 ? `${(s / 3600).toFixed(1)} h` : `${(s / 86_400).toFixed(1)} d`;
const edge = (s: number): string => (s < 60 ? `${s} s` : s < 3600 ? `${s / 60} min` : s < 86_400 ? `${s / 3600} h` : `${s / 86_400} d`);
const bucketLabel = (upTo: number | null, prev: number | null): string => (upTo === null ? `> ${edge(prev!)}` : `≤ ${edge(upTo)}`);

function RouteHistogram({ r }: { r: RouteLatency }) {
  const option = useMemo<EChartsOption>(() => {
    const labels = r.histogram.map((b, i) => bucketLabel(b.upToSeconds, i > 0 ? r.histogram[i - 1]!.upToSeconds : null));
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 40, right: 12, bottom: 56, top: 24 },
      xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, rotate: 40 } },
      yAxis: { type: 'value', name: 'samples', minInterval: 1 },
      series: [
        {
          type: 'bar',
          data: r.histogram.map((b) => ({
            value: b.count,
            // Within the route's target: green; beyond it: red (a route with no target: indigo).
            itemStyle: { color: !r.target ? '#364fc7' : b.upToSeconds !== null && b.upToSeconds <= r.target.seconds ? '#2b8a3e' : '#c92a2a' },
          })),
        },
      ],
    };
  }, [r]);
  const target = r.target ? `the ${r.target.seconds} s ${r.target.name} target` : 'no target';
  return (
    <Card withBorder data-testid={`route-${r.route}`}>
      <Title order={3} size="h5">
        {r.route}
      </Title>
      <Text size="xs" c="dimmed">
        {r.note}
      </Text>
      <Chart option={option} height={220} label={`Histogram: response times of the ${r.route} route over ${r.samples} samples, against ${target}`} />
      <Text size="sm" data-testid="route-summary">
        {r.target
          ? r.withinTarget === null
            ? `Target ${r.target.seconds} s: the response is not confirmed on this route.`
            : `${r.withinTarget}% within the ${r.target.seconds} s target.`
          : 'No target.'}{' '}
        p50 {duration(r.p50)}, p95 {duration(r.p95)}, max {duration(r.max)}.
      </Text>
    </Card>
  );
}

/** Response times per route against the DCC's targets (on-demand 30 s, alerts 60 s): the distribution, and the percentiles. */
export default function ResponseTimesDashboard() {
  const refresh = useAutoRefresh();
  const q = useQuery({ queryKey: ['/v1/reports/response-times'], queryFn: () => api<ResponseTimes>('/v1/reports/response-times'), refetchInterval: refresh.refetchInterval });
  return (
    <Stack>
      <Group justify="space-between" align="baseline">
        <Title order={1}>Response times per route</Title>
        <RefreshControl updatedAt={q.dataUpdatedAt} fetching={q.isFetching} paused={refresh.paused} toggle={refresh.toggle} />
      </Group>
      <Text c="dimmed">
        Request to confirmed response on each route, against the DCC&apos;s targets (on-demand 30 s, alerts 60 s): each sample runs a real command through a simulated meter, with
        the transport delays of a stated model (docs/no-wan.md). Green bars are within the route&apos;s target.
      </Text>
      <QueryState query={q} empty={(d) => d.simulated.length === 0} emptyText="No routes were simulated.">
        {(d) => (
          <Stack>
            <Table withTableBorder fz="sm" data-testid="response-times-table">
              <Table.Caption>
                Response times, {d.samples} samples per route (targets: on-demand {d.targets.onDemandSeconds} s, alerts {d.targets.alertSeconds} s)
              </Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Route</Table.Th>
                  <Table.Th scope="col">Target</Table.Th>
                  <Table.Th scope="col">p50</Table.Th>
                  <Table.Th scope="col">p95</Table.Th>
                  <Table.Th scope="col">p99</Table.Th>
                  <Table.Th scope="col">Max</Table.Th>
                  <Table.Th scope="col">Within target</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.simulated.map((r) => (
                  <Table.Tr key={r.route} data-route={r.route}>
                    <Table.Th scope="row">{r.route}</Table.Th>
                    <Table.Td>{r.target ? `${r.target.seconds} s` : '–'}</Table.Td>
                    <Table.Td>{duration(r.p50)}</Table.Td>
                    <Table.Td>{duration(r.p95)}</Table.Td>
                    <Table.Td>{duration(r.p99)}</Table.Td>
                    <Table.Td>{duration(r.max)}</Table.Td>
                    <Table.Td data-cell="within">{r.withinTarget === null ? 'not confirmed' : `${r.withinTarget}%`}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Title order={2} size="h3">
              Distribution per route
            </Title>
            <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }}>
              {d.simulated.map((r) => (
                <RouteHistogram key={r.route} r={r} />
              ))}
            </SimpleGrid>
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
