import { Button, Card, Checkbox, Group, MultiSelect, Select, SimpleGrid, Stack, Table, TagsInput, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { usePagedList } from '../../components/paged-list.ts';
import { MoreButton, StateBadge, When, options } from './parts.tsx';

const COMPONENTS = ['smart_metering_system', 'user_systems_hardware', 'user_systems_software', 'user_systems_firmware'] as const;
const DUTIES = ['notify_manufacturer', 'rectify_or_mitigate', 'notify_ssc', 'establish_arrangements'] as const;
const DEVICE_TYPES = ['ESME', 'GSME', 'CHF', 'GPF', 'PPMID', 'IHD', 'CAD', 'HCALCS'];

interface Vulnerability {
  id: string;
  title: string;
  manufacturer: string;
  models: string[];
  firmwareVersions: string[];
  component: string;
  deviceTypes: string[];
  awarePartyId: string;
  awareAt: string;
  manufacturerAware: boolean;
  description: string | null;
  recordedAt: string;
}

export interface Duty {
  id: string;
  vulnerabilityId: string;
  partyId: string;
  duty: string;
  clause: string;
  deviceCount: number;
  state: 'open' | 'done' | 'exempt';
  deadline: string;
  evidence: string | null;
  sscSteps: string | null;
  stepsCompleteBy: string | null;
  exemptReason: string | null;
  closedBy: string | null;
  closedAt: string | null;
  createdAt: string;
}

interface Report {
  partyId: string;
  open: number;
  done: number;
  exempt: number;
  overdue: number;
  devicesCovered: number;
}

/** Vulnerabilities (SEC G3.17), the duties they raise (G3.18-G3.20) with their deadlines, closed with evidence. */
export function VulnerabilitiesPage() {
  return (
    <Stack>
      <Title order={1}>Vulnerabilities and duties</Title>
      <Text c="dimmed" size="sm">
        Under SEC Section G3.17-G3.20 a User that becomes aware of a vulnerability must notify the manufacturer, rectify or mitigate, notify the Security Sub-Committee and hold
        arrangements with the manufacturer. meterops works out who owes which duty and by when; close each with its evidence.
      </Text>
      <ObligationsSummary />
      <RecordVulnerability />
      <DutiesList />
      <VulnerabilitiesList />
    </Stack>
  );
}

function ObligationsSummary() {
  const q = useQuery({ queryKey: ['/v1/reports/obligations'], queryFn: () => api<Report>('/v1/reports/obligations') });
  return (
    <QueryState query={q}>
      {(r) => (
        <SimpleGrid cols={{ base: 2, sm: 5 }} data-testid="obligations-summary">
          {(
            [
              ['open', r.open],
              ['overdue', r.overdue],
              ['done', r.done],
              ['exempt', r.exempt],
              ['devices covered', r.devicesCovered],
            ] as const
          ).map(([label, n]) => (
            <Card withBorder key={label} p="sm">
              <Text size="xs" c="dimmed">
                {label}
              </Text>
              <Text fw={700} size="xl" c={label === 'overdue' && n > 0 ? 'red.9' : undefined} data-testid={`summary-${label.replace(' ', '-')}`}>
                {n}
              </Text>
            </Card>
          ))}
        </SimpleGrid>
      )}
    </QueryState>
  );
}

function RecordVulnerability() {
  const qc = useQueryClient();
  const [title, setTitle] = useState('');
  const [manufacturer, setManufacturer] = useState('');
  const [models, setModels] = useState<string[]>([]);
  const [firmwareVersions, setFirmwareVersions] = useState<string[]>([]);
  const [component, setComponent] = useState<string | null>('smart_metering_system');
  const [deviceTypes, setDeviceTypes] = useState<string[]>([]);
  const [awareAt, setAwareAt] = useState(() => new Date().toISOString().slice(0, 16));
  const [manufacturerAware, setManufacturerAware] = useState(false);
  const [description, setDescription] = useState('');
  const record = useMutation({
    mutationFn: () =>
      api<{ id: string; affectedDevices: number; duties: Duty[] }>('/v1/vulnerabilities', {
        method: 'POST',
        body: {
          title,
          manufacturer,
          component: component ?? '',
          awareAt: awareAt ? new Date(`${awareAt}Z`).toISOString() : '',
          manufacturerAware,
          ...(models.length ? { models } : {}),
          ...(firmwareVersions.length ? { firmwareVersions } : {}),
          ...(deviceTypes.length ? { deviceTypes } : {}),
          ...(description ? { description } : {}),
        },
      }),
    onSuccess: () => qc.invalidateQueries({ predicate: (q) => ['/v1/duties', '/v1/vulnerabilities', '/v1/reports/obligations'].includes(q.queryKey[0] as string) }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    record.mutate();
  };
  return (
    <Card withBorder>
      <form onSubmit={submit} aria-labelledby="record-vulnerability">
        <Stack gap="sm">
          <Title order={2} size="h3" id="record-vulnerability">
            Record a vulnerability
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="Title" value={title} onChange={(e) => setTitle(e.currentTarget.value)} required />
            <TextInput
              label="Manufacturer"
              value={manufacturer}
              onChange={(e) => setManufacturer(e.currentTarget.value)}
              required
              description="as the registry names it, e.g. Acme Metering"
            />
            <TagsInput label="Models" value={models} onChange={setModels} description="press Enter after each" />
            <TagsInput label="Firmware versions" value={firmwareVersions} onChange={setFirmwareVersions} description="none: every version" />
            <Select label="Component" data={options(COMPONENTS)} value={component} onChange={setComponent} allowDeselect={false} required />
            <MultiSelect searchable label="Device types" data={DEVICE_TYPES} value={deviceTypes} onChange={setDeviceTypes} description="for a Smart Metering System" />
            <TextInput label="Became aware at (UTC)" type="datetime-local" value={awareAt} onChange={(e) => setAwareAt(e.currentTarget.value)} required />
            <Checkbox label="The manufacturer already knows (G3.19)" checked={manufacturerAware} onChange={(e) => setManufacturerAware(e.currentTarget.checked)} mt="lg" />
          </SimpleGrid>
          <Textarea label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={2} />
          <ProblemAlert error={record.error} />
          {record.data && (
            <Text role="status" data-testid="recorded">
              Recorded {record.data.id}: {record.data.affectedDevices} devices affected, {record.data.duties.length} duties of yours.
            </Text>
          )}
          <Group>
            <Button type="submit" loading={record.isPending}>
              Record vulnerability
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function DutiesList() {
  const [overdue, setOverdue] = useState(false);
  const [state, setState] = useState<string | null>(null);
  const [duty, setDuty] = useState<string | null>(null);
  const [vulnerabilityId, setVulnerabilityId] = useState('');
  const list = usePagedList<Duty>('/v1/duties', 'duties', { overdue: overdue ? 'true' : undefined, state, duty, vulnerabilityId: vulnerabilityId.trim() || undefined });
  // Which duties are late is the server's answer (GET /v1/duties?overdue=true), not a rule of the page.
  const late = useQuery({ queryKey: ['/v1/duties', 'overdue-ids'], queryFn: () => api<{ duties: Duty[] }>('/v1/duties', { query: { overdue: 'true', limit: 500 } }) });
  const lateIds = new Set((late.data?.duties ?? []).map((d) => d.id));
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={2} size="h3">
          Duties
        </Title>
        <Group align="end">
          <Select label="State" data={options(['open', 'done', 'exempt'])} value={state} onChange={setState} clearable placeholder="any" />
          <Select label="Duty" data={options(DUTIES)} value={duty} onChange={setDuty} clearable placeholder="any" />
          <TextInput label="Vulnerability id" value={vulnerabilityId} onChange={(e) => setVulnerabilityId(e.currentTarget.value)} />
          <Checkbox label="Overdue only" checked={overdue} onChange={(e) => setOverdue(e.currentTarget.checked)} mb={8} />
        </Group>
        <QueryState query={{ ...list, data: list.data }} empty={() => list.items.length === 0} emptyText="No duties match.">
          {() => (
            <Table.ScrollContainer minWidth={800}>
              <Table striped data-testid="duties">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Duty</Table.Th>
                    <Table.Th>Party</Table.Th>
                    <Table.Th>Devices</Table.Th>
                    <Table.Th>Deadline</Table.Th>
                    <Table.Th>State</Table.Th>
                    <Table.Th>Evidence or action</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.items.map((d) => (
                    <DutyRow key={d.id} duty={d} late={lateIds.has(d.id)} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </QueryState>
        <MoreButton shown={list.items.length} hasNext={list.hasNextPage} loading={list.isFetchingNextPage} onMore={() => void list.fetchNextPage()} what="duties" />
      </Stack>
    </Card>
  );
}

function DutyRow({ duty: d, late }: { duty: Duty; late: boolean }) {
  const qc = useQueryClient();
  const [evidence, setEvidence] = useState('');
  // G3.18(c): the SSC is told "the steps being taken" and "the time within which those steps are intended to be completed".
  const sscNotice = d.duty === 'notify_ssc';
  const [steps, setSteps] = useState('');
  const [completeBy, setCompleteBy] = useState('');
  const done = useMutation({
    mutationFn: () =>
      api<Duty>(`/v1/duties/${encodeURIComponent(d.id)}/done`, {
        method: 'POST',
        body: sscNotice ? { evidence, steps, ...(completeBy ? { completeBy: new Date(`${completeBy}Z`).toISOString() } : {}) } : { evidence },
      }),
    onSuccess: () => qc.invalidateQueries({ predicate: (q) => ['/v1/duties', '/v1/reports/obligations'].includes(q.queryKey[0] as string) }),
  });
  const label = `${d.duty.replaceAll('_', ' ')} (${d.clause})`;
  return (
    <Table.Tr data-testid={`duty-${d.id}`}>
      <Table.Td>
        <Text size="sm" fw={500}>
          {label}
        </Text>
        <Text size="xs" c="dimmed">
          {d.id} · {d.vulnerabilityId}
        </Text>
      </Table.Td>
      <Table.Td>{d.partyId}</Table.Td>
      <Table.Td>{d.deviceCount}</Table.Td>
      <Table.Td>
        <When at={d.deadline} />
      </Table.Td>
      <Table.Td>
        <Group gap={4}>
          <StateBadge state={d.state} />
          {late && <StateBadge state="overdue" />}
        </Group>
      </Table.Td>
      <Table.Td>
        {d.state === 'open' ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              done.mutate();
            }}
          >
            <Group gap="xs" align="end" wrap="nowrap">
              <TextInput
                size="xs"
                label={`Evidence for ${label}`}
                value={evidence}
                onChange={(e) => setEvidence(e.currentTarget.value)}
                placeholder="who was told, when, reference"
              />
              {sscNotice && (
                <>
                  <TextInput size="xs" label={`Steps for ${label}`} value={steps} onChange={(e) => setSteps(e.currentTarget.value)} placeholder="steps to rectify or mitigate" />
                  <TextInput
                    size="xs"
                    type="datetime-local"
                    label={`Steps complete by (UTC) for ${label}`}
                    value={completeBy}
                    onChange={(e) => setCompleteBy(e.currentTarget.value)}
                  />
                </>
              )}
              <Button type="submit" size="xs" loading={done.isPending} aria-label={`Mark done: ${label}`}>
                Mark done
              </Button>
            </Group>
            <ProblemAlert error={done.error} />
          </form>
        ) : (
          <Text size="sm">
            {d.evidence ?? d.exemptReason}
            {d.sscSteps && (
              <>
                {' '}
                · steps: {d.sscSteps}, complete by <When at={d.stepsCompleteBy!} />
              </>
            )}{' '}
            <Text span size="xs" c="dimmed">
              ({d.closedBy})
            </Text>
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function VulnerabilitiesList() {
  const [manufacturer, setManufacturer] = useState('');
  const [component, setComponent] = useState<string | null>(null);
  const list = usePagedList<Vulnerability>('/v1/vulnerabilities', 'vulnerabilities', { manufacturer: manufacturer.trim() || undefined, component });
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={2} size="h3">
          Vulnerabilities
        </Title>
        <Group align="end">
          <TextInput label="Filter by manufacturer" value={manufacturer} onChange={(e) => setManufacturer(e.currentTarget.value)} />
          <Select label="Filter by component" data={options(COMPONENTS)} value={component} onChange={setComponent} clearable placeholder="any" />
        </Group>
        <QueryState query={{ ...list, data: list.data }} empty={() => list.items.length === 0} emptyText="No vulnerabilities recorded.">
          {() => (
            <Table.ScrollContainer minWidth={700}>
              <Table striped data-testid="vulnerabilities">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Vulnerability</Table.Th>
                    <Table.Th>Manufacturer and models</Table.Th>
                    <Table.Th>Component</Table.Th>
                    <Table.Th>Aware</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.items.map((v) => (
                    <Table.Tr key={v.id}>
                      <Table.Td>
                        <Text size="sm" fw={500}>
                          {v.title}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {v.id}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {v.manufacturer} {v.models.join(', ')}
                        {v.firmwareVersions.length ? ` (firmware ${v.firmwareVersions.join(', ')})` : ''}
                      </Table.Td>
                      <Table.Td>
                        {v.component.replaceAll('_', ' ')}
                        {v.deviceTypes.length ? `: ${v.deviceTypes.join(', ')}` : ''}
                      </Table.Td>
                      <Table.Td>
                        {v.awarePartyId}, <When at={v.awareAt} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </QueryState>
        <MoreButton shown={list.items.length} hasNext={list.hasNextPage} loading={list.isFetchingNextPage} onMore={() => void list.fetchNextPage()} what="vulnerabilities" />
      </Stack>
    </Card>
  );
}
