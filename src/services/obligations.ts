import { randomUUID } from 'node:crypto';
import {
  assignDuties,
  DEFAULT_DUTY_SLA_DAYS,
  DEVICE_TYPES,
  ForbiddenError,
  isDeviceType,
  NotFoundError,
  ConflictError,
  ValidationError,
  VULNERABILITY_COMPONENTS,
  type AffectedDevice,
  type Duty,
  type DutyRecord,
  type Party,
  type Vulnerability,
  type VulnerabilityComponent,
  type Page,
  type PageQuery,
  DUTIES,
  pageRequest,
  toPage,
} from '../domain/index.ts';
import type { StoreTx } from '../store/ports.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './deps.ts';
import { mayAct } from './acting.ts';
import type { Principal } from '../domain/index.ts';

export interface VulnerabilityInput {
  readonly title: string;
  readonly manufacturer: string;
  readonly models?: readonly string[];
  readonly firmwareVersions?: readonly string[];
  readonly component: string;
  readonly deviceTypes?: readonly string[];
  readonly awareAt: Date;
  /** G3.19: the reporting User is satisfied the manufacturer or developer already knows. */
  readonly manufacturerAware?: boolean;
  readonly description?: string;
}

export interface RecordedVulnerability {
  readonly vulnerability: Vulnerability;
  readonly duties: readonly DutyRecord[];
  readonly affectedDevices: number;
  /** The registered devices it affects, every party's: not for the recording party's eyes (`recordSeenBy`). */
  readonly affected: readonly AffectedDevice[];
}

/** What the recording party is shown of a recorded vulnerability. */
export interface VulnerabilitySeen {
  readonly vulnerability: Vulnerability;
  readonly duties: readonly DutyRecord[];
  readonly affectedDevices: number;
}

/**
 * The record as the party that made it may see it: its own duties, and the affected devices it is
 * the Responsible Supplier of; the DCC sees all. Other parties' duties, and how many of their
 * devices are affected, are theirs to see (a count would tell one Supplier the size of another's
 * fleet of that model).
 */
export function recordSeenBy(r: RecordedVulnerability, actor: Party): VulnerabilitySeen {
  if (actor.role === 'dcc') return { vulnerability: r.vulnerability, duties: r.duties, affectedDevices: r.affectedDevices };
  return {
    vulnerability: r.vulnerability,
    duties: r.duties.filter((d) => d.partyId === actor.id),
    affectedDevices: r.affected.filter((d) => d.supplierPartyId === actor.id).length,
  };
}

const text = (field: string, v: string | undefined, max: number, required = true): string => {
  const s = (v ?? '').trim();
  if (required && !s) throw new ValidationError(field, 'required', `${field} is required`);
  if (s.length > max) throw new ValidationError(field, 'max-length', `${field} is longer than ${max} characters`);
  return s;
};

/** SEC Section G binds Users (and the DCC): the SSC and a manufacturer record neither vulnerabilities nor arrangements. */
function requireSecUser(actor: Party, rule: string, what: string): void {
  if (!['supplier', 'network_operator', 'gas_transporter', 'meter_asset_provider', 'dcc'].includes(actor.role)) {
    throw new ForbiddenError(rule, `a ${actor.role} is not a User under SEC Section G; Users and the DCC ${what}`);
  }
}

/**
 * Records a vulnerability a User became aware of, finds the affected registered devices, and
 * creates every duty G3.17-G3.20 puts on each responsible party, with deadlines from the service
 * levels. One transaction, audited.
 */
export async function recordVulnerability(
  deps: ServiceDeps,
  actor: Party,
  input: VulnerabilityInput,
  sla: Readonly<Record<Duty, number>> = { ...DEFAULT_DUTY_SLA_DAYS, ...deps.policy?.dutySlaDays },
  principal?: Principal,
): Promise<RecordedVulnerability> {
  mayAct(principal);
  requireSecUser(actor, 'record-vulnerability', 'record vulnerabilities');
  const title = text('title', input.title, 200);
  const manufacturer = text('manufacturer', input.manufacturer, 100);
  if (!(VULNERABILITY_COMPONENTS as readonly string[]).includes(input.component)) {
    throw new ValidationError('component', 'vulnerability-component', `component must be one of ${VULNERABILITY_COMPONENTS.join(', ')}`);
  }
  const component = input.component as VulnerabilityComponent;
  const deviceTypes = (input.deviceTypes ?? []).map((t) => {
    if (!isDeviceType(t)) throw new ValidationError('deviceTypes', 'device-type', `device type "${t}" is not one of ${DEVICE_TYPES.join(', ')}`);
    return t;
  });
  if (component === 'smart_metering_system' && deviceTypes.length === 0) {
    throw new ValidationError('deviceTypes', 'required', 'a Smart Metering System vulnerability names the device types it affects (ESME, GSME, CHF, GPF, PPMID, HCALCS)');
  }
  if (Number.isNaN(input.awareAt.getTime()) || input.awareAt > deps.clock()) throw new ValidationError('awareAt', 'not-in-future', 'awareAt must be a time not in the future');
  const models = [...(input.models ?? [])];
  const firmwareVersions = [...(input.firmwareVersions ?? [])];
  const now = deps.clock();
  const dcc = (await deps.store.read.parties.list()).find((p) => p.role === 'dcc');
  if (!dcc) throw new ValidationError('dcc', 'dcc-party', 'the registry has no DCC party to hold SMETS2+ hub duties');

  return deps.store.transaction(async (tx) => {
    if (component === 'smart_metering_system') {
      const known = await tx.obligations.knownModels(manufacturer);
      if (known.length === 0) throw new ValidationError('manufacturer', 'known-manufacturer', `no registered device is made by "${manufacturer}"`);
      const unknown = models.filter((m) => !known.includes(m));
      if (unknown.length) throw new ValidationError('models', 'known-model', `unknown ${manufacturer} model(s) ${unknown.join(', ')}; registered: ${known.join(', ')}`);
    }
    const affected = component === 'smart_metering_system' ? await tx.obligations.affectedDevices({ manufacturer, models, firmwareVersions, deviceTypes }) : [];
    const vulnerability: Vulnerability = {
      id: `vuln-${randomUUID()}`,
      title,
      manufacturer,
      models,
      firmwareVersions,
      component,
      deviceTypes,
      awarePartyId: actor.id,
      awareAt: input.awareAt,
      manufacturerAware: input.manufacturerAware ?? false,
      description: input.description ? text('description', input.description, 4000, false) : null,
      recordedAt: now,
    };
    await tx.obligations.insertVulnerability(vulnerability);
    const assignments = assignDuties(component, affected, {
      dccPartyId: dcc.id,
      awarePartyId: actor.id,
      manufacturerAware: vulnerability.manufacturerAware,
      arrangements: await tx.obligations.arrangements(manufacturer),
    });
    const duties: DutyRecord[] = assignments.map((a) => ({
      id: `duty-${randomUUID()}`,
      vulnerabilityId: vulnerability.id,
      partyId: a.partyId,
      duty: a.duty,
      clause: a.clause,
      deviceCount: a.deviceCount,
      state: a.exemptReason ? 'exempt' : 'open',
      deadline: new Date(now.getTime() + sla[a.duty] * 86_400_000),
      evidence: null,
      exemptReason: a.exemptReason,
      closedBy: a.exemptReason ? actor.id : null,
      closedAt: a.exemptReason ? now : null,
      createdAt: now,
    }));
    await tx.obligations.insertDuties(duties);
    await audit(tx, now, actor.id, 'vulnerability.recorded', `vulnerability/${vulnerability.id}`, {
      title,
      manufacturer,
      component,
      affected: affected.length,
      duties: duties.length,
    });
    return { vulnerability, duties, affectedDevices: affected.length, affected };
  });
}

/** G3.20: a User records the arrangement it has with a manufacturer (and whether it carries the G3.21 exemption). */
export async function recordArrangement(deps: ServiceDeps, actor: Party, manufacturer: string, g321Exemption: boolean, principal?: Principal): Promise<void> {
  mayAct(principal);
  requireSecUser(actor, 'record-arrangement', 'record G3.20 arrangements');
  const m = text('manufacturer', manufacturer, 100);
  const now = deps.clock();
  await deps.store.transaction(async (tx) => {
    await tx.obligations.upsertArrangement(actor.id, m, now, g321Exemption);
    await audit(tx, now, actor.id, 'arrangement.recorded', `arrangement/${actor.id}/${m}`, { g321Exemption });
  });
}

/** Who sees a duty: the party it falls on, the SSC (the notices to it), the DCC. */
export function canSeeDuty(actor: Party, d: DutyRecord): boolean {
  return d.partyId === actor.id || actor.role === 'dcc' || (actor.role === 'security_sub_committee' && d.duty === 'notify_ssc');
}

/** The actor's own open duty, or why it cannot be closed. */
async function ownDuty(tx: StoreTx, actor: Party, id: string): Promise<DutyRecord> {
  const d = await tx.obligations.duty(id);
  // A duty the actor may not see answers exactly as a missing one; the SSC and the DCC see it but may not close it.
  if (!d || !canSeeDuty(actor, d)) throw new NotFoundError('duty', id, 'id');
  if (d.partyId !== actor.id) throw new ForbiddenError('duty-scope', `duty ${id} falls on ${d.partyId}, not ${actor.id}`, 'id');
  if (d.state !== 'open') throw new ConflictError('duty-open', `duty ${id} is already ${d.state}`, 'id');
  return d;
}

/** Closes a duty as done: only with evidence of what was done (who was notified, when, reference). */
export async function closeDuty(deps: ServiceDeps, actor: Party, id: string, evidence: string, principal?: Principal): Promise<DutyRecord> {
  mayAct(principal);
  const ev = text('evidence', evidence, 4000);
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    await ownDuty(tx, actor, id);
    await tx.obligations.closeDuty(id, { state: 'done', evidence: ev, exemptReason: null, closedBy: actor.id, closedAt: now });
    await audit(tx, now, actor.id, 'duty.done', `duty/${id}`, { evidence: ev });
    return (await tx.obligations.duty(id))!;
  });
}

/** Marks a duty exempt: only the manufacturer notice (G3.19), with the reason the User is satisfied. */
export async function exemptDuty(deps: ServiceDeps, actor: Party, id: string, reason: string, principal?: Principal): Promise<DutyRecord> {
  mayAct(principal);
  const why = text('reason', reason, 2000);
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    const d = await ownDuty(tx, actor, id);
    if (d.duty !== 'notify_manufacturer') throw new ValidationError('id', 'exemption-clause', `only the G3.18(a) manufacturer notice can be exempt (G3.19); ${d.duty} cannot`);
    await tx.obligations.closeDuty(id, { state: 'exempt', evidence: null, exemptReason: `G3.19: ${why}`, closedBy: actor.id, closedAt: now });
    await audit(tx, now, actor.id, 'duty.exempt', `duty/${id}`, { reason: why });
    return (await tx.obligations.duty(id))!;
  });
}

/** A party's duties (the SSC sees every SSC notice, with the evidence of it). */
export type DutyListQuery = { overdue?: boolean; state?: DutyRecord['state']; duty?: Duty; vulnerabilityId?: string } & PageQuery;

/** The actor's duties, soonest deadline first: the SSC sees every notice to it; the DCC sees all. */
export async function listDuties(deps: ServiceDeps, actor: Party, q: DutyListQuery = {}): Promise<Page<DutyRecord>> {
  const page = pageRequest(q, ['date', 'string']);
  if (q.duty !== undefined && !(DUTIES as readonly string[]).includes(q.duty)) throw new ValidationError('duty', 'duty', `duty is one of ${DUTIES.join(', ')}`);
  const scope = actor.role === 'security_sub_committee' ? { duty: 'notify_ssc' as const } : actor.role === 'dcc' ? {} : { partyId: actor.id };
  if (q.duty && 'duty' in scope && scope.duty !== q.duty) return { items: [], next: null };
  return toPage(
    await deps.store.read.obligations.dutyPage(
      {
        ...scope,
        ...(q.duty ? { duty: q.duty } : {}),
        ...(q.state ? { state: q.state } : {}),
        ...(q.vulnerabilityId ? { vulnerabilityId: q.vulnerabilityId } : {}),
        ...(q.overdue ? { overdueAt: deps.clock() } : {}),
      },
      page,
    ),
  );
}

/** The vulnerabilities the actor recorded or owes a duty under (the SSC and the DCC: all), in id order. */
export async function listVulnerabilities(
  deps: ServiceDeps,
  actor: Party,
  q: { manufacturer?: string; component?: VulnerabilityComponent } & PageQuery = {},
): Promise<Page<Vulnerability>> {
  const page = pageRequest(q, ['string']);
  const all = actor.role === 'dcc' || actor.role === 'security_sub_committee';
  return toPage(
    await deps.store.read.obligations.vulnerabilityPage(
      { ...(all ? {} : { visibleTo: actor.id }), ...(q.manufacturer ? { manufacturer: q.manufacturer } : {}), ...(q.component ? { component: q.component } : {}) },
      page,
    ),
  );
}

export interface ObligationsReport {
  readonly partyId: string;
  readonly open: number;
  readonly done: number;
  readonly exempt: number;
  readonly overdue: number;
  readonly devicesCovered: number;
  readonly byDuty: Record<string, { open: number; done: number; exempt: number; overdue: number }>;
}

export async function obligationsReport(deps: ServiceDeps, actor: Party): Promise<ObligationsReport> {
  const now = deps.clock();
  const duties = await deps.store.read.obligations.duties({ partyId: actor.id });
  const byDuty: ObligationsReport['byDuty'] = {};
  let overdue = 0;
  for (const d of duties) {
    const b = (byDuty[d.duty] ??= { open: 0, done: 0, exempt: 0, overdue: 0 });
    b[d.state]++;
    if (d.state === 'open' && d.deadline < now) {
      b.overdue++;
      overdue++;
    }
  }
  const devices = new Map<string, number>();
  for (const d of duties) devices.set(d.vulnerabilityId, Math.max(devices.get(d.vulnerabilityId) ?? 0, d.deviceCount));
  return {
    partyId: actor.id,
    open: duties.filter((d) => d.state === 'open').length,
    done: duties.filter((d) => d.state === 'done').length,
    exempt: duties.filter((d) => d.state === 'exempt').length,
    overdue,
    devicesCovered: [...devices.values()].reduce((a, b) => a + b, 0),
    byDuty,
  };
}
