import { Button, Card, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import type { Me } from '../../auth/session.ts';
import { usePagedList } from '../../components/paged-list.ts';
import { QueryState } from '../../components/query-state.tsx';
import { CreateReturnForm } from './bench-forms.tsx';
import { DeviceView } from './device-view.tsx';
import { LineView } from './line-view.tsx';
import { when, type ReturnLine } from './types.ts';

/**
 * The triage bench (a technician at a secure facility): scan or type an EUI; the device, its
 * lifecycles and returns; hand over, triage, refurbish, reinstall and print its label. The server
 * decides every step; a refusal is shown where it was asked, with its reason.
 */
export function TriageBenchPage({ params }: { params: Record<string, string | undefined> }) {
  const eui = (params.eui ?? '').toUpperCase();
  const [, navigate] = useLocation();
  const [typed, setTyped] = useState(eui);
  useEffect(() => setTyped(eui), [eui]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = typed
      .trim()
      .replace(/[\s:-]/g, '')
      .toUpperCase();
    if (v) navigate(`/triage/${encodeURIComponent(v)}`);
  };
  return (
    <Stack>
      <Title order={1}>Triage bench</Title>
      <form onSubmit={submit} aria-label="find a device">
        <Group align="end">
          <TextInput
            label="Device EUI"
            description="Scan the device's barcode or type its EUI, then Enter"
            value={typed}
            onChange={(e) => setTyped(e.currentTarget.value)}
            autoFocus
            autoComplete="off"
            spellCheck={false}
            w={320}
          />
          <Button type="submit">Look up</Button>
        </Group>
      </form>
      {eui && <Bench key={eui} eui={eui} />}
    </Stack>
  );
}

function Bench({ eui }: { eui: string }) {
  const me = useQueryClient().getQueryData<Me>(['me'])!;
  const lines = usePagedList<ReturnLine>('/v1/return-lines', 'lines', { deviceEui: eui });
  const [chosen, setChosen] = useState<string | null>(null);
  const newestFirst = [...lines.items].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const open = newestFirst.find((l) => l.state !== 'scrapped' && l.state !== 'reinstalled');
  const current = chosen ?? newestFirst[0]?.id ?? null;
  return (
    <Stack>
      <DeviceView eui={eui} />
      <Card withBorder>
        <Title order={2} size="h3">
          Returns of this device
        </Title>
        <QueryState query={{ isPending: lines.isPending, error: lines.error, data: lines.items }}>
          {(items) =>
            items.length === 0 ? (
              <Text size="sm" c="dimmed" data-testid="empty">
                This device has no return yet.
              </Text>
            ) : (
              <Table fz="sm" aria-label="returns of this device">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Line</Table.Th>
                    <Table.Th>Returned</Table.Th>
                    <Table.Th>Reason</Table.Th>
                    <Table.Th>State</Table.Th>
                    <Table.Th>Open</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {newestFirst.map((l) => (
                    <Table.Tr key={l.id}>
                      <Table.Td>{l.id}</Table.Td>
                      <Table.Td>{when(l.createdAt)}</Table.Td>
                      <Table.Td>{l.reason}</Table.Td>
                      <Table.Td>{l.state}</Table.Td>
                      <Table.Td>
                        <Button
                          size="compact-xs"
                          variant={l.id === current ? 'filled' : 'default'}
                          onClick={() => setChosen(l.id)}
                          aria-label={`${l.id === current ? 'Shown' : 'Show'} line ${l.id}`}
                        >
                          {l.id === current ? 'Shown' : 'Show'}
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )
          }
        </QueryState>
        {lines.hasNextPage && (
          <Button mt="xs" variant="default" onClick={() => void lines.fetchNextPage()} loading={lines.isFetchingNextPage}>
            More returns
          </Button>
        )}
      </Card>
      {!lines.isPending && !open && <CreateReturnForm eui={eui} />}
      {current && <LineView key={current} lineId={current} me={me} />}
    </Stack>
  );
}
