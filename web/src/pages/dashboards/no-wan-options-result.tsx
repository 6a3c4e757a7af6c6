import { Card, List, Stack, Table, Text, Title } from '@mantine/core';
import type { EChartsOption } from 'echarts';
import { useMemo } from 'react';
import { Chart } from './chart.tsx';
import { cellText, TASK_HEADS, type NoWanOptionsReport } from './no-wan-options-types.ts';

const pounds = (pence: number) => `£${Math.round(pence / 100).toLocaleString('en-GB')}`;

/** What one run of the study found: the options side by side, what failed, the seed's verdicts beside the measurement, the assumptions. */
export function NoWanOptionsResult({ r }: { r: NoWanOptionsReport }) {
  const chart = useMemo<EChartsOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 48, bottom: 80, top: 36 },
      xAxis: { type: 'category', data: r.options.map((o) => `${o.seed.number} ${o.id}`), axisLabel: { interval: 0, rotate: 30 } },
      yAxis: [
        { type: 'value', name: 'hours' },
        { type: 'value', name: '£' },
      ],
      series: [
        { name: 'engineer hours per premise', type: 'bar', data: r.options.map((o) => o.perPremise.hours), itemStyle: { color: '#364fc7' } },
        { name: 'cost per premise (£)', type: 'bar', yAxisIndex: 1, data: r.options.map((o) => Math.round(o.perPremise.costPence / 100)), itemStyle: { color: '#e8590c' } },
      ],
    }),
    [r],
  );
  const failures = r.options.flatMap((o) =>
    r.tasks
      .filter((t) => (o.tasks[t]?.failed ?? 0) > 0)
      .map((t) => ({ key: `${o.id}/${t}`, text: `${o.id}, ${TASK_HEADS[t] ?? t}: ${o.tasks[t]!.failed} of ${o.tasks[t]!.premises} failed: ${o.tasks[t]!.failures.join('; ')}` })),
  );
  const changed = Object.entries(r.assumptions).filter(([, a]) => a.value !== a.default);
  return (
    <Stack data-testid="no-wan-options-result">
      {/* Wide: it scrolls sideways, and the scrolling box takes the keyboard focus (arrow keys scroll it). */}
      <div role="region" aria-label="The options side by side" tabIndex={0} style={{ overflowX: 'auto' }}>
        <Table withTableBorder fz="sm" style={{ whiteSpace: 'nowrap' }} data-testid="no-wan-options-table">
          <Table.Caption>
            The eight options at the {r.fleet.studied} no-WAN premises of fleet &quot;{r.fleet.seed}&quot; ({r.fleet.premises} premises). yes: done at every premise with no visit;
            N visits: done at every premise; d/n: done at d of n; –: not possible; *: decided by a stated assumption.
          </Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Option</Table.Th>
              {r.tasks.map((t) => (
                <Table.Th scope="col" key={t}>
                  {TASK_HEADS[t] ?? t}
                </Table.Th>
              ))}
              <Table.Th scope="col">Visits</Table.Th>
              <Table.Th scope="col">Hours</Table.Th>
              <Table.Th scope="col">Cost</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {r.options.map((o) => (
              <Table.Tr key={o.id} data-option={o.id}>
                <Table.Th scope="row">
                  {o.seed.number} {o.id}
                </Table.Th>
                {r.tasks.map((t) => (
                  <Table.Td key={t} data-task={t} title={o.tasks[t]?.details.join('; ')}>
                    {o.tasks[t] ? cellText(o.tasks[t]) : '?'}
                  </Table.Td>
                ))}
                <Table.Td data-cell="visits">{o.totals.visits}</Table.Td>
                <Table.Td data-cell="hours">{o.totals.hours}</Table.Td>
                <Table.Td data-cell="cost">{pounds(o.totals.costPence)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
      <Table withTableBorder fz="sm" data-testid="no-wan-options-attacks">
        <Table.Caption>What an attacker gets from each option, from the attacks actually run</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Option</Table.Th>
            <Table.Th scope="col">What an attacker gets (measured)</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {r.options.map((o) => (
            <Table.Tr key={o.id}>
              <Table.Th scope="row">
                {o.seed.number} {o.id}
              </Table.Th>
              <Table.Td>{o.attacker}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Card withBorder>
        <Title order={2} size="h4">
          Hours and cost per premise
        </Title>
        <Chart
          option={chart}
          height={300}
          label={`Bar chart: engineer hours and cost per premise for each option (${r.options.map((o) => `${o.id} ${o.perPremise.hours} h, ${pounds(o.perPremise.costPence)}`).join('; ')})`}
        />
      </Card>
      <Title order={2} size="h4">
        What failed
      </Title>
      <List size="sm" data-testid="no-wan-options-failures">
        {failures.length ? failures.map((f) => <List.Item key={f.key}>{f.text}</List.Item>) : <List.Item>Nothing.</List.Item>}
      </List>
      <Table withTableBorder fz="sm" data-testid="no-wan-options-verdicts">
        <Table.Caption>The 2012 SDAG paper&apos;s verdicts beside what the simulation measured</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Option</Table.Th>
            <Table.Th scope="col">The paper says</Table.Th>
            <Table.Th scope="col">Measured</Table.Th>
            <Table.Th scope="col">Agrees</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {r.verdicts.map((v, i) => (
            <Table.Tr key={`${v.option}-${i}`}>
              <Table.Td>{v.option}</Table.Td>
              <Table.Td>&ldquo;{v.seed}&rdquo;</Table.Td>
              <Table.Td>{v.measured}</Table.Td>
              <Table.Td>{v.agrees}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="sm">
        The later route, for comparison (SECMP0038&apos;s PPMID relay): {r.laterRoute.attackerCommandsExecuted} attacker commands executed; a flood held a genuine command{' '}
        {r.laterRoute.floodDelayMinutes} min; reachable {r.laterRoute.reachableHoursPerYear} h a year from outside the premise.
      </Text>
      <Table withTableBorder fz="sm" data-testid="no-wan-options-assumptions">
        <Table.Caption>Modelled inputs ({changed.length ? `${changed.length} changed from the default` : 'all defaults'}), each with its unit and source</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Input</Table.Th>
            <Table.Th scope="col">Value</Table.Th>
            <Table.Th scope="col">Default</Table.Th>
            <Table.Th scope="col">Unit</Table.Th>
            <Table.Th scope="col">Source</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {Object.entries(r.assumptions).map(([k, a]) => (
            <Table.Tr key={k}>
              <Table.Th scope="row">{k}</Table.Th>
              <Table.Td>{String(a.value)}</Table.Td>
              <Table.Td>{String(a.default)}</Table.Td>
              <Table.Td>{a.unit}</Table.Td>
              <Table.Td>{a.source}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
