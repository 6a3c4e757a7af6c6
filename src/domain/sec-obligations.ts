import type { DeviceType, SmetsGeneration } from './device-types.ts';
import { ValidationError } from './errors.ts';

/**
 * SEC Section G3.17-G3.21 (as corrected by MP087, seed 004): who must act on a security
 * vulnerability, and what each must do. Pure rules; each duty cites its clause.
 */
export const VULNERABILITY_COMPONENTS = ['user_systems_hardware', 'user_systems_software', 'user_systems_firmware', 'smart_metering_system'] as const;
export type VulnerabilityComponent = (typeof VULNERABILITY_COMPONENTS)[number];

export const DUTIES = ['notify_manufacturer', 'rectify_or_mitigate', 'notify_ssc', 'establish_arrangements'] as const;
export type Duty = (typeof DUTIES)[number];

export interface AffectedDevice {
  readonly type: DeviceType;
  readonly smetsGeneration: SmetsGeneration;
  /** The Responsible Supplier (supplier of record). */
  readonly supplierPartyId: string | null;
}

export interface DutyAssignment {
  readonly partyId: string;
  readonly duty: Duty;
  readonly clause: string;
  readonly deviceCount: number;
  /** Set when the duty starts exempt (G3.19 / G3.21). */
  readonly exemptReason: string | null;
}

export interface ObligationContext {
  readonly dccPartyId: string;
  /** The party whose awareness this is (G3.17): only its duties are assigned. */
  readonly awarePartyId: string;
  /** The reporter is satisfied the manufacturer already knows (G3.19). */
  readonly manufacturerAware: boolean;
  /** G3.20 arrangements in place with this manufacturer, per party, and whether they carry the G3.21 exemption. */
  readonly arrangements: ReadonlyMap<string, { g321Exemption: boolean }>;
}

/**
 * The MP087 paper's words for the DCC's part. The paper puts SMETS2+ hub functions on the DCC but
 * states no SEC clause that binds the DCC to act (G3.17-G3.21 bind Users), so a DCC duty cites this
 * sentence and says the clause is not stated, rather than borrowing a User clause.
 */
export const DCC_RESPONSIBILITY =
  'MP087: "SMETS2+ Devices with either a Communications Hub Function or GPF will still be the responsibility of the DCC" (G3.17(b) and G3.20(b) exclude them from User obligations); the MP087 paper does not state the SEC clause that binds the DCC';

/** Who answers for a vulnerability in this device: the DCC for a SMETS2+ CHF or GPF, otherwise its Responsible Supplier. */
export function responsibleParty(d: AffectedDevice, dccPartyId: string): { partyId: string | null; clause: string } {
  if ((d.type === 'CHF' || d.type === 'GPF') && d.smetsGeneration === 'SMETS2+') return { partyId: dccPartyId, clause: DCC_RESPONSIBILITY };
  return { partyId: d.supplierPartyId, clause: 'G3.17(b): a Smart Metering System for which it is the Responsible Supplier' };
}

/** What G3.18 asks of a User, by duty: the DCC's duty of the same name is a meterops default mirroring it. */
const USER_CLAUSE: Readonly<Record<Duty, string>> = {
  notify_manufacturer: 'G3.18(a)',
  rectify_or_mitigate: 'G3.18(b)',
  notify_ssc: 'G3.18(c)',
  establish_arrangements: 'G3.20',
};

function dccClause(duty: Duty): string {
  return `DCC duty (a meterops default mirroring what ${USER_CLAUSE[duty]} asks of a User; not a User clause): ${DCC_RESPONSIBILITY}`;
}

/**
 * The duties a vulnerability puts on the one party that became aware of it (G3.17: "Where a User
 * becomes aware of any material security vulnerability ... it shall comply with the requirements
 * of Section G3.18"): another party owes nothing until it becomes aware itself. User Systems: the
 * aware User (G3.17(a)). Smart Metering System: the affected devices the aware party answers for
 * (its Responsible Supplier devices; for the DCC, SMETS2+ CHFs and GPFs), with their count; none
 * when it answers for none. Each gets G3.18(a) notify the manufacturer (exempt under G3.19 when
 * already aware), G3.18(b) rectify or mitigate, G3.18(c) notify the SSC, and G3.20 arrangements
 * where none are in place.
 */
export function assignDuties(component: VulnerabilityComponent, affected: readonly AffectedDevice[], ctx: ObligationContext): DutyAssignment[] {
  let n = 0;
  let clause = 'G3.17(a): hardware, software or firmware which forms part of its User Systems';
  if (component === 'smart_metering_system') {
    for (const d of affected) {
      const r = responsibleParty(d, ctx.dccPartyId);
      if (!r.partyId) throw new ValidationError('devices', 'responsible-supplier', `a ${d.type} has no supplier of record, so no Responsible Supplier can be named`);
      if (r.partyId !== ctx.awarePartyId) continue;
      n++;
      clause = r.clause;
    }
    if (n === 0) return [];
  }
  const isDcc = ctx.awarePartyId === ctx.dccPartyId && component === 'smart_metering_system';
  const cite = (duty: Duty, sub: string) => (isDcc ? dccClause(duty) : `${sub} (${clause})`);
  const base = { partyId: ctx.awarePartyId, deviceCount: n };
  const out: DutyAssignment[] = [
    {
      ...base,
      duty: 'notify_manufacturer',
      clause: cite('notify_manufacturer', 'G3.18(a)'),
      exemptReason: ctx.manufacturerAware ? 'G3.19: satisfied the manufacturer or developer is already aware' : null,
    },
    { ...base, duty: 'rectify_or_mitigate', clause: cite('rectify_or_mitigate', 'G3.18(b)'), exemptReason: null },
    { ...base, duty: 'notify_ssc', clause: cite('notify_ssc', 'G3.18(c)'), exemptReason: null },
  ];
  if (!ctx.arrangements.get(ctx.awarePartyId)) {
    const sub = component === 'smart_metering_system' ? 'G3.20(b)' : 'G3.20(a)';
    out.push({
      ...base,
      duty: 'establish_arrangements',
      clause: isDcc ? dccClause('establish_arrangements') : `${sub}: arrangements to be notified by the manufacturer or developer`,
      exemptReason: null,
    });
  }
  return out;
}

/** A duty's due time: from the party's own awareness (not from when the vulnerability was recorded). */
export function dutyDeadline(awareAt: Date, duty: Duty, sla: Readonly<Record<Duty, number>>): Date {
  return new Date(awareAt.getTime() + sla[duty] * 86_400_000);
}

/**
 * Default service levels, in days from the party becoming aware: meterops defaults for the
 * SEC's "promptly", not SEC text; configurable per deployment (METEROPS_DUTY_SLA_DAYS).
 */
export const DEFAULT_DUTY_SLA_DAYS: Readonly<Record<Duty, number>> = {
  notify_manufacturer: 5,
  notify_ssc: 2,
  rectify_or_mitigate: 90,
  establish_arrangements: 30,
};

export type DutyState = 'open' | 'done' | 'exempt';

export interface Vulnerability {
  readonly id: string;
  readonly title: string;
  readonly manufacturer: string;
  readonly models: readonly string[];
  readonly firmwareVersions: readonly string[];
  readonly component: VulnerabilityComponent;
  readonly deviceTypes: readonly DeviceType[];
  readonly awarePartyId: string;
  readonly awareAt: Date;
  readonly manufacturerAware: boolean;
  readonly description: string | null;
  readonly recordedAt: Date;
}

export interface DutyRecord {
  readonly id: string;
  readonly vulnerabilityId: string;
  readonly partyId: string;
  readonly duty: Duty;
  readonly clause: string;
  readonly deviceCount: number;
  readonly state: DutyState;
  readonly deadline: Date;
  readonly evidence: string | null;
  readonly exemptReason: string | null;
  readonly closedBy: string | null;
  readonly closedAt: Date | null;
  readonly createdAt: Date;
  /** G3.18(c), on the SSC notice once done: "the steps being taken to rectify ... or to mitigate". */
  readonly sscSteps: string | null;
  /** G3.18(c): "the time within which those steps are intended to be completed". */
  readonly stepsCompleteBy: Date | null;
}
