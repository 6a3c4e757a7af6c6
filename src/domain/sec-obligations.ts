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
  /** The User that became aware (G3.17). */
  readonly awarePartyId: string;
  /** The reporter is satisfied the manufacturer already knows (G3.19). */
  readonly manufacturerAware: boolean;
  /** G3.20 arrangements in place with this manufacturer, per party, and whether they carry the G3.21 exemption. */
  readonly arrangements: ReadonlyMap<string, { g321Exemption: boolean }>;
}

export const DCC_RESPONSIBILITY =
  'G3.17(b) and G3.20(b) as corrected by MP087: a Communications Hub Function or Gas Proxy Function that forms part of a SMETS2+ Device is excluded from User obligations; the DCC is responsible';

/** Who answers for a vulnerability in this device: the DCC for a SMETS2+ CHF or GPF, otherwise its Responsible Supplier. */
export function responsibleParty(d: AffectedDevice, dccPartyId: string): { partyId: string | null; clause: string } {
  if ((d.type === 'CHF' || d.type === 'GPF') && d.smetsGeneration === 'SMETS2+') return { partyId: dccPartyId, clause: DCC_RESPONSIBILITY };
  return { partyId: d.supplierPartyId, clause: 'G3.17(b): a Smart Metering System for which it is the Responsible Supplier' };
}

/**
 * The duties a vulnerability creates. User Systems: the User that became aware (G3.17(a)).
 * Smart Metering System devices: each responsible party, with its device count. Each gets
 * G3.18(a) notify the manufacturer (exempt under G3.19 when already aware), G3.18(b) rectify or
 * mitigate, G3.18(c) notify the SSC, and G3.20 arrangements where none are in place.
 */
export function assignDuties(component: VulnerabilityComponent, affected: readonly AffectedDevice[], ctx: ObligationContext): DutyAssignment[] {
  const counts = new Map<string, { n: number; clause: string }>();
  if (component === 'smart_metering_system') {
    for (const d of affected) {
      const r = responsibleParty(d, ctx.dccPartyId);
      if (!r.partyId) throw new ValidationError('devices', 'responsible-supplier', `a ${d.type} has no supplier of record, so no Responsible Supplier can be named`);
      const c = counts.get(r.partyId) ?? { n: 0, clause: r.clause };
      c.n++;
      counts.set(r.partyId, c);
    }
  } else {
    counts.set(ctx.awarePartyId, { n: 0, clause: 'G3.17(a): hardware, software or firmware which forms part of its User Systems' });
  }
  const out: DutyAssignment[] = [];
  for (const [partyId, { n, clause }] of counts) {
    const base = { partyId, deviceCount: n };
    out.push({
      ...base,
      duty: 'notify_manufacturer',
      clause: `G3.18(a) (${clause})`,
      exemptReason: ctx.manufacturerAware ? 'G3.19: satisfied the manufacturer or developer is already aware' : null,
    });
    out.push({ ...base, duty: 'rectify_or_mitigate', clause: `G3.18(b) (${clause})`, exemptReason: null });
    out.push({ ...base, duty: 'notify_ssc', clause: `G3.18(c) (${clause})`, exemptReason: null });
    const arrangement = ctx.arrangements.get(partyId);
    const sub = component === 'smart_metering_system' ? 'G3.20(b)' : 'G3.20(a)';
    if (!arrangement) out.push({ ...base, duty: 'establish_arrangements', clause: `${sub}: arrangements to be notified by the manufacturer or developer`, exemptReason: null });
  }
  return out;
}

/**
 * Default service levels, in days from the vulnerability being recorded: meterops defaults for the
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
}
