import { Alert, Button, Card, Code, Group, NativeSelect, NumberInput, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { usePagedList } from '../../components/paged-list.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { pounds, when, type Vend } from './types.ts';

/** A fresh idempotency key: crypto.randomUUID where the page is a secure context, else the same from random bytes. */
export function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function VendCard({ vend, title }: { vend: Vend; title: string }) {
  return (
    <Card withBorder data-testid="vend-result">
      <Title order={2} size="h4">
        {title}
      </Title>
      <Text size="sm">
        {vend.kind === 'credit' ? `Top-up ${pounds(vend.pence)}` : 'Configuration code'} for {vend.deviceEui}
      </Text>
      <Text size="xl" fw={700} ff="monospace" data-testid="vend-code" aria-label="code">
        {vend.code}
      </Text>
      <Text size="xs" c="dimmed">
        key {vend.idempotencyKey} · counter {vend.counter} · {when(vend.createdAt)}
      </Text>
    </Card>
  );
}

/** The vend form: its idempotency key is made once for the form and kept until the form is reset. */
function VendForm({ onVended }: { onVended: (v: Vend) => void }) {
  const qc = useQueryClient();
  const [key, setKey] = useState(newKey);
  const [kind, setKind] = useState<'credit' | 'config'>('credit');
  const [deviceEui, setDeviceEui] = useState('');
  const [value, setValue] = useState<number | string>(10);
  const [valueClass, setValueClass] = useState<'pounds' | 'pennies'>('pounds');
  const [action, setAction] = useState<'enableSupply' | 'switchToCreditMode'>('enableSupply');
  const vend = useMutation({
    mutationFn: () =>
      api<Vend>('/v1/vends', {
        method: 'POST',
        idempotencyKey: key,
        body: kind === 'credit' ? { kind, deviceEui: deviceEui.trim(), value: Number(value), valueClass } : { kind, deviceEui: deviceEui.trim(), action },
      }),
    onSuccess: (v) => {
      onVended(v);
      void qc.invalidateQueries({ queryKey: ['/v1/vends'] });
    },
  });
  const reset = () => {
    setKey(newKey());
    setDeviceEui('');
    setValue(10);
    vend.reset();
  };
  return (
    <Card withBorder>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          vend.mutate();
        }}
      >
        <Stack>
          <Title order={2} size="h4">
            Vend a code
          </Title>
          <NativeSelect
            label="Kind"
            value={kind}
            onChange={(e) => setKind(e.currentTarget.value as 'credit' | 'config')}
            data={[
              { value: 'credit', label: 'Top-up (UTRN)' },
              { value: 'config', label: 'Configuration code (meterops extension, off by default)' },
            ]}
          />
          <TextInput label="Device EUI" required value={deviceEui} onChange={(e) => setDeviceEui(e.currentTarget.value)} placeholder="0F8F00000000004A" />
          {kind === 'credit' ? (
            <Group grow>
              <NumberInput label="Value" required value={value} onChange={setValue} allowDecimal={false} />
              <NativeSelect label="Value class" value={valueClass} onChange={(e) => setValueClass(e.currentTarget.value as 'pounds' | 'pennies')} data={['pounds', 'pennies']} />
            </Group>
          ) : (
            <NativeSelect
              label="Action"
              value={action}
              onChange={(e) => setAction(e.currentTarget.value as 'enableSupply' | 'switchToCreditMode')}
              data={[
                { value: 'enableSupply', label: 'Enable supply' },
                { value: 'switchToCreditMode', label: 'Switch to credit mode' },
              ]}
            />
          )}
          <Text size="xs" c="dimmed" data-testid="form-key">
            Idempotency key of this form: {key}
          </Text>
          <ProblemAlert error={vend.error} />
          <Group>
            <Button type="submit">Vend</Button>
            <Button variant="default" onClick={reset}>
              New vend (reset the form)
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

/** Reprint: the code vended under a key, as the server holds it. */
function Reprint({ reprintKey }: { reprintKey: string }) {
  const q = useQuery({ queryKey: ['/v1/vends', reprintKey], queryFn: () => api<Vend>(`/v1/vends/${encodeURIComponent(reprintKey)}`) });
  return <QueryState query={q}>{(v) => <VendCard vend={v} title="Reprint" />}</QueryState>;
}

/** Vending top-ups and configuration codes, reprinting them, and the Supplier's vends. */
export function VendPage() {
  const [vended, setVended] = useState<Vend | null>(null);
  const [reprintInput, setReprintInput] = useState('');
  const [reprintKey, setReprintKey] = useState<string | null>(null);
  const [filterEui, setFilterEui] = useState('');
  const [filterKind, setFilterKind] = useState('');
  const [applied, setApplied] = useState<{ deviceEui: string; kind: string }>({ deviceEui: '', kind: '' });
  const list = usePagedList<Vend>('/v1/vends', 'vends', applied);
  return (
    <Stack>
      <Title order={1}>Vend and reprint</Title>
      <VendForm onVended={setVended} />
      {vended && <VendCard vend={vended} title="Vended" />}
      <Card withBorder>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setReprintKey(reprintInput.trim() || null);
          }}
        >
          <Stack>
            <Title order={2} size="h4">
              Reprint
            </Title>
            <Group align="end">
              <TextInput label="Idempotency key to reprint" value={reprintInput} onChange={(e) => setReprintInput(e.currentTarget.value)} miw={360} />
              <Button type="submit" variant="default">
                Reprint
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>
      {reprintKey && <Reprint reprintKey={reprintKey} />}
      <Title order={2} size="h3">
        Vends
      </Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ deviceEui: filterEui.trim(), kind: filterKind });
        }}
      >
        <Group align="end">
          <TextInput label="Filter by device EUI" value={filterEui} onChange={(e) => setFilterEui(e.currentTarget.value)} />
          <NativeSelect
            label="Filter by kind"
            value={filterKind}
            onChange={(e) => setFilterKind(e.currentTarget.value)}
            data={[
              { value: '', label: 'any' },
              { value: 'credit', label: 'credit' },
              { value: 'config', label: 'config' },
            ]}
          />
          <Button type="submit" variant="default">
            Filter vends
          </Button>
        </Group>
      </form>
      <QueryState query={{ ...list, data: list.items }} empty={(d) => d.length === 0} emptyText="No vends yet.">
        {(rows) => (
          <Table striped withTableBorder data-testid="vends">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">When</Table.Th>
                <Table.Th scope="col">Device</Table.Th>
                <Table.Th scope="col">Kind</Table.Th>
                <Table.Th scope="col">Value</Table.Th>
                <Table.Th scope="col">Code</Table.Th>
                <Table.Th scope="col">Key</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((v) => (
                <Table.Tr key={v.id}>
                  <Table.Td>{when(v.createdAt)}</Table.Td>
                  <Table.Td>{v.deviceEui}</Table.Td>
                  <Table.Td>{v.kind}</Table.Td>
                  <Table.Td>{v.kind === 'credit' ? pounds(v.pence) : '–'}</Table.Td>
                  <Table.Td>
                    <Code>{v.code}</Code>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{v.idempotencyKey}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="default"
                      aria-label={`Reprint ${v.idempotencyKey}`}
                      onClick={() => {
                        setReprintInput(v.idempotencyKey);
                        setReprintKey(v.idempotencyKey);
                      }}
                    >
                      Reprint
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
      {list.hasNextPage && (
        <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
          More vends
        </Button>
      )}
      {vended === null && (
        <Alert variant="light" title="Double clicks are safe">
          A double click on Vend sends the form's one key twice: the server makes one code.
        </Alert>
      )}
    </Stack>
  );
}
