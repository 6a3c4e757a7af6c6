import { randomUUID } from 'node:crypto';
import { assignDuties, dutyDeadline, ForbiddenError, ValidationError, type Awareness, type Duty, type DutyRecord, type Party, type Vulnerability } from '../domain/index.ts';
import type { StoreTx } from '../store/ports.ts';

/** Text input: trimmed, required unless said otherwise, at most `max` characters. */
export const text = (field: string, v: string | undefined, max: number, required = true): string => {
  const s = (v ?? '').trim();
  if (required && !s) throw new ValidationError(field, 'required', `${field} is required`);
  if (s.length > max) throw new ValidationError(field, 'max-length', `${field} is longer than ${max} characters`);
  return s;
};

/** The roles SEC Section G binds (Users, and the DCC for SMETS2+ hub functions). */
export const SEC_USER_ROLES: readonly string[] = ['supplier', 'network_operator', 'gas_transporter', 'meter_asset_provider', 'dcc'];

/** SEC Section G binds Users (and the DCC): the SSC and a manufacturer record neither vulnerabilities nor arrangements. */
export function requireSecUser(actor: Party, rule: string, what: string): void {
  if (!SEC_USER_ROLES.includes(actor.role)) {
    throw new ForbiddenError(rule, `a ${actor.role} is not a User under SEC Section G; Users and the DCC ${what}`);
  }
}

/** An awareness time as given: a real time, not in the future. */
export function awareTime(at: Date, now: Date): Date {
  if (!(at instanceof Date) || Number.isNaN(at.getTime()) || at > now) throw new ValidationError('awareAt', 'not-in-future', 'awareAt must be a time not in the future');
  return at;
}

/**
 * Records one party's awareness and creates the duties it brings (G3.17: "Where a User becomes
 * aware ... it shall comply with the requirements of Section G3.18"), due from that party's own
 * awareness time. A party that judged the vulnerability not material owes nothing. Inside the
 * caller's transaction.
 */
export async function becomeAware(
  tx: StoreTx,
  v: Vulnerability,
  a: Awareness,
  opts: { dccPartyId: string; manufacturerAware: boolean; sla: Readonly<Record<Duty, number>>; now: Date },
): Promise<DutyRecord[]> {
  await tx.obligations.insertAwareness(a);
  if (a.materiality && !a.materiality.material) return [];
  const affected =
    v.component === 'smart_metering_system'
      ? await tx.obligations.affectedDevices({ manufacturer: v.manufacturer, models: v.models, firmwareVersions: v.firmwareVersions, deviceTypes: v.deviceTypes })
      : [];
  const assignments = assignDuties(v.component, affected, {
    dccPartyId: opts.dccPartyId,
    awarePartyId: a.partyId,
    manufacturerAware: opts.manufacturerAware,
    arrangements: await tx.obligations.arrangements(v.manufacturer),
  });
  const duties: DutyRecord[] = assignments.map((d) => ({
    id: `duty-${randomUUID()}`,
    vulnerabilityId: v.id,
    partyId: d.partyId,
    duty: d.duty,
    clause: d.clause,
    deviceCount: d.deviceCount,
    state: d.exemptReason ? 'exempt' : 'open',
    deadline: dutyDeadline(a.awareAt, d.duty, opts.sla),
    evidence: null,
    exemptReason: d.exemptReason,
    closedBy: d.exemptReason ? a.partyId : null,
    closedAt: d.exemptReason ? opts.now : null,
    createdAt: opts.now,
    sscSteps: null,
    stepsCompleteBy: null,
  }));
  await tx.obligations.insertDuties(duties);
  return duties;
}
