import { Autocomplete, Button, Card, Checkbox, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import type { Me } from '../../auth/session.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { RETURN_REASONS, type ReturnLine, type Seal } from './types.ts';

/** A change on the bench: on success everything shown is fetched again (the server's state is the page's). */
function useBenchChange<B, R>(path: string, method: 'POST' = 'POST') {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: B) => api<R>(path, { method, body }),
    onSuccess: () => qc.invalidateQueries(),
  });
}

const linePath = (line: ReturnLine, action: string) => `/v1/return-lines/${encodeURIComponent(line.id)}/${action}`;

/** Take the device back from its premise: a return of one line. */
export function CreateReturnForm({ eui }: { eui: string }) {
  const [reason, setReason] = useState('no-fault-general');
  const m = useBenchChange<unknown, unknown>('/v1/returns');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    m.mutate({ lines: [{ deviceEui: eui, reason }] });
  };
  return (
    <Card withBorder component="section" aria-labelledby="create-return">
      <form onSubmit={submit}>
        <Stack gap="xs">
          <Title order={3} size="h4" id="create-return">
            Create a return
          </Title>
          <Autocomplete label="Reason" data={RETURN_REASONS} value={reason} onChange={setReason} required />
          <ProblemAlert error={m.error} />
          <Group>
            <Button type="submit" loading={m.isPending}>
              Create return
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

/** Hand over custody, with each seal seen and whether it is intact. */
export function HandOverForm({ line, me }: { line: ReturnLine; me: Me }) {
  const [toPartyId, setTo] = useState(me.partyId);
  const [site, setSite] = useState('alpha-lab');
  const [seals, setSeals] = useState<Seal[]>([{ id: '', intact: true }]);
  const [note, setNote] = useState('');
  const m = useBenchChange<unknown, ReturnLine>(linePath(line, 'handover'));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const given = seals.filter((s) => s.id.trim() !== '').map((s) => ({ id: s.id.trim(), intact: s.intact }));
    m.mutate({ toPartyId, site, ...(given.length ? { seals: given } : {}), ...(note ? { note } : {}) });
  };
  const setSeal = (i: number, s: Partial<Seal>) => setSeals(seals.map((x, j) => (j === i ? { ...x, ...s } : x)));
  return (
    <Card withBorder component="section" aria-labelledby="handover">
      <form onSubmit={submit}>
        <Stack gap="xs">
          <Title order={3} size="h4" id="handover">
            Hand over
          </Title>
          <Group grow>
            <TextInput label="To party" value={toPartyId} onChange={(e) => setTo(e.currentTarget.value)} required />
            <TextInput label="Site (facility id or place)" value={site} onChange={(e) => setSite(e.currentTarget.value)} required />
          </Group>
          {seals.map((s, i) => (
            <Group key={i} align="end">
              <TextInput label={`Seal number ${i + 1}`} value={s.id} onChange={(e) => setSeal(i, { id: e.currentTarget.value })} />
              <Checkbox label={`Seal ${i + 1} intact`} checked={s.intact} onChange={(e) => setSeal(i, { intact: e.currentTarget.checked })} mb={8} />
            </Group>
          ))}
          <TextInput label="Note" value={note} onChange={(e) => setNote(e.currentTarget.value)} />
          <ProblemAlert error={m.error} />
          {m.isSuccess && (
            <Text size="sm" role="status">
              Handed to {m.data.custodianPartyId} at {m.data.site} (custody pass {m.data.custodyPass}).
            </Text>
          )}
          <Group>
            <Button variant="default" onClick={() => setSeals([...seals, { id: '', intact: true }])}>
              Add a seal
            </Button>
            <Button type="submit" loading={m.isPending}>
              Hand over
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

/** Refurbish to vanilla credentials, grade and stock; or scrap a triaged device. */
export function RefurbishForm({ line }: { line: ReturnLine }) {
  const [grade, setGrade] = useState('A');
  const [location, setLocation] = useState('');
  const [newSeals, setNewSeals] = useState('');
  const [scrapReason, setScrapReason] = useState('');
  const m = useBenchChange<unknown, ReturnLine>(linePath(line, 'refurbish'));
  const s = useBenchChange<unknown, ReturnLine>(linePath(line, 'scrap'));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const seals = newSeals
      .split(/[\s,]+/)
      .map((x) => x.trim())
      .filter(Boolean);
    m.mutate({ grade, location, ...(seals.length ? { newSeals: seals } : {}) });
  };
  return (
    <Card withBorder component="section" aria-labelledby="refurbish">
      <form onSubmit={submit}>
        <Stack gap="xs">
          <Title order={3} size="h4" id="refurbish">
            Refurbish
          </Title>
          <Group grow>
            <NativeSelect label="Grade" value={grade} onChange={(e) => setGrade(e.currentTarget.value)} data={['A', 'B', 'C']} />
            <TextInput label="Stock location" value={location} onChange={(e) => setLocation(e.currentTarget.value)} required />
          </Group>
          <TextInput label="New seal numbers (if the seals are broken)" value={newSeals} onChange={(e) => setNewSeals(e.currentTarget.value)} />
          <ProblemAlert error={m.error} />
          {m.isSuccess && (
            <Text size="sm" role="status">
              {m.data.state === 'scrapped'
                ? `Scrapped: ${m.data.scrapReason}`
                : `Refurbished${m.data.vanilla ? ' to vanilla credentials' : ''}, grade ${m.data.grade}, stocked at ${m.data.stockLocation}.`}
            </Text>
          )}
          <Group>
            <Button type="submit" loading={m.isPending}>
              Refurbish
            </Button>
          </Group>
        </Stack>
      </form>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          s.mutate({ reason: scrapReason });
        }}
      >
        <Group align="end" mt="sm">
          <TextInput label="Scrap reason" value={scrapReason} onChange={(e) => setScrapReason(e.currentTarget.value)} required />
          <Button type="submit" color="red" variant="outline" loading={s.isPending}>
            Scrap
          </Button>
        </Group>
        <ProblemAlert error={s.error} />
      </form>
    </Card>
  );
}

/** Reinstall a stocked device at a premise the Supplier supplies. */
export function ReinstallForm({ line }: { line: ReturnLine }) {
  const [premiseId, setPremise] = useState('');
  const m = useBenchChange<unknown, ReturnLine>(linePath(line, 'reinstall'));
  return (
    <Card withBorder component="section" aria-labelledby="reinstall">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          m.mutate({ premiseId });
        }}
      >
        <Stack gap="xs">
          <Title order={3} size="h4" id="reinstall">
            Reinstall
          </Title>
          <TextInput label="Premise" value={premiseId} onChange={(e) => setPremise(e.currentTarget.value)} required />
          <ProblemAlert error={m.error} />
          {m.isSuccess && (
            <Text size="sm" role="status">
              Reinstalled at {premiseId}: NO cell {m.data.noCredential}.
            </Text>
          )}
          <Group>
            <Button type="submit" loading={m.isPending}>
              Reinstall
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
