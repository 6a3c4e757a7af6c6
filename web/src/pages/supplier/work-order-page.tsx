import { Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { AssigneePicker } from './assignee-picker.tsx';
import { pounds, when, type WorkOrder, type WorkOrderDetail } from './types.ts';
import { StateBadge, toneOfState } from './state-badge.tsx';

const FINAL = new Set(['completed', 'expired']);

/** Who carries the order, and (while it is open or pulled) the operator's choice of another. */
function Assignment({ order }: { order: WorkOrder }) {
  const qc = useQueryClient();
  const [choice, setChoice] = useState(order.assignedTo ?? '');
  const assign = useMutation({
    mutationFn: () => api<{ order: WorkOrder }>(`/v1/work-orders/${encodeURIComponent(order.id)}/assignment`, { method: 'POST', body: { assignee: choice || null } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: [`/v1/work-orders/${order.id}`] }),
  });
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Text size="sm" data-testid="order-assignee">
          {order.assignedTo ? `Assigned to ${order.assignedTo}` : 'Unassigned: the first field engineer to pull it takes it'}
          {order.assignedAt ? ` (${when(order.assignedAt)} by ${order.assignedBy})` : ''}
        </Text>
        {!FINAL.has(order.state) && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (!assign.isPending) assign.mutate();
            }}
          >
            <Group align="end">
              <AssigneePicker label="Change assignee" value={choice} onChange={setChoice} />
              <Button type="submit" variant="default" loading={assign.isPending}>
                Save assignee
              </Button>
            </Group>
          </form>
        )}
        <ProblemAlert error={assign.error} />
      </Stack>
    </Card>
  );
}

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
            <Assignment key={`${order.id}:${order.assignedTo ?? ''}`} order={order} />
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
