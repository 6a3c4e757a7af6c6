import { Alert, Button, Card, Code, Group, MultiSelect, PasswordInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { usePagedList } from '../../components/paged-list.ts';
import { MoreButton, StateBadge, When, options } from '../security/parts.tsx';
import { PERSON_ROLES } from './roles.ts';

interface Person {
  id: string;
  partyId: string;
  username: string;
  name: string;
  roles: string[];
  status: 'active' | 'disabled';
  lockedUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

const invalidate = (qc: ReturnType<typeof useQueryClient>) => qc.invalidateQueries({ queryKey: ['/v1/users'] });

/** A party's people and their roles: add, change roles, disable or enable, unlock. */
export function PeoplePage() {
  return (
    <Stack>
      <Title order={1}>People and roles</Title>
      <Text c="dimmed" size="sm">
        The people of a party who sign in, and their roles: administrator (people and keys), operator, field engineer, approver (releases held requests, never their own), auditor
        (reads, the audit trail included).
      </Text>
      <AddPerson />
      <PeopleList />
    </Stack>
  );
}

function AddPerson() {
  const qc = useQueryClient();
  const [partyId, setPartyId] = useState('');
  const [username, setUsername] = useState('');
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<string[]>([]);
  const [password, setPassword] = useState('');
  const add = useMutation({
    mutationFn: () =>
      api<{ user: Person; password: string | null }>('/v1/users', {
        method: 'POST',
        body: { username, name, roles, ...(partyId.trim() ? { partyId: partyId.trim() } : {}), ...(password ? { password } : {}) },
      }),
    onSuccess: () => {
      setPassword('');
      void invalidate(qc);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  return (
    <Card withBorder>
      <form onSubmit={submit} aria-labelledby="add-person">
        <Stack gap="sm">
          <Title order={2} size="h3" id="add-person">
            Add a person
          </Title>
          <Group align="end">
            <TextInput label="Username" value={username} onChange={(e) => setUsername(e.currentTarget.value)} required />
            <TextInput label="Full name" value={name} onChange={(e) => setName(e.currentTarget.value)} required />
            <MultiSelect searchable label="Roles of the person" data={options(PERSON_ROLES)} value={roles} onChange={setRoles} w={280} />
            <PasswordInput
              label="Password (optional)"
              description="generated when empty"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              autoComplete="new-password"
            />
            <TextInput label="Party (optional)" description="yours when empty" value={partyId} onChange={(e) => setPartyId(e.currentTarget.value)} />
            <Button type="submit" loading={add.isPending}>
              Add person
            </Button>
          </Group>
          <ProblemAlert error={add.error} title="Not added" />
          {add.data && (
            <Alert variant="default" title={`${add.data.user.username} added`} data-testid="person-added">
              {add.data.password ? (
                <Text size="sm">
                  Generated password, shown this once: <Code data-testid="generated-password">{add.data.password}</Code>
                </Text>
              ) : (
                <Text size="sm">With the password you gave.</Text>
              )}
            </Alert>
          )}
        </Stack>
      </form>
    </Card>
  );
}

function PeopleList() {
  const [role, setRole] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [partyId, setPartyId] = useState('');
  const list = usePagedList<Person>('/v1/users', 'users', { role, status, partyId: partyId.trim() || undefined });
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={2} size="h3">
          People
        </Title>
        <Group align="end">
          <Select label="Role" data={options(PERSON_ROLES)} value={role} onChange={setRole} clearable placeholder="any" />
          <Select label="Status" data={options(['active', 'disabled'])} value={status} onChange={setStatus} clearable placeholder="any" />
          <TextInput label="Party" description="yours when empty" value={partyId} onChange={(e) => setPartyId(e.currentTarget.value)} />
        </Group>
        <QueryState query={{ ...list, data: list.data }} empty={() => list.items.length === 0} emptyText="No people match.">
          {() => (
            <Table.ScrollContainer minWidth={900}>
              <Table striped data-testid="people">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Person</Table.Th>
                    <Table.Th>Roles</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Actions</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.items.map((p) => (
                    <PersonRow key={p.id} p={p} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </QueryState>
        <MoreButton shown={list.items.length} hasNext={list.hasNextPage} loading={list.isFetchingNextPage} onMore={() => void list.fetchNextPage()} what="people" />
      </Stack>
    </Card>
  );
}

function PersonRow({ p }: { p: Person }) {
  const qc = useQueryClient();
  const [roles, setRoles] = useState<string[]>(p.roles);
  const change = useMutation({
    mutationFn: (body: { roles?: string[]; status?: string }) => api<Person>(`/v1/users/${encodeURIComponent(p.id)}`, { method: 'PATCH', body }),
    onSuccess: () => invalidate(qc),
  });
  const unlock = useMutation({ mutationFn: () => api<Person>(`/v1/users/${encodeURIComponent(p.id)}/unlock`, { method: 'POST' }), onSuccess: () => invalidate(qc) });
  return (
    <Table.Tr data-testid={`person-${p.username}`}>
      <Table.Td>
        <Text size="sm" fw={500}>
          {p.username}
        </Text>
        <Text size="xs" c="dimmed">
          {p.name} · {p.partyId}
        </Text>
      </Table.Td>
      <Table.Td>
        <Group gap="xs" align="end" wrap="nowrap">
          <MultiSelect searchable size="xs" label={`Roles of ${p.username}`} data={options(PERSON_ROLES)} value={roles} onChange={setRoles} w={260} />
          <Button size="xs" variant="default" onClick={() => change.mutate({ roles })} aria-label={`Save roles of ${p.username}`}>
            Save roles
          </Button>
        </Group>
      </Table.Td>
      <Table.Td>
        <StateBadge state={p.status} />
        {p.lockedUntil && (
          <Text size="xs">
            locked until <When at={p.lockedUntil} />
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Group gap="xs">
          <Button
            size="xs"
            variant="default"
            onClick={() => change.mutate({ status: p.status === 'active' ? 'disabled' : 'active' })}
            aria-label={`${p.status === 'active' ? 'Disable' : 'Enable'} ${p.username}`}
          >
            {p.status === 'active' ? 'Disable' : 'Enable'}
          </Button>
          {p.lockedUntil && (
            <Button size="xs" variant="default" onClick={() => unlock.mutate()} aria-label={`Unlock ${p.username}`}>
              Unlock
            </Button>
          )}
        </Group>
        <ProblemAlert error={change.error ?? unlock.error} />
      </Table.Td>
    </Table.Tr>
  );
}
