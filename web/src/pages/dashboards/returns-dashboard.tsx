import { Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { EChartsOption } from 'echarts';
import { useMemo } from 'react';
import { api } from '../../api/client.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { RefreshControl, useAutoRefresh } from './auto-refresh.tsx';
import { ChartCard } from './chart.tsx';
import { StockByLocation } from './stock-by-location.tsx';
import { DIMENSION_LABEL, DIMENSIONS, pounds, rate, type Dimension, type GroupFigures, type ReturnOrder, type ReturnsReport } from './types.ts';

const report = (exclude: boolean, refetchInterval: number | false) => ({
  queryKey: ['/v1/reports/returns', exclude],
  queryFn: () => api<ReturnsReport>('/v1/reports/returns', { query: { excludeChangeOfSupplier: String(exclude) } }),
  refetchInterval,
});

function NffByDimension({ dim, all, withoutCos }: { dim: Dimension; all: GroupFigures[]; withoutCos: GroupFigures[] }) {
  const keys = all.map((g) => g.key);
  const other = new Map(withoutCos.map((g) => [g.key, g]));
  const option = useMemo<EChartsOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: ['all returns', 'without change of supplier'] },
      grid: { left: 48, right: 16, bottom: 64, top: 40 },
      xAxis: { type: 'category', data: keys, axisLabel: { interval: 0, rotate: keys.length > 3 ? 30 : 0 } },
      yAxis: { type: 'value', name: 'NFF %', max: 100 },
      series: [
        { name: 'all returns', type: 'bar', data: all.map((g) => g.nffRate) },
        { name: 'without change of supplier', type: 'bar', data: keys.map((k) => other.get(k)?.nffRate ?? null) },
      ],
    }),
    [all, withoutCos],
  );
  const name = DIMENSION_LABEL[dim];
  return (
    <ChartCard testId={`nff-${dim}`} title={`NFF rate by ${name}`} label={`Bar chart: no-fault-found rate by ${name}, with and without change-of-supplier returns`} option={option}>
      <Table withTableBorder mt="xs" fz="sm" data-testid={`nff-table-${dim}`}>
        <Table.Caption>NFF rate by {name}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{name}</Table.Th>
            <Table.Th scope="col">Returns</Table.Th>
            <Table.Th scope="col">Triaged</Table.Th>
            <Table.Th scope="col">NFF</Table.Th>
            <Table.Th scope="col">NFF rate</Table.Th>
            <Table.Th scope="col">NFF rate without change of supplier</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {all.map((g) => (
            <Table.Tr key={g.key} data-key={g.key}>
              <Table.Th scope="row">{g.key}</Table.Th>
              <Table.Td>{g.returns}</Table.Td>
              <Table.Td>{g.triaged}</Table.Td>
              <Table.Td>{g.nff}</Table.Td>
              <Table.Td data-cell="nffRate">{rate(g.nffRate)}</Table.Td>
              <Table.Td data-cell="nffRateWithoutCos">{other.has(g.key) ? rate(other.get(g.key)!.nffRate) : 'only change of supplier'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ChartCard>
  );
}

function Costs({ r }: { r: ReturnsReport }) {
  const items: Array<[string, number]> = [
    ['testing', r.money.testPence],
    ['refurbishing', r.money.refurbishPence],
    ['scrapping', r.money.scrapPence],
    ['logistics', r.money.logisticsPence],
    ['avoided by refurbishing hubs', r.money.avoidedPence],
  ];
  const option = useMemo<EChartsOption>(
    () => ({
      tooltip: {},
      grid: { left: 64, right: 16, bottom: 64, top: 24 },
      xAxis: { type: 'category', data: items.map((i) => i[0]), axisLabel: { interval: 0, rotate: 20 } },
      yAxis: { type: 'value', name: '£' },
      series: [{ type: 'bar', data: items.map(([k, v]) => ({ value: v / 100, itemStyle: { color: k.startsWith('avoided') ? '#2b8a3e' : '#364fc7' } })) }],
    }),
    [r],
  );
  return (
    <ChartCard
      testId="costs"
      title="Costs and cost avoided"
      label="Bar chart: what testing, refurbishing, scrapping and logistics cost, and what refurbishing hubs avoided"
      option={option}
    >
      <Table withTableBorder mt="xs" fz="sm" data-testid="costs-table">
        <Table.Caption>Costs and cost avoided</Table.Caption>
        <Table.Tbody>
          {items.map(([k, v]) => (
            <Table.Tr key={k} data-key={k}>
              <Table.Th scope="row">{k}</Table.Th>
              <Table.Td data-pence={v}>{pounds(v)}</Table.Td>
            </Table.Tr>
          ))}
          <Table.Tr>
            <Table.Th scope="row">avoided per refurbished hub</Table.Th>
            <Table.Td>{pounds(r.money.avoidedPerRefurbishedHubPence)}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
    </ChartCard>
  );
}

function Stock({ r }: { r: ReturnsReport }) {
  const rows = r.by.device_type;
  const option = useMemo<EChartsOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: ['vanilla', 'region-locked'] },
      grid: { left: 48, right: 16, bottom: 40, top: 40 },
      xAxis: { type: 'category', data: rows.map((g) => g.key) },
      yAxis: { type: 'value', name: 'devices', minInterval: 1 },
      series: [
        { name: 'vanilla', type: 'bar', stack: 'stock', data: rows.map((g) => g.vanilla) },
        { name: 'region-locked', type: 'bar', stack: 'stock', data: rows.map((g) => g.regionLocked) },
      ],
    }),
    [r],
  );
  return (
    <ChartCard testId="stock" title="Stock: vanilla versus region-locked" label="Stacked bar chart: devices in stock by device type, vanilla against region-locked" option={option}>
      <Text size="sm" mt="xs" data-testid="stock-locations">
        Stock locations needed: {r.stockLocations.withVanilla} with vanilla credentials, {r.stockLocations.regionLocked} if region-locked.
      </Text>
      <Table withTableBorder mt="xs" fz="sm" data-testid="stock-table">
        <Table.Caption>Stock by device type</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">device type</Table.Th>
            <Table.Th scope="col">In stock</Table.Th>
            <Table.Th scope="col">Vanilla</Table.Th>
            <Table.Th scope="col">Region-locked</Table.Th>
            <Table.Th scope="col">Regions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((g) => (
            <Table.Tr key={g.key} data-key={g.key}>
              <Table.Th scope="row">{g.key}</Table.Th>
              <Table.Td>{g.inStock}</Table.Td>
              <Table.Td>{g.vanilla}</Table.Td>
              <Table.Td>{g.regionLocked}</Table.Td>
              <Table.Td>{g.stockRegions}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ChartCard>
  );
}

/** Every return order the party may see (cursor by cursor, up to 10 pages of 500), counted by the day it was made. */
function ReturnsOverTime({ refetchInterval }: { refetchInterval: number | false }) {
  const q = useQuery({
    queryKey: ['/v1/returns', 'all-pages'],
    refetchInterval,
    queryFn: async () => {
      const all: ReturnOrder[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 10; i++) {
        const page: { returns: ReturnOrder[]; next: string | null } = await api('/v1/returns', { query: { limit: 500, cursor } });
        all.push(...page.returns);
        cursor = page.next;
        if (!cursor) return { orders: all, complete: true };
      }
      return { orders: all, complete: false };
    },
  });
  const days = useMemo(() => {
    const m = new Map<string, number>();
    for (const o of q.data?.orders ?? []) m.set(o.createdAt.slice(0, 10), (m.get(o.createdAt.slice(0, 10)) ?? 0) + 1);
    return [...m.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  }, [q.data]);
  const option = useMemo<EChartsOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 16, bottom: 40, top: 24 },
      xAxis: { type: 'category', data: days.map((d) => d[0]) },
      yAxis: { type: 'value', name: 'return orders', minInterval: 1 },
      series: [{ type: 'line', data: days.map((d) => d[1]), showSymbol: true }],
    }),
    [days],
  );
  return (
    <QueryState query={q} empty={(d) => d.orders.length === 0} emptyText="No return orders yet: the chart of returns over time appears with the first return.">
      {(d) => (
        <ChartCard testId="returns-over-time" title="Returns over time" label="Line chart: return orders made per day (UTC)" option={option}>
          <Table withTableBorder mt="xs" fz="sm" data-testid="returns-over-time-table">
            <Table.Caption>Return orders per day (UTC){d.complete ? '' : ', the first 5000 orders only'}</Table.Caption>
            <Table.Tbody>
              {days.map(([day, n]) => (
                <Table.Tr key={day}>
                  <Table.Th scope="row">{day}</Table.Th>
                  <Table.Td>{n}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ChartCard>
      )}
    </QueryState>
  );
}

/** The returns dashboard: NFF rates by dimension with and without change-of-supplier returns, costs, stock, returns over time. */
export default function ReturnsDashboard() {
  const refresh = useAutoRefresh();
  const all = useQuery(report(false, refresh.refetchInterval));
  const withoutCos = useQuery(report(true, refresh.refetchInterval));
  return (
    <Stack>
      <Group justify="space-between" align="baseline">
        <Title order={1}>Returns dashboard</Title>
        <RefreshControl
          updatedAt={Math.max(all.dataUpdatedAt, withoutCos.dataUpdatedAt)}
          fetching={all.isFetching || withoutCos.isFetching}
          paused={refresh.paused}
          toggle={refresh.toggle}
        />
      </Group>
      <Text c="dimmed">From the returns report (GET /v1/reports/returns), with and without change-of-supplier returns.</Text>
      <ProblemAlert error={withoutCos.error} />
      <QueryState
        query={all}
        empty={(r) => r.overall.returns === 0}
        emptyText="No returns yet: the NFF, cost and stock charts appear once a device has been returned and triaged (docs/demo.md, section 4, takes one through)."
      >
        {(r) => (
          <Stack>
            <Text data-testid="overall">
              {r.overall.returns} returns, {r.overall.triaged} triaged, {r.overall.nff} no fault found: NFF rate {rate(r.overall.nffRate)}
              {withoutCos.data ? `; without change-of-supplier returns ${rate(withoutCos.data.overall.nffRate)}` : ''}.
            </Text>
            <Title order={2} size="h3">
              No fault found
            </Title>
            <SimpleGrid cols={{ base: 1, lg: 2 }}>
              {DIMENSIONS.map((d) => (
                <NffByDimension key={d} dim={d} all={r.by[d]} withoutCos={withoutCos.data?.by[d] ?? []} />
              ))}
            </SimpleGrid>
            <Title order={2} size="h3">
              Money and stock
            </Title>
            <SimpleGrid cols={{ base: 1, lg: 2 }}>
              <Costs r={r} />
              <Stock r={r} />
              <StockByLocation r={r} />
            </SimpleGrid>
          </Stack>
        )}
      </QueryState>
      <Title order={2} size="h3">
        Returns over time
      </Title>
      <ReturnsOverTime refetchInterval={refresh.refetchInterval} />
    </Stack>
  );
}
