import { ActionIcon, Anchor, Button, Card, Group, NativeSelect, NumberInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { api } from '../../api/client.ts';
import { usePagedList } from '../../components/paged-list.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { AssigneePicker } from './assignee-picker.tsx';
import { StateBadge, toneOfState } from './state-badge.tsx';
import { when, WORK_ORDER_USE_CASES, type WorkOrder, type WorkOrderDetail } from './types.ts';

interface CommandRow {
  deviceEui: string;
  useCase: string;
  value: number | string;
  valueClass: 'pounds' | 'pennies';
}

const TAKES_VALUE = new Set(['CS01a', 'CS01b']);
const blank = (): CommandRow => ({ deviceEui: '', useCase: 'ECS42', value: 10, valueClass: 'pounds' });

/** The create form: the server builds each command for local delivery, signs and MACs it, or refuses naming the field. */
function CreateWorkOrder() {
  const qc = useQueryClient();
  const [, navigate] = useLocation();
  const [premiseId, setPremiseId] = useState('');
  const [rows, setRows] = useState<CommandRow[]>([blank()]);
  const [assignee, setAssignee] = useState('');
  const set = (i: number, patch: Partial<CommandRow>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const create = useMutation({
    mutationFn: () =>
      api<WorkOrderDetail>('/v1/work-orders', {
        method: 'POST',
        body: {
          premiseId: premiseId.trim(),
          ...(assignee ? { assignee } : {}),
          commands: rows.map((r) =>
            TAKES_VALUE.has(r.useCase)
              ? { deviceEui: r.deviceEui.trim(), useCase: r.useCase, value: Number(r.value), valueClass: r.valueClass }
              : { deviceEui: r.deviceEui.trim(), useCase: r.useCase },
          ),
        },
      }),
    onSuccess: (wo) => {
      void qc.invalidateQueries({ queryKey: ['/v1/work-orders'] });
      navigate(`/supplier/work-orders/${encodeURIComponent(wo.order.id)}`);
    },
  });
  return (
    <Card withBorder>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!create.isPending) create.mutate();
        }}
      >
        <Stack>
          <Title order={2} size="h4">
            New work order
          </Title>
          <TextInput label="Premise ID" required value={premiseId} onChange={(e) => setPremiseId(e.currentTarget.value)} placeholder="fleet-0f8f-p4" maw={360} />
          {rows.map((r, i) => (
            <Group key={i} align="end" data-testid="command-row">
              <TextInput label={`Command ${i + 1} device EUI`} required value={r.deviceEui} onChange={(e) => set(i, { deviceEui: e.currentTarget.value })} />
              <NativeSelect label={`Command ${i + 1} use case`} value={r.useCase} onChange={(e) => set(i, { useCase: e.currentTarget.value })} data={[...WORK_ORDER_USE_CASES]} />
              {TAKES_VALUE.has(r.useCase) && (
                <>
                  <NumberInput label={`Command ${i + 1} value`} value={r.value} onChange={(v) => set(i, { value: v })} allowDecimal={false} maw={140} />
                  <NativeSelect
                    label={`Command ${i + 1} value class`}
                    value={r.valueClass}
                    onChange={(e) => set(i, { valueClass: e.currentTarget.value as 'pounds' | 'pennies' })}
                    data={['pounds', 'pennies']}
                  />
                </>
              )}
              {rows.length > 1 && (
                <ActionIcon variant="default" size="lg" aria-label={`Remove command ${i + 1}`} onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}>
                  ×
                </ActionIcon>
              )}
            </Group>
          ))}
          <AssigneePicker label="Assign to" value={assignee} onChange={setAssignee} />
          <ProblemAlert error={create.error} />
          <Group>
            <Button variant="default" onClick={() => setRows((rs) => [...rs, blank()])}>
              Add a command
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create work order
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

/** The Supplier's HHT work orders, filtered by state and premise, and a form to create one. */
export function WorkOrdersPage() {
  const [state, setState] = useState('');
  const [premise, setPremise] = useState('');
  const [assignee, setAssignee] = useState('');
  const [applied, setApplied] = useState({ state: '', premiseId: '', assignee: '' });
  const list = usePagedList<WorkOrder>('/v1/work-orders', 'workOrders', applied);
  return (
    <Stack>
      <Title order={1}>Work orders</Title>
      <CreateWorkOrder />
      <Title order={2} size="h3">
        Your work orders
      </Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ state, premiseId: premise.trim(), assignee: assignee.trim() });
        }}
      >
        <Group align="end">
          <NativeSelect
            label="Filter by state"
            value={state}
            onChange={(e) => setState(e.currentTarget.value)}
            data={['', 'open', 'pulled', 'completed', 'expired'].map((v) => ({ value: v, label: v || 'any' }))}
          />
          <TextInput label="Filter by premise" value={premise} onChange={(e) => setPremise(e.currentTarget.value)} />
          <TextInput label="Filter by assignee" description="me, none, or usernames" value={assignee} onChange={(e) => setAssignee(e.currentTarget.value)} />
          <Button type="submit" variant="default">
            Filter work orders
          </Button>
        </Group>
      </form>
      <QueryState query={{ ...list, data: list.items }} empty={(d) => d.length === 0} emptyText="No work orders match.">
        {(rows) => (
          <Table striped withTableBorder data-testid="work-orders">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Work order</Table.Th>
                <Table.Th scope="col">Premise</Table.Th>
                <Table.Th scope="col">State</Table.Th>
                <Table.Th scope="col">Created</Table.Th>
                <Table.Th scope="col">Expires</Table.Th>
                <Table.Th scope="col">Assigned to</Table.Th>
                <Table.Th scope="col">Pulled by</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((w) => (
                <Table.Tr key={w.id}>
                  <Table.Td>
                    <Anchor component={Link} href={`/supplier/work-orders/${encodeURIComponent(w.id)}`}>
                      {w.id}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{w.premiseId}</Table.Td>
                  <Table.Td>
                    <StateBadge tone={toneOfState(w.state)}>{w.state}</StateBadge>
                  </Table.Td>
                  <Table.Td>{when(w.createdAt)}</Table.Td>
                  <Table.Td>{when(w.expiresAt)}</Table.Td>
                  <Table.Td>{w.assignedTo ?? 'unassigned'}</Table.Td>
                  <Table.Td>{w.pulledBy ?? '–'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
      {list.hasNextPage && (
        <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
          More work orders
        </Button>
      )}
      {!list.isPending && list.items.length > 0 && !list.hasNextPage && (
        <Text size="sm" c="dimmed">
          All {list.items.length} shown.
        </Text>
      )}
    </Stack>
  );
}
