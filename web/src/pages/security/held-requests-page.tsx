import { Button, Card, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { usePagedList } from '../../components/paged-list.ts';
import { MoreButton, StateBadge, When, options } from './parts.tsx';

const COMMAND_TYPES = ['disable_supply', 'credential_replacement', 'utrn_vend', 'hht_work_order'] as const;

interface CommandRequest {
  id: number;
  partyId: string;
  requestedBy: string;
  commandType: string;
  target: string;
  status: 'sent' | 'held' | 'released';
  requestedAt: string;
  releasedBy: string | null;
  releasedAt: string | null;
}

const invalidate = (qc: ReturnType<typeof useQueryClient>) => qc.invalidateQueries({ queryKey: ['/v1/command-requests'] });

/** The sensitive requests the volume (anomaly) check held, released by a second person who is an approver. */
export function HeldRequestsPage() {
  return (
    <Stack>
      <Title order={1}>Held requests</Title>
      <Text c="dimmed" size="sm">
        Past a volume per hour (the DCC&apos;s anomaly detection), a party&apos;s sensitive requests are held, not sent. Only a second person of the party who is an approver
        releases them: the person who made them is refused, even as an approver.
      </Text>
      <ReleaseHeld />
      <SendRequest />
      <RequestsList />
    </Stack>
  );
}

function ReleaseHeld() {
  const qc = useQueryClient();
  const [commandType, setCommandType] = useState<string | null>('disable_supply');
  const release = useMutation({
    mutationFn: () => api<{ released: number }>('/v1/command-requests/release', { method: 'POST', body: { commandType: commandType ?? '' } }),
    onSettled: () => invalidate(qc),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    release.mutate();
  };
  return (
    <Card withBorder>
      <form onSubmit={submit} aria-labelledby="release-held">
        <Stack gap="sm">
          <Title order={2} size="h3" id="release-held">
            Release held requests
          </Title>
          <Group align="end">
            <Select label="Type of held requests" data={options(COMMAND_TYPES)} value={commandType} onChange={setCommandType} allowDeselect={false} />
            <Button type="submit" loading={release.isPending}>
              Release held requests
            </Button>
          </Group>
          <ProblemAlert error={release.error} title="Not released" />
          {release.data && (
            <Text role="status" data-testid="released">
              Released {release.data.released} held {(commandType ?? '').replaceAll('_', ' ')} requests.
            </Text>
          )}
        </Stack>
      </form>
    </Card>
  );
}

/** One sensitive request through the volume check (POST /v1/command-requests): sent, or held past the limit. */
function SendRequest() {
  const qc = useQueryClient();
  const [commandType, setCommandType] = useState<string | null>('disable_supply');
  const [target, setTarget] = useState('');
  const send = useMutation({
    mutationFn: () => api<{ id: number; status: string }>('/v1/command-requests', { method: 'POST', body: { commandType: commandType ?? '', target } }),
    onSettled: () => invalidate(qc),
  });
  return (
    <Card withBorder>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          send.mutate();
        }}
        aria-labelledby="send-request"
      >
        <Stack gap="sm">
          <Title order={2} size="h3" id="send-request">
            Send a sensitive request
          </Title>
          <Group align="end">
            <Select label="Request type" data={options(COMMAND_TYPES)} value={commandType} onChange={setCommandType} allowDeselect={false} />
            <TextInput label="Target" description="a device EUI (a premise id for an HHT work order)" value={target} onChange={(e) => setTarget(e.currentTarget.value)} required />
            <Button type="submit" variant="default" loading={send.isPending}>
              Send request
            </Button>
          </Group>
          <ProblemAlert error={send.error} />
          {send.data && (
            <Text role="status" data-testid="sent">
              Request {send.data.id}: {send.data.status}
            </Text>
          )}
        </Stack>
      </form>
    </Card>
  );
}

function RequestsList() {
  const [status, setStatus] = useState<string | null>('held');
  const [commandType, setCommandType] = useState<string | null>(null);
  const list = usePagedList<CommandRequest>('/v1/command-requests', 'requests', { status, commandType });
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={2} size="h3">
          Requests
        </Title>
        <Group align="end">
          <Select label="Status" data={options(['held', 'sent', 'released'])} value={status} onChange={setStatus} clearable placeholder="any" />
          <Select label="Type" data={options(COMMAND_TYPES)} value={commandType} onChange={setCommandType} clearable placeholder="any" />
        </Group>
        <QueryState query={{ ...list, data: list.data }} empty={() => list.items.length === 0} emptyText="No requests match.">
          {() => (
            <Table.ScrollContainer minWidth={700}>
              <Table striped data-testid="requests">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Request</Table.Th>
                    <Table.Th>Type and target</Table.Th>
                    <Table.Th>Requested by</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Released by</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.items.map((r) => (
                    <Table.Tr key={r.id} data-testid={`request-${r.id}`}>
                      <Table.Td>{r.id}</Table.Td>
                      <Table.Td>
                        {r.commandType.replaceAll('_', ' ')} · {r.target}
                      </Table.Td>
                      <Table.Td>
                        {r.requestedBy}, <When at={r.requestedAt} />
                      </Table.Td>
                      <Table.Td>
                        <StateBadge state={r.status} />
                      </Table.Td>
                      <Table.Td>
                        {r.releasedBy ? (
                          <>
                            {r.releasedBy}, <When at={r.releasedAt} />
                          </>
                        ) : (
                          '—'
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </QueryState>
        <MoreButton shown={list.items.length} hasNext={list.hasNextPage} loading={list.isFetchingNextPage} onMore={() => void list.fetchNextPage()} what="requests" />
      </Stack>
    </Card>
  );
}
