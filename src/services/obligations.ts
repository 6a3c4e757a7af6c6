import { randomUUID } from 'node:crypto';
import {
  DEFAULT_DUTY_SLA_DAYS,
  DEVICE_TYPES,
  ForbiddenError,
  isDeviceType,
  NotFoundError,
  ConflictError,
  ValidationError,
  VULNERABILITY_COMPONENTS,
  type AffectedDevice,
  type Awareness,
  materialityJudgement,
  type MaterialityInput,
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
import { awareTime, becomeAware, requireSecUser, text } from './awareness-duties.ts';
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
  /** The recording User's judgement of G3.17's "material"; unjudged, meterops treats it as material. */
  readonly materiality?: MaterialityInput;
}

export interface RecordedVulnerability {
  readonly vulnerability: Vulnerability;
  /** The recording party's awareness: the only one the record creates. */
  readonly awareness: Awareness;
  /** The recording party's duties: other parties owe nothing until they become aware. */
  readonly duties: readonly DutyRecord[];
  readonly affectedDevices: number;
  /** The registered devices it affects, every party's: not for the recording party's eyes (`recordSeenBy`). */
  readonly affected: readonly AffectedDevice[];
}

/** What the recording party is shown of a recorded vulnerability. */
export interface VulnerabilitySeen {
  readonly vulnerability: Vulnerability;
  readonly awareness: Awareness;
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
  if (actor.role === 'dcc') return { vulnerability: r.vulnerability, awareness: r.awareness, duties: r.duties, affectedDevices: r.affectedDevices };
  return {
    vulnerability: r.vulnerability,
    awareness: r.awareness,
    duties: r.duties.filter((d) => d.partyId === actor.id),
    affectedDevices: r.affected.filter((d) => d.supplierPartyId === actor.id).length,
  };
}

/**
 * Records a vulnerability a User became aware of, finds the affected registered devices, records
 * the User's awareness (and its materiality judgement, when given) and creates the duties
 * G3.17-G3.20 put on that User alone, due from its awareness time. Other Responsible Suppliers of
 * affected devices, and the DCC, owe nothing until they become aware (`recordAwareness`). One
 * transaction, audited.
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
  awareTime(input.awareAt, deps.clock());
  const models = [...(input.models ?? [])];
  const firmwareVersions = [...(input.firmwareVersions ?? [])];
  const now = deps.clock();
  const materiality = input.materiality ? materialityJudgement(input.materiality, actor.id, principal?.person ?? null, now) : null;
  const description = input.description ? text('description', input.description, 4000, false) : null;
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
      description,
      recordedAt: now,
    };
    await tx.obligations.insertVulnerability(vulnerability);
    const awareness: Awareness = {
      vulnerabilityId: vulnerability.id,
      partyId: actor.id,
      awareAt: input.awareAt,
      basis: 'recorded',
      recordedBy: actor.id,
      recordedAt: now,
      materiality,
    };
    const duties = await becomeAware(tx, vulnerability, awareness, { dccPartyId: dcc.id, manufacturerAware: vulnerability.manufacturerAware, sla, now });
    await audit(tx, now, actor.id, 'vulnerability.recorded', `vulnerability/${vulnerability.id}`, {
      title,
      manufacturer,
      component,
      affected: affected.length,
      duties: duties.length,
      ...(materiality ? { material: materiality.material } : {}),
    });
    return { vulnerability, awareness, duties, affectedDevices: affected.length, affected };
  });
}

/**
 * G3.20: a User records the standing arrangement it has with a manufacturer (and whether it carries
 * the G3.21 exemption), whether or not any vulnerability exists; `arrangementGapsReport` lists the
 * manufacturers of its fleet it has none with.
 */
export async function recordArrangement(deps: ServiceDeps, actor: Party, manufacturer: string, g321Exemption: boolean, principal?: Principal): Promise<void> {
  mayAct(principal);
  requireSecUser(actor, 'record-arrangement', 'record G3.20 arrangements');
  const m = text('manufacturer', manufacturer, 100);
  if (typeof g321Exemption !== 'boolean') throw new ValidationError('g321Exemption', 'boolean', 'g321Exemption is true or false');
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

/** What closing a duty records: the evidence; for the G3.18(c) SSC notice also its steps and completion time. */
export interface DutyClosing {
  readonly evidence: string;
  /** G3.18(c): "the steps being taken to rectify the cause of the vulnerability ... or to mitigate its potential impact". */
  readonly steps?: string;
  /** G3.18(c): "the time within which those steps are intended to be completed". */
  readonly completeBy?: Date;
}

/**
 * Closes a duty as done: only with evidence of what was done (who was notified, when, reference);
 * the SSC notice (G3.18(c)) only with the steps notified and the time they are to be completed by.
 */
export async function closeDuty(deps: ServiceDeps, actor: Party, id: string, closing: string | DutyClosing, principal?: Principal): Promise<DutyRecord> {
  mayAct(principal);
  const c: DutyClosing = typeof closing === 'string' ? { evidence: closing } : closing;
  const ev = text('evidence', c.evidence, 4000);
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    const d = await ownDuty(tx, actor, id);
    let ssc: { sscSteps: string; stepsCompleteBy: Date } | null = null;
    if (d.duty === 'notify_ssc') {
      const steps = (c.steps ?? '').trim();
      if (!steps)
        throw new ValidationError(
          'steps',
          'required',
          'G3.18(c): the SSC is notified of "the steps being taken" to rectify or mitigate: steps is required to close the SSC notice',
        );
      if (steps.length > 4000) throw new ValidationError('steps', 'max-length', 'steps is longer than 4000 characters');
      if (!c.completeBy)
        throw new ValidationError(
          'completeBy',
          'required',
          'G3.18(c): the SSC is notified of "the time within which those steps are intended to be completed": completeBy is required to close the SSC notice',
        );
      if (!(c.completeBy instanceof Date) || Number.isNaN(c.completeBy.getTime())) throw new ValidationError('completeBy', 'date-time', 'completeBy is not a date-time');
      if (c.completeBy < d.createdAt) throw new ValidationError('completeBy', 'after-duty', `completeBy is before the duty arose (${d.createdAt.toISOString()})`);
      ssc = { sscSteps: steps, stepsCompleteBy: c.completeBy };
    } else if (c.steps !== undefined || c.completeBy !== undefined) {
      throw new ValidationError(
        c.steps !== undefined ? 'steps' : 'completeBy',
        'ssc-notice-only',
        `steps and completeBy belong to the G3.18(c) SSC notice; duty ${id} is ${d.duty}`,
      );
    }
    await tx.obligations.closeDuty(id, { state: 'done', evidence: ev, exemptReason: null, closedBy: actor.id, closedAt: now, ...(ssc ?? {}) });
    await audit(tx, now, actor.id, 'duty.done', `duty/${id}`, {
      evidence: ev,
      ...(ssc ? { steps: ssc.sscSteps, completeBy: ssc.stepsCompleteBy.toISOString() } : {}),
    });
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

/** The vulnerabilities the actor recorded, is aware of or owes a duty under (the SSC and the DCC: all), in id order. */
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
