import { Button, Card, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { usePagedList } from '../../components/paged-list.ts';
import { MoreButton, StateBadge, options } from '../security/parts.tsx';

interface Party {
  id: string;
  name: string;
  role: string;
  userRoles: string[];
  eui: string | null;
  distributorId: number | null;
  status: 'active' | 'suspended';
  suspendedReason: string | null;
}

const USER_ROLES = ['import_supplier', 'export_supplier', 'gas_supplier', 'network_operator', 'other_user', 'registered_supplier_agent', 'ssc', 'dcc'] as const;
const PLATFORM_ROLES = ['supplier', 'network_operator', 'gas_transporter', 'meter_asset_provider', 'manufacturer', 'dcc', 'security_sub_committee'] as const;

/** The party directory: every party reads it; the platform party's administrators suspend and reinstate. */
export function PartiesPage() {
  const [role, setRole] = useState<string | null>(null);
  const [userRole, setUserRole] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const list = usePagedList<Party>('/v1/parties', 'parties', { role, userRole, status });
  return (
    <Stack>
      <Title order={1}>Parties</Title>
      <Text c="dimmed" size="sm">
        The organisations, with their DCC User roles and User IDs. Only the platform party&apos;s administrators suspend and reinstate a party: a suspended party&apos;s keys and
        sessions are refused from its next request.
      </Text>
      <Card withBorder>
        <Stack gap="sm">
          <Group align="end">
            <Select label="Platform role" data={options(PLATFORM_ROLES)} value={role} onChange={setRole} clearable placeholder="any" />
            <Select label="DCC User role" data={options(USER_ROLES)} value={userRole} onChange={setUserRole} clearable placeholder="any" />
            <Select label="Status" data={options(['active', 'suspended'])} value={status} onChange={setStatus} clearable placeholder="any" />
          </Group>
          <QueryState query={{ ...list, data: list.data }} empty={() => list.items.length === 0} emptyText="No parties match.">
            {() => (
              <Table.ScrollContainer minWidth={900}>
                <Table striped data-testid="parties">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Party</Table.Th>
                      <Table.Th>Roles</Table.Th>
                      <Table.Th>User ID (EUI)</Table.Th>
                      <Table.Th>Status</Table.Th>
                      <Table.Th>Actions</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {list.items.map((p) => (
                      <PartyRow key={p.id} p={p} />
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </QueryState>
          <MoreButton shown={list.items.length} hasNext={list.hasNextPage} loading={list.isFetchingNextPage} onMore={() => void list.fetchNextPage()} what="parties" />
        </Stack>
      </Card>
    </Stack>
  );
}

function PartyRow({ p }: { p: Party }) {
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const act = useMutation({
    mutationFn: () =>
      p.status === 'active'
        ? api<Party>(`/v1/parties/${encodeURIComponent(p.id)}/suspend`, { method: 'POST', body: { reason } })
        : api<Party>(`/v1/parties/${encodeURIComponent(p.id)}/reinstate`, { method: 'POST' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['/v1/parties'] }),
  });
  return (
    <Table.Tr data-testid={`party-${p.id}`}>
      <Table.Td>
        <Text size="sm" fw={500}>
          {p.name}
        </Text>
        <Text size="xs" c="dimmed">
          {p.id}
        </Text>
      </Table.Td>
      <Table.Td>
        {p.role.replaceAll('_', ' ')}
        <Text size="xs" c="dimmed">
          {p.userRoles.join(', ')}
          {p.distributorId !== null ? ` · region ${p.distributorId}` : ''}
        </Text>
      </Table.Td>
      <Table.Td>{p.eui ?? '—'}</Table.Td>
      <Table.Td>
        <StateBadge state={p.status} />
        {p.suspendedReason && (
          <Text size="xs" c="dimmed">
            {p.suspendedReason}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Group gap="xs" align="end" wrap="nowrap">
          {p.status === 'active' && <TextInput size="xs" label={`Reason to suspend ${p.id}`} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />}
          <Button size="xs" variant="default" onClick={() => act.mutate()} loading={act.isPending} aria-label={`${p.status === 'active' ? 'Suspend' : 'Reinstate'} ${p.id}`}>
            {p.status === 'active' ? 'Suspend' : 'Reinstate'}
          </Button>
        </Group>
        <ProblemAlert error={act.error} />
      </Table.Td>
    </Table.Tr>
  );
}
