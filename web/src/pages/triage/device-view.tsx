import { Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { QueryState } from '../../components/query-state.tsx';
import { when, type Device, type DeviceEvent } from './types.ts';

/** The device as the server holds it, and its two lifecycles: the DCC inventory (SMI) and the physical asset. */
export function DeviceView({ eui }: { eui: string }) {
  const device = useQuery({ queryKey: ['/v1/devices', eui], queryFn: () => api<Device>(`/v1/devices/${encodeURIComponent(eui)}`) });
  const events = useQuery({
    queryKey: ['/v1/devices', eui, 'events'],
    queryFn: () => api<{ events: DeviceEvent[] }>(`/v1/devices/${encodeURIComponent(eui)}/events`, { query: { limit: 500 } }),
    enabled: device.isSuccess,
  });
  return (
    <QueryState query={device}>
      {(d) => (
        <Stack>
          <Card withBorder data-testid="device">
            <Title order={2} size="h3">
              Device {d.eui}
            </Title>
            <Text size="sm">
              {d.type} · {d.smetsGeneration} · {d.manufacturer} {d.model}
              {d.firmwareVersion ? ` · firmware ${d.firmwareVersion}` : ''}
            </Text>
            <Group mt="xs" gap="xs">
              <Badge color="blue.9" data-testid="inventory-status">
                inventory: {d.inventoryStatus}
              </Badge>
              <Badge color="grape.9" data-testid="asset-status">
                asset: {d.assetStatus}
              </Badge>
            </Group>
            <Text size="sm" mt="xs">
              Owner {d.ownerPartyId ?? '—'} · supplier {d.supplierPartyId ?? '—'} · custodian {d.custodianPartyId ?? '—'} · premise {d.premiseId ?? 'none'}
            </Text>
          </Card>
          <QueryState query={events}>
            {(e) => (
              <SimpleGrid cols={{ base: 1, lg: 2 }}>
                <Lifecycle title="DCC inventory lifecycle" events={e.events.filter((x) => x.lifecycle !== 'asset')} />
                <Lifecycle title="Asset lifecycle" events={e.events.filter((x) => x.lifecycle === 'asset')} />
              </SimpleGrid>
            )}
          </QueryState>
        </Stack>
      )}
    </QueryState>
  );
}

function Lifecycle({ title, events }: { title: string; events: DeviceEvent[] }) {
  return (
    <Card withBorder>
      <Title order={3} size="h4">
        {title}
      </Title>
      {events.length === 0 ? (
        <Text c="dimmed" size="sm">
          No transitions yet.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={400}>
          <Table striped fz="sm" aria-label={title}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>By</Table.Th>
                <Table.Th>Where, why</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {events.map((ev) => (
                <Table.Tr key={ev.id}>
                  <Table.Td>{when(ev.occurredAt)}</Table.Td>
                  <Table.Td>
                    {ev.fromStatus ? `${ev.fromStatus} → ` : ''}
                    <b>{ev.toStatus}</b>
                  </Table.Td>
                  <Table.Td>{ev.actorPartyId}</Table.Td>
                  <Table.Td>{[ev.location, ev.reason].filter(Boolean).join(' · ')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
