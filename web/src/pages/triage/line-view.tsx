import { Badge, Card, Group, List, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Me } from '../../auth/session.ts';
import { QueryState } from '../../components/query-state.tsx';
import { HandOverForm, RefurbishForm, ReinstallForm } from './bench-forms.tsx';
import { TriageForm } from './triage-form.tsx';
import { DeviceLabel } from './device-label.tsx';
import { when, type LineEvent, type ReturnLine, type Seal } from './types.ts';

/** One return line: the return, its incident, the custody chain and seals, and the bench's actions. */
export function LineView({ lineId, me }: { lineId: string; me: Me }) {
  const q = useQuery({
    queryKey: ['/v1/return-lines', lineId],
    queryFn: () => api<{ line: ReturnLine; history: LineEvent[] }>(`/v1/return-lines/${encodeURIComponent(lineId)}`),
  });
  return (
    <QueryState query={q}>
      {({ line, history }) => (
        <Stack>
          <Card withBorder data-testid="return-line">
            <Title order={2} size="h3">
              Return line {line.id}
            </Title>
            <Group gap="xs" mt="xs">
              <Badge data-testid="line-state">{line.state}</Badge>
              {line.outcome && <Badge color={line.outcome === 'no-fault-found' ? 'teal.9' : 'red.9'}>{line.outcome}</Badge>}
              <Badge color={line.sealsIntact ? 'teal.9' : 'red.9'} data-testid="seals">
                seals {line.sealsIntact ? 'intact' : 'broken'}
              </Badge>
              {line.vanilla && <Badge color="teal.9">vanilla credentials</Badge>}
            </Group>
            <Text size="sm" mt="xs">
              Returned by {line.returnedBy} for {line.reason} (found {line.found}){line.changeOfSupplier ? ', change of supplier' : ''}, from {line.removedFrom ?? '—'}
              {line.removedDistributor !== null ? ` (DNO region ${line.removedDistributor})` : ''}.
            </Text>
            <Text size="sm">
              Custodian <b data-testid="custodian">{line.custodianPartyId}</b> at <b>{line.site}</b> · custody pass {line.custodyPass} · triaged {line.triageCount} time(s)
              {line.noCredential ? ` · NO cell ${line.noCredential}` : ''}
              {line.grade ? ` · grade ${line.grade}` : ''}
              {line.stockLocation ? ` · stock ${line.stockLocation}` : ''}
            </Text>
          </Card>
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <Incident line={line} />
            <Custody history={history} />
          </SimpleGrid>
          <History history={history} />
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <HandOverForm line={line} me={me} />
            <TriageForm line={line} />
            <RefurbishForm line={line} />
            <ReinstallForm line={line} />
          </SimpleGrid>
          <DeviceLabel line={line} />
        </Stack>
      )}
    </QueryState>
  );
}

/** The incident: devices from one premise in one return share it. */
function Incident({ line }: { line: ReturnLine }) {
  const q = useQuery({
    queryKey: ['/v1/returns', line.returnId],
    queryFn: () => api<{ order: { id: string; reference: string | null; createdAt: string }; lines: ReturnLine[] }>(`/v1/returns/${encodeURIComponent(line.returnId)}`),
  });
  return (
    <Card withBorder>
      <Title order={3} size="h4">
        Incident {line.incidentId}
      </Title>
      <QueryState query={q}>
        {(r) => (
          <>
            <Text size="sm">
              Return {r.order.id}
              {r.order.reference ? ` (${r.order.reference})` : ''} of {when(r.order.createdAt)}; the devices returned together:
            </Text>
            <List size="sm">
              {r.lines
                .filter((l) => l.incidentId === line.incidentId)
                .map((l) => (
                  <List.Item key={l.id}>
                    {l.deviceEui} ({l.deviceType} {l.model}): {l.state}
                  </List.Item>
                ))}
            </List>
          </>
        )}
      </QueryState>
    </Card>
  );
}

function Custody({ history }: { history: LineEvent[] }) {
  const custody = history.filter((e) => e.kind === 'custody');
  return (
    <Card withBorder>
      <Title order={3} size="h4">
        Custody chain
      </Title>
      {custody.length === 0 ? (
        <Text size="sm" c="dimmed">
          Not handed over yet: still with the returning party at the premise.
        </Text>
      ) : (
        <Table fz="sm" aria-label="custody chain" data-testid="custody">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>From → to</Table.Th>
              <Table.Th>Site</Table.Th>
              <Table.Th>Seals</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {custody.map((e) => {
              const d = e.details as { from?: string; to?: string; site?: string; seals?: Seal[]; note?: string | null };
              return (
                <Table.Tr key={e.id}>
                  <Table.Td>{when(e.at)}</Table.Td>
                  <Table.Td>
                    {d.from} → {d.to}
                  </Table.Td>
                  <Table.Td>{d.site}</Table.Td>
                  <Table.Td>{(d.seals ?? []).map((s) => `${s.id} ${s.intact ? 'intact' : 'BROKEN'}`).join(', ') || 'none seen'}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

function History({ history }: { history: LineEvent[] }) {
  return (
    <Card withBorder>
      <Title order={3} size="h4">
        History of the line
      </Title>
      <Table fz="sm" aria-label="history of the line" data-testid="history">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>What</Table.Th>
            <Table.Th>By</Table.Th>
            <Table.Th>Details</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {history.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td>{when(e.at)}</Table.Td>
              <Table.Td>{e.kind}</Table.Td>
              <Table.Td>{e.partyId}</Table.Td>
              <Table.Td>{summary(e)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

function summary(e: LineEvent): string {
  const d = e.details;
  if (e.kind === 'triage') {
    const steps = (d.steps as Array<{ step: string; result: string }> | undefined) ?? [];
    return `${String(d.method)} at ${String(d.facility)}: ${String(d.outcome)}${d.fault ? ` (${String(d.fault)})` : ''}; ${steps.map((s) => `${s.step} ${s.result}`).join(', ')}`;
  }
  return Object.entries(d)
    .filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}
