import { Table, Text } from '@mantine/core';
import type { EChartsOption } from 'echarts';
import { useMemo } from 'react';
import { ChartCard } from './chart.tsx';
import type { ReturnsReport, StockFigures } from './types.ts';

const place = (l: string | null) => l ?? 'no location recorded';
const regions = (f: StockFigures) => (f.regionLocked === 0 ? '–' : f.regionLockedRegions.length ? f.regionLockedRegions.map((r) => `region ${r}`).join(', ') : 'region not known');

/** Devices in stock at each stock location, vanilla against region-locked (GET /v1/reports/returns, stockByLocation). */
export function StockByLocation({ r }: { r: ReturnsReport }) {
  const s = r.stockByLocation;
  const option = useMemo<EChartsOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: ['vanilla', 'region-locked'] },
      grid: { left: 48, right: 16, bottom: 56, top: 40 },
      xAxis: { type: 'category', data: s.locations.map((l) => place(l.location)), axisLabel: { interval: 0, rotate: s.locations.length > 4 ? 30 : 0 } },
      yAxis: { type: 'value', name: 'devices', minInterval: 1 },
      series: [
        { name: 'vanilla', type: 'bar', stack: 'stock', data: s.locations.map((l) => l.vanilla), itemStyle: { color: '#2b8a3e' } },
        { name: 'region-locked', type: 'bar', stack: 'stock', data: s.locations.map((l) => l.regionLocked), itemStyle: { color: '#e8590c' } },
      ],
    }),
    [s],
  );
  const shown = s.locations.length < s.total ? `, the ${s.locations.length} fullest of ${s.total} locations` : '';
  return (
    <ChartCard
      testId="stock-by-location"
      title="Stock by location: vanilla versus region-locked"
      label="Stacked bar chart: devices in stock at each stock location, vanilla against region-locked"
      option={option}
    >
      {s.locations.length === 0 ? (
        <Text size="sm" c="dimmed" mt="xs" data-testid="stock-by-location-empty">
          Nothing in stock yet: a refurbished device appears here at the stock location it was given.
        </Text>
      ) : (
        <Table withTableBorder mt="xs" fz="sm" data-testid="stock-by-location-table">
          <Table.Caption>Stock by location{shown}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Stock location</Table.Th>
              <Table.Th scope="col">Device types</Table.Th>
              <Table.Th scope="col">In stock</Table.Th>
              <Table.Th scope="col">Vanilla</Table.Th>
              <Table.Th scope="col">Region-locked</Table.Th>
              <Table.Th scope="col">Regions (region-locked)</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {s.locations.map((l) => (
              <Table.Tr key={place(l.location)} data-location={place(l.location)}>
                <Table.Th scope="row">{place(l.location)}</Table.Th>
                <Table.Td data-cell="types">{l.deviceTypes.map((t) => `${t.deviceType} ${t.inStock} (${t.vanilla} vanilla, ${t.regionLocked} region-locked)`).join('; ')}</Table.Td>
                <Table.Td data-cell="inStock">{l.inStock}</Table.Td>
                <Table.Td data-cell="vanilla">{l.vanilla}</Table.Td>
                <Table.Td data-cell="regionLocked">{l.regionLocked}</Table.Td>
                <Table.Td data-cell="regions">{regions(l)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </ChartCard>
  );
}
