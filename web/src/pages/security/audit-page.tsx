import { Alert, Button, Card, Checkbox, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { checkInclusionProof, checkTreeHead, importLogKey, tampered, type Check, type InclusionProof, type LogKey, type TreeHead } from './audit-verify.ts';
import { MoreButton, When } from './parts.tsx';

interface AuditEntry {
  id: number;
  at: string;
  actorPartyId: string;
  action: string;
  entity: string;
  details: string;
  leafIndex: number | null;
}

function useLogKey() {
  return useQuery({
    queryKey: ['/v1/audit/key'],
    queryFn: async () => {
      const published = await api<LogKey>('/v1/audit/key');
      return { published, ...(await importLogKey(published)) };
    },
    staleTime: Infinity,
  });
}

/** The audit trail: the latest signed tree head, the party's entries, and inclusion proofs checked in this browser. */
export function AuditPage() {
  return (
    <Stack>
      <Title order={1}>Audit log</Title>
      <Text c="dimmed" size="sm">
        Every change is an entry of a Merkle log (RFC 9162) whose tree heads meterops signs with Ed25519. This page checks the signatures and the inclusion proofs itself, with Web
        Crypto and the log&apos;s published public key: it does not take the server&apos;s word that an entry is in the signed log.
      </Text>
      <LatestHead />
      <EntriesList />
    </Stack>
  );
}

function LatestHead() {
  const key = useLogKey();
  const head = useQuery({ queryKey: ['/v1/audit/heads/latest'], queryFn: () => api<TreeHead>('/v1/audit/heads/latest') });
  const check = useQuery({
    queryKey: ['head-check', head.data, key.data?.keyId],
    queryFn: () => checkTreeHead(head.data!, key.data!),
    enabled: !!head.data && !!key.data,
  });
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={2} size="h3">
          Latest signed tree head
        </Title>
        <QueryState query={key}>
          {(k) => (
            <Text size="sm">
              Log key <Code>{k.published.keyId}</Code> (SHA-256 of its public key, recomputed here: {k.keyId === k.published.keyId ? 'matches' : 'does not match'})
            </Text>
          )}
        </QueryState>
        <QueryState query={head}>
          {(h) => (
            <Stack gap={4}>
              <Text size="sm">
                Tree of <b>{h.treeSize}</b> leaves, signed <When at={h.timestamp} />
              </Text>
              <Text size="sm">
                Root <Code>{h.rootHash}</Code>
              </Text>
              {check.data && <Verdict check={check.data} testId="head-verdict" />}
              <Group>
                <Button size="xs" variant="default" onClick={() => void head.refetch()} loading={head.isFetching}>
                  Fetch the latest head
                </Button>
              </Group>
            </Stack>
          )}
        </QueryState>
      </Stack>
    </Card>
  );
}

function Verdict({ check, testId }: { check: Check; testId: string }) {
  return (
    <Alert
      variant="default"
      style={{ borderLeft: `0.3rem solid var(--mantine-color-${check.valid ? 'green' : 'red'}-9)` }}
      title={check.valid ? 'Verified in this browser' : 'Does not verify'}
      role="status"
      data-testid={testId}
    >
      <Text size="sm">{check.reason}</Text>
    </Alert>
  );
}

function EntriesList() {
  const list = useInfiniteQuery({
    queryKey: ['/v1/audit/entries'],
    initialPageParam: null as number | null,
    queryFn: ({ pageParam }) => api<{ entries: AuditEntry[]; next: number | null }>('/v1/audit/entries', { query: { limit: 25, after: pageParam } }),
    getNextPageParam: (last) => last.next,
  });
  const entries = (list.data?.pages ?? []).flatMap((p) => p.entries);
  const [tamper, setTamper] = useState(false);
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={2} size="h3">
          Entries of your party
        </Title>
        <Checkbox
          label="Tamper with the proof before checking it (the entry's details edited): the check must then fail"
          checked={tamper}
          onChange={(e) => setTamper(e.currentTarget.checked)}
        />
        <QueryState query={{ ...list, data: list.data }} empty={() => entries.length === 0} emptyText="No audit entries of your party yet.">
          {() => (
            <Table.ScrollContainer minWidth={800}>
              <Table striped data-testid="audit-entries">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Entry</Table.Th>
                    <Table.Th>Action</Table.Th>
                    <Table.Th>Details</Table.Th>
                    <Table.Th>Leaf</Table.Th>
                    <Table.Th>Inclusion proof</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {entries.map((e) => (
                    <EntryRow key={e.id} entry={e} tamper={tamper} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </QueryState>
        <MoreButton shown={entries.length} hasNext={list.hasNextPage} loading={list.isFetchingNextPage} onMore={() => void list.fetchNextPage()} what="entries" />
      </Stack>
    </Card>
  );
}

function EntryRow({ entry: e, tamper }: { entry: AuditEntry; tamper: boolean }) {
  const key = useLogKey();
  const check = useMutation({
    mutationFn: async () => {
      const proof = await api<InclusionProof>(`/v1/audit/entries/${e.id}/inclusion`);
      const k = key.data ?? (await importLogKey(await api<LogKey>('/v1/audit/key')));
      const checked = tamper ? tampered(proof) : proof;
      return { tampered: tamper, check: await checkInclusionProof(checked, k) };
    },
  });
  return (
    <Table.Tr data-testid={`entry-${e.id}`}>
      <Table.Td>
        {e.id}
        <Text size="xs" c="dimmed">
          <When at={e.at} />
        </Text>
      </Table.Td>
      <Table.Td>
        {e.action}
        <Text size="xs" c="dimmed">
          {e.entity}
        </Text>
      </Table.Td>
      <Table.Td>
        <Code style={{ wordBreak: 'break-all' }}>{e.details.length > 120 ? `${e.details.slice(0, 120)}…` : e.details}</Code>
      </Table.Td>
      <Table.Td>{e.leafIndex ?? 'pending'}</Table.Td>
      <Table.Td>
        <Stack gap={4}>
          <Button size="xs" variant="default" onClick={() => check.mutate()} loading={check.isPending} aria-label={`Check proof of entry ${e.id}`}>
            Check proof
          </Button>
          <ProblemAlert error={check.error} />
          {check.data && (
            <Verdict check={{ ...check.data.check, reason: `${check.data.tampered ? 'Tampered copy: ' : ''}${check.data.check.reason}` }} testId={`proof-verdict-${e.id}`} />
          )}
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
}
