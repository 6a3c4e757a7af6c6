import { Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Me } from '../../auth/session.ts';
import { usePagedList } from '../../components/paged-list.ts';
import { QueryState } from '../../components/query-state.tsx';

interface RemovalNotice {
  readonly id: number;
  readonly premiseId: string;
  readonly deviceEui: string;
  readonly distributorId: number;
  readonly dnoPartyId: string | null;
  readonly removedBy: string;
  readonly removedAt: string;
}

/** A Network Operator's removal notices: the devices taken out of premises in its region, newest first. */
export function RemovalNoticesPage() {
  const me = useQueryClient().getQueryData<Me>(['me']);
  const [deviceEui, setDeviceEui] = useState('');
  const [distributorId, setDistributorId] = useState('');
  const filter = { deviceEui: deviceEui.trim().toUpperCase() || undefined, distributorId: /^\d+$/.test(distributorId.trim()) ? distributorId.trim() : undefined };
  const list = usePagedList<RemovalNotice>('/v1/removal-notices', 'notices', filter);
  return (
    <Stack>
      <Title order={1}>Removal notices</Title>
      <Text size="sm" c="dimmed">
        The devices removed from premises in the region of {me?.partyId ?? 'your party'} (a network operator), or the removals your party made; newest first.
      </Text>
      <Group align="end">
        <TextInput label="Device EUI" value={deviceEui} onChange={(e) => setDeviceEui(e.currentTarget.value)} autoComplete="off" />
        <TextInput label="Distributor id" value={distributorId} onChange={(e) => setDistributorId(e.currentTarget.value)} inputMode="numeric" w={140} />
      </Group>
      <QueryState query={{ isPending: list.isPending, error: list.error, data: list.items }} empty={(d) => d.length === 0} emptyText="No removal notices.">
        {(items) => (
          <Table.ScrollContainer minWidth={600}>
            <Table striped aria-label="removal notices" data-testid="notices">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Removed at</Table.Th>
                  <Table.Th>Device</Table.Th>
                  <Table.Th>Premise</Table.Th>
                  <Table.Th>Region</Table.Th>
                  <Table.Th>Removed by</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((n) => (
                  <Table.Tr key={n.id}>
                    <Table.Td>{new Date(n.removedAt).toISOString().replace('T', ' ').slice(0, 19)} UTC</Table.Td>
                    <Table.Td ff="monospace">{n.deviceEui}</Table.Td>
                    <Table.Td>{n.premiseId}</Table.Td>
                    <Table.Td>
                      {n.distributorId}
                      {n.dnoPartyId ? ` (${n.dnoPartyId})` : ''}
                    </Table.Td>
                    <Table.Td>{n.removedBy}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
      {list.hasNextPage && (
        <Group>
          <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            More notices
          </Button>
        </Group>
      )}
    </Stack>
  );
}
