import { Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { QueryState } from '../../components/query-state.tsx';
import { pounds, when, type WorkOrderDetail } from './types.ts';
import { StateBadge, toneOfState } from './state-badge.tsx';

const FINAL = new Set(['completed', 'expired']);

/** One work order followed to its verified responses: refreshed until the order is completed or expired. */
export function WorkOrderPage({ params }: { params: Record<string, string | undefined> }) {
  const id = params.id ?? '';
  const q = useQuery({
    queryKey: [`/v1/work-orders/${id}`],
    queryFn: () => api<WorkOrderDetail>(`/v1/work-orders/${encodeURIComponent(id)}`),
    refetchInterval: (query) => (query.state.data && FINAL.has(query.state.data.order.state) ? false : 3000),
  });
  return (
    <Stack>
      <Title order={1}>Work order</Title>
      <QueryState query={q}>
        {({ order, commands }) => (
          <Stack>
            <Card withBorder>
              <Group>
                <Text fw={700}>{order.id}</Text>
                <StateBadge tone={toneOfState(order.state)} testId="order-state">
                  {order.state}
                </StateBadge>
              </Group>
              <Text size="sm">Premise {order.premiseId}</Text>
              <Text size="sm">
                Created {when(order.createdAt)} by {order.createdBy}; expires {when(order.expiresAt)}
              </Text>
              <Text size="sm">{order.pulledAt ? `Pulled ${when(order.pulledAt)} by ${order.pulledBy}` : 'Not pulled to an HHT yet'}</Text>
              {order.closedAt && <Text size="sm">Closed {when(order.closedAt)}</Text>}
              <Text size="xs" c="dimmed" aria-live="polite">
                {FINAL.has(order.state) ? 'Final: no longer refreshed.' : 'Refreshed every 3 seconds until the responses are verified.'}
              </Text>
            </Card>
            <Title order={2} size="h3">
              Commands and responses
            </Title>
            <Table withTableBorder data-testid="commands">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">#</Table.Th>
                  <Table.Th scope="col">Device</Table.Th>
                  <Table.Th scope="col">Use case</Table.Th>
                  <Table.Th scope="col">Value</Table.Th>
                  <Table.Th scope="col">Counter</Table.Th>
                  <Table.Th scope="col">State</Table.Th>
                  <Table.Th scope="col">Response</Table.Th>
                  <Table.Th scope="col">Outcome</Table.Th>
                  <Table.Th scope="col">Delivered</Table.Th>
                  <Table.Th scope="col">Uploaded</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {commands.map((c) => (
                  <Table.Tr key={c.seq} data-seq={c.seq}>
                    <Table.Td>{c.seq}</Table.Td>
                    <Table.Td>{c.deviceEui}</Table.Td>
                    <Table.Td>{c.useCase}</Table.Td>
                    <Table.Td>{c.pence ? pounds(c.pence) : '–'}</Table.Td>
                    <Table.Td>{c.counter}</Table.Td>
                    <Table.Td>
                      <StateBadge tone={toneOfState(c.state)}>{c.state}</StateBadge>
                    </Table.Td>
                    <Table.Td>{c.responseKind ?? '–'}</Table.Td>
                    <Table.Td>{c.outcome ?? '–'}</Table.Td>
                    <Table.Td>{when(c.deliveredAt)}</Table.Td>
                    <Table.Td>{when(c.uploadedAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
