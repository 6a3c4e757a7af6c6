import { Anchor, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { api } from '../../api/client.ts';
import { QueryState } from '../../components/query-state.tsx';
import { StateBadge, toneOfClock } from './state-badge.tsx';
import { pounds, when, type Clock, type VisitQueueEntry } from './types.ts';

function ClockBadge({ clock, name }: { clock: Clock; name: string }) {
  return (
    <Stack gap={2}>
      <StateBadge tone={toneOfClock(clock.state)} label={`${name}: ${clock.state}`}>
        {clock.state}
      </StateBadge>
      <Text size="xs">due {when(clock.due)}</Text>
    </Stack>
  );
}

/** SECMP0032: the Supplier's prepayment premises with no WAN, most at risk first, as the server ranks them. */
export function VisitQueuePage() {
  // The queue is one ranked answer (limit only, no cursor): the server's order is kept as it came.
  const q = useQuery({ queryKey: ['/v1/no-wan/visit-queue'], queryFn: () => api<VisitQueueEntry[]>('/v1/no-wan/visit-queue', { query: { limit: 500 } }) });
  return (
    <Stack>
      <Title order={1}>No-WAN visit queue</Title>
      <Text c="dimmed">Prepayment premises whose hub has no WAN (SECMP0032), most at risk first, with the 30-day and 90-day clocks since the WAN was lost.</Text>
      <QueryState query={q} empty={(d) => d.length === 0} emptyText="No prepayment premise is without WAN: nothing to visit.">
        {(rows) => (
          <Table striped withTableBorder data-testid="visit-queue">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Premise</Table.Th>
                <Table.Th scope="col">Postcode</Table.Th>
                <Table.Th scope="col">Credit</Table.Th>
                <Table.Th scope="col">Supply</Table.Th>
                <Table.Th scope="col">Days without WAN</Table.Th>
                <Table.Th scope="col">30-day fix</Table.Th>
                <Table.Th scope="col">90-day fix</Table.Th>
                <Table.Th scope="col">Risk</Table.Th>
                <Table.Th scope="col">Why</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.premiseId} data-premise={r.premiseId}>
                  <Table.Td>
                    <Anchor component={Link} href={`/supplier/premises/${encodeURIComponent(r.premiseId)}`}>
                      {r.premiseId}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{r.postcode}</Table.Td>
                  <Table.Td>{pounds(r.creditPence)}</Table.Td>
                  <Table.Td>{r.supply ?? '–'}</Table.Td>
                  <Table.Td>{r.daysWithoutWan}</Table.Td>
                  <Table.Td>
                    <ClockBadge clock={r.fix30} name="30-day fix" />
                  </Table.Td>
                  <Table.Td>
                    <ClockBadge clock={r.fix90} name="90-day fix" />
                  </Table.Td>
                  <Table.Td>{r.risk}</Table.Td>
                  <Table.Td>{r.why.join('; ')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
    </Stack>
  );
}
