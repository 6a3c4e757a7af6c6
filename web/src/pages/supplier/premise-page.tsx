import { Anchor, Card, Group, List, NativeSelect, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api } from '../../api/client.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { StateBadge } from './state-badge.tsx';
import { pounds, ROUTE_REQUESTS, when, type Device, type PremiseDetail, type RouteDecision, type VisitQueueEntry } from './types.ts';

/** How each request would reach one device, and why: the server's routing decision, request by request. */
function RouteDecisions({ eui }: { eui: string }) {
  const routes = useQueries({
    queries: ROUTE_REQUESTS.map((request) => ({
      queryKey: [`/v1/devices/${eui}/route`, request],
      queryFn: () => api<RouteDecision>(`/v1/devices/${encodeURIComponent(eui)}/route`, { query: { request } }),
    })),
  });
  const first = routes.find((r) => r.data)?.data;
  return (
    <Stack gap="xs">
      {first && (
        <Group gap="xs" data-testid="wan-status">
          <Text size="sm">Hub WAN:</Text>
          <StateBadge tone={first.hubWan === 'no-wan' ? 'bad' : 'good'}>{first.hubWan}</StateBadge>
          <Text size="sm">coverage {first.coverage}</Text>
          <Text size="sm">· payment mode {first.paymentMode}</Text>
        </Group>
      )}
      <Table withTableBorder data-testid="routes">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Request</Table.Th>
            <Table.Th scope="col">Route</Table.Th>
            <Table.Th scope="col">Alternatives</Table.Th>
            <Table.Th scope="col">Reasons</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {ROUTE_REQUESTS.map((request, i) => {
            const r = routes[i]!;
            return (
              <Table.Tr key={request} data-request={request}>
                <Table.Td>{request}</Table.Td>
                {r.error ? (
                  <Table.Td colSpan={3}>
                    <ProblemAlert error={r.error} />
                  </Table.Td>
                ) : !r.data ? (
                  <Table.Td colSpan={3}>loading…</Table.Td>
                ) : (
                  <>
                    <Table.Td>
                      <b>{r.data.route}</b>
                    </Table.Td>
                    <Table.Td>{r.data.alternatives.join(', ') || '–'}</Table.Td>
                    <Table.Td>
                      <List size="sm">
                        {r.data.reasons.map((x) => (
                          <List.Item key={x}>{x}</List.Item>
                        ))}
                      </List>
                    </Table.Td>
                  </>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/** A premise: its devices, WAN status, credit and supply, and the route decision for each request. */
export function PremisePage({ params }: { params: Record<string, string | undefined> }) {
  const id = params.id ?? '';
  const premise = useQuery({ queryKey: [`/v1/premises/${id}`], queryFn: () => api<PremiseDetail>(`/v1/premises/${encodeURIComponent(id)}`) });
  const queue = useQuery({ queryKey: ['/v1/no-wan/visit-queue'], queryFn: () => api<VisitQueueEntry[]>('/v1/no-wan/visit-queue', { query: { limit: 500 } }) });
  const euis = premise.data?.installations.map((i) => i.deviceEui) ?? [];
  const devices = useQueries({
    queries: euis.map((eui) => ({ queryKey: [`/v1/devices/${eui}`], queryFn: () => api<Device>(`/v1/devices/${encodeURIComponent(eui)}`) })),
  });
  const meters = devices.map((d) => d.data).filter((d): d is Device => !!d && (d.type === 'ESME' || d.type === 'GSME'));
  const [chosen, setChosen] = useState<string | null>(null);
  const routeEui = chosen ?? meters.find((m) => m.type === 'ESME')?.eui ?? meters[0]?.eui ?? null;
  const entry = queue.data?.find((e) => e.premiseId === id);
  return (
    <Stack>
      <Title order={1}>Premise {id}</Title>
      <QueryState query={premise}>
        {(p) => (
          <Stack>
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <Card withBorder>
                <Title order={2} size="h4">
                  Premise
                </Title>
                <Text size="sm">Postcode {p.postcode}</Text>
                <Text size="sm">MPAN {p.mpan ?? '–'}</Text>
                <Text size="sm">MPRN {p.mprn ?? '–'}</Text>
                <Text size="sm">DNO region {p.distributorId}</Text>
                <Text size="sm">Supplier {p.supplierPartyId ?? '–'}</Text>
              </Card>
              <Card withBorder data-testid="credit-supply">
                <Title order={2} size="h4">
                  Credit, supply and the no-WAN clocks
                </Title>
                {queue.error ? (
                  <ProblemAlert error={queue.error} />
                ) : entry ? (
                  <>
                    <Text size="sm">Credit {pounds(entry.creditPence)}</Text>
                    <Text size="sm">Supply {entry.supply ?? '–'}</Text>
                    <Text size="sm">
                      WAN lost {when(entry.wanLostAt)} ({entry.daysWithoutWan} days)
                    </Text>
                    <Text size="sm">
                      30-day fix {entry.fix30.state}, due {when(entry.fix30.due)}
                    </Text>
                    <Text size="sm">
                      90-day fix {entry.fix90.state}, due {when(entry.fix90.due)}
                    </Text>
                    <Text size="sm">In the visit queue: {entry.why.join('; ')}</Text>
                  </>
                ) : (
                  <Text size="sm" c="dimmed">
                    Not in the SECMP0032 visit queue (the premise has WAN, or is not on prepayment): credit and supply are read over the WAN.
                  </Text>
                )}
                <Group mt="xs">
                  <Anchor component={Link} href="/supplier/work-orders">
                    Work orders
                  </Anchor>
                  <Anchor component={Link} href="/supplier/vend">
                    Vend a code
                  </Anchor>
                </Group>
              </Card>
            </SimpleGrid>
            <Title order={2} size="h3">
              Devices
            </Title>
            <Table striped withTableBorder data-testid="devices">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">EUI</Table.Th>
                  <Table.Th scope="col">Type</Table.Th>
                  <Table.Th scope="col">Model</Table.Th>
                  <Table.Th scope="col">Firmware</Table.Th>
                  <Table.Th scope="col">Inventory status</Table.Th>
                  <Table.Th scope="col">Asset status</Table.Th>
                  <Table.Th scope="col">Hub</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {p.installations.map((inst, i) => {
                  const d = devices[i]?.data;
                  return (
                    <Table.Tr key={inst.deviceEui}>
                      <Table.Td>{inst.deviceEui}</Table.Td>
                      <Table.Td>{d?.type ?? '…'}</Table.Td>
                      <Table.Td>{d ? `${d.manufacturer} ${d.model}` : '…'}</Table.Td>
                      <Table.Td>{d?.firmwareVersion ?? '…'}</Table.Td>
                      <Table.Td>{d?.inventoryStatus ?? '…'}</Table.Td>
                      <Table.Td>{d?.assetStatus ?? '…'}</Table.Td>
                      <Table.Td>{inst.hubEui ?? '–'}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
            <Title order={2} size="h3">
              Routes
            </Title>
            {meters.length > 0 && (
              <NativeSelect
                label="Route decisions for device"
                value={routeEui ?? ''}
                onChange={(e) => setChosen(e.currentTarget.value)}
                data={meters.map((m) => ({ value: m.eui, label: `${m.eui} (${m.type})` }))}
                maw={360}
              />
            )}
            {routeEui ? <RouteDecisions eui={routeEui} /> : <Text c="dimmed">No meter installed here to route a request to.</Text>}
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
