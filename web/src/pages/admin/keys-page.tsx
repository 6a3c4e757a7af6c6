import { Alert, Button, Card, Code, CopyButton, Group, MultiSelect, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { usePagedList } from '../../components/paged-list.ts';
import { MoreButton, StateBadge, When, options } from '../security/parts.tsx';
import { PERSON_ROLES } from './roles.ts';

export interface ApiKey {
  id: string;
  partyId: string;
  name: string;
  roles: string[];
  state: 'active' | 'expired' | 'revoked';
  createdAt: string;
  createdBy: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  revokedReason: string | null;
  lastUsedAt: string | null;
  rotatedFrom: string | null;
}

type Issued = { key: ApiKey; secret: string; how: 'issued' | 'rotated' };

const invalidate = (qc: ReturnType<typeof useQueryClient>) => qc.invalidateQueries({ queryKey: ['/v1/api-keys'] });

/** A party's API keys: issue (the secret shown once), rotate (a new secret, the old key revoked), revoke. */
export function KeysPage() {
  const [issued, setIssued] = useState<Issued | null>(null);
  return (
    <Stack>
      <Title order={1}>API keys</Title>
      <Text c="dimmed" size="sm">
        A system acts with an API key of its party and roles. meterops keeps only each secret&apos;s SHA-256, so a new secret is shown here once: copy it before you leave the page.
      </Text>
      {issued && <SecretOnce issued={issued} onDone={() => setIssued(null)} />}
      <IssueKey onIssued={setIssued} />
      <KeysList onRotated={setIssued} />
    </Stack>
  );
}

function SecretOnce({ issued, onDone }: { issued: Issued; onDone: () => void }) {
  return (
    <Alert variant="outline" color="dark" title={`Key ${issued.key.partyId}/${issued.key.name} ${issued.how}: its secret, shown this once`} data-testid="secret-once">
      <Stack gap="xs">
        <Code block data-testid="secret">
          {issued.secret}
        </Code>
        <Text size="sm">Send it as Authorization: Bearer followed by the secret. It cannot be shown again.</Text>
        <Group>
          <CopyButton value={issued.secret}>
            {({ copied, copy }) => (
              <Button size="xs" variant="default" onClick={copy}>
                {copied ? 'Copied' : 'Copy secret'}
              </Button>
            )}
          </CopyButton>
          <Button size="xs" onClick={onDone}>
            I have stored it: hide the secret
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

function IssueKey({ onIssued }: { onIssued: (i: Issued) => void }) {
  const qc = useQueryClient();
  const [partyId, setPartyId] = useState('');
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<string[]>([]);
  const [expiresAt, setExpiresAt] = useState('');
  const issue = useMutation({
    mutationFn: () =>
      api<{ key: ApiKey; secret: string }>('/v1/api-keys', {
        method: 'POST',
        body: { name, roles, ...(partyId.trim() ? { partyId: partyId.trim() } : {}), ...(expiresAt ? { expiresAt: new Date(`${expiresAt}T23:59:59Z`).toISOString() } : {}) },
      }),
    onSuccess: (r) => {
      onIssued({ ...r, how: 'issued' });
      setName('');
      void invalidate(qc);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    issue.mutate();
  };
  return (
    <Card withBorder>
      <form onSubmit={submit} aria-labelledby="issue-key">
        <Stack gap="sm">
          <Title order={2} size="h3" id="issue-key">
            Issue a key
          </Title>
          <Group align="end">
            <TextInput label="Key name" value={name} onChange={(e) => setName(e.currentTarget.value)} required description="unique among the party's working keys" />
            <MultiSelect searchable label="Roles" data={options(PERSON_ROLES)} value={roles} onChange={setRoles} w={280} />
            <TextInput label="Expires on (optional)" type="date" value={expiresAt} onChange={(e) => setExpiresAt(e.currentTarget.value)} />
            <TextInput label="Party (optional)" value={partyId} onChange={(e) => setPartyId(e.currentTarget.value)} description="yours when empty" />
            <Button type="submit" loading={issue.isPending}>
              Issue key
            </Button>
          </Group>
          <ProblemAlert error={issue.error} title="Not issued" />
        </Stack>
      </form>
    </Card>
  );
}

function KeysList({ onRotated }: { onRotated: (i: Issued) => void }) {
  const [state, setState] = useState<string | null>(null);
  const [partyId, setPartyId] = useState('');
  const list = usePagedList<ApiKey>('/v1/api-keys', 'apiKeys', { state, partyId: partyId.trim() || undefined });
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={2} size="h3">
          Keys
        </Title>
        <Group align="end">
          <Select label="State" data={options(['active', 'expired', 'revoked'])} value={state} onChange={setState} clearable placeholder="any" />
          <TextInput label="Party" value={partyId} onChange={(e) => setPartyId(e.currentTarget.value)} description="yours when empty" />
        </Group>
        <QueryState query={{ ...list, data: list.data }} empty={() => list.items.length === 0} emptyText="No keys match.">
          {() => (
            <Table.ScrollContainer minWidth={900}>
              <Table striped data-testid="keys">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Key</Table.Th>
                    <Table.Th>Roles</Table.Th>
                    <Table.Th>State</Table.Th>
                    <Table.Th>Created, last used, expires</Table.Th>
                    <Table.Th>Actions</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.items.map((k) => (
                    <KeyRow key={k.id} k={k} onRotated={onRotated} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </QueryState>
        <MoreButton shown={list.items.length} hasNext={list.hasNextPage} loading={list.isFetchingNextPage} onMore={() => void list.fetchNextPage()} what="keys" />
      </Stack>
    </Card>
  );
}

function KeyRow({ k, onRotated }: { k: ApiKey; onRotated: (i: Issued) => void }) {
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const rotate = useMutation({
    mutationFn: () => api<{ key: ApiKey; secret: string }>(`/v1/api-keys/${encodeURIComponent(k.id)}/rotate`, { method: 'POST', body: {} }),
    onSuccess: (r) => {
      onRotated({ ...r, how: 'rotated' });
      void invalidate(qc);
    },
  });
  const revoke = useMutation({
    mutationFn: () => api<ApiKey>(`/v1/api-keys/${encodeURIComponent(k.id)}/revoke`, { method: 'POST', body: reason ? { reason } : {} }),
    onSuccess: () => invalidate(qc),
  });
  const who = `${k.partyId}/${k.name}`;
  return (
    <Table.Tr data-testid={`key-${k.id}`}>
      <Table.Td>
        <Text size="sm" fw={500}>
          {who}
        </Text>
        <Text size="xs" c="dimmed">
          {k.id}
          {k.rotatedFrom ? ` · rotated from ${k.rotatedFrom}` : ''}
        </Text>
      </Table.Td>
      <Table.Td>{k.roles.join(', ')}</Table.Td>
      <Table.Td>
        <StateBadge state={k.state} />
        {k.revokedReason && (
          <Text size="xs" c="dimmed">
            {k.revokedReason}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="xs">
          created <When at={k.createdAt} /> by {k.createdBy ?? '—'}
        </Text>
        <Text size="xs">
          last used <When at={k.lastUsedAt} />
        </Text>
        <Text size="xs">
          expires <When at={k.expiresAt} />
        </Text>
      </Table.Td>
      <Table.Td>
        {k.state === 'active' ? (
          <Stack gap={4}>
            <Group gap="xs" align="end" wrap="nowrap">
              <Button size="xs" variant="default" onClick={() => rotate.mutate()} loading={rotate.isPending} aria-label={`Rotate ${who}`}>
                Rotate
              </Button>
              <TextInput size="xs" label={`Reason to revoke ${who}`} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
              <Button size="xs" color="red" onClick={() => revoke.mutate()} loading={revoke.isPending} aria-label={`Revoke ${who}`}>
                Revoke
              </Button>
            </Group>
            <ProblemAlert error={rotate.error ?? revoke.error} />
          </Stack>
        ) : (
          <Text size="xs" c="dimmed">
            {k.revokedAt ? (
              <>
                revoked <When at={k.revokedAt} />
              </>
            ) : (
              'no actions'
            )}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
