import { ForbiddenError } from './errors.ts';
import { DEFAULT_GOVERNANCE, type Governance, type TriageExtension } from './governance.ts';
import type { PartyRole } from './parties.ts';
import type { TriageMethod } from './returns.ts';

/** What a triage pass is of: the device's SMETS generation and type, and the method. */
export interface TriageSubject {
  readonly smetsGeneration: string;
  readonly deviceType: string;
  /** The method of the pass; absent for a step (refurbishment) that follows any pass. */
  readonly method?: TriageMethod;
  /** The device, for the refusal's message. */
  readonly deviceEui?: string;
}

/** Who governance lets triage a device, and the setting that says so. */
export interface TriageAllowance {
  readonly allowed: boolean;
  /** The governance setting that decides: `governance.triage.smets2`, `.smets1`, or an extension entry. */
  readonly setting: string;
  /** True when a configured extension (a departure from the papers' rule) lets the role triage. */
  readonly extension: boolean;
  readonly roles: readonly PartyRole[];
}

export const SMETS2_TRIAGE_RULE =
  'the SECMP0010/SECMP0013 working group: "under current governance for SMETS2, performing triage by anyone other than manufacturers, would not be possible"';

const generationKey = (g: string): 'smets2' | 'smets1' => (g.startsWith('SMETS1') ? 'smets1' : 'smets2');

const fits = (x: TriageExtension, s: TriageSubject): boolean =>
  x.generation === generationKey(s.smetsGeneration).toUpperCase() &&
  (x.deviceType === undefined || x.deviceType === s.deviceType) &&
  (x.method === undefined || s.method === undefined || x.method === s.method);

/**
 * Whether a role may triage a device: the generation's list (`governance.triage.smets2` or
 * `.smets1`, the papers' rule by default), or a configured extension for that generation, device
 * type and method. An extension is a departure from the papers, and is labelled so.
 */
export function triageAllowance(g: Governance, role: PartyRole, s: TriageSubject): TriageAllowance {
  const key = generationKey(s.smetsGeneration);
  const roles = g.triage[key];
  // A role the generation's list holds only because it was configured so departs from the papers too.
  if (roles.includes(role)) return { allowed: true, setting: `governance.triage.${key}`, extension: !DEFAULT_GOVERNANCE.triage[key].includes(role), roles };
  const i = g.triage.extensions.findIndex((x) => fits(x, s) && x.roles.includes(role));
  if (i >= 0) return { allowed: true, setting: `governance.triage.extensions[${i}]`, extension: true, roles: g.triage.extensions[i]!.roles };
  return { allowed: false, setting: `governance.triage.${key}`, extension: false, roles };
}

/** Refuses a triage pass (or a refurbishment) by a role governance does not let triage the device. */
export function assertTriageAllowed(g: Governance, party: { id: string; role: PartyRole }, s: TriageSubject, field = 'lineId'): TriageAllowance {
  const a = triageAllowance(g, party.role, s);
  if (a.allowed) return a;
  const what = `${s.deviceEui ? `${s.deviceEui}, ` : ''}a ${s.smetsGeneration} ${s.deviceType}${s.method ? ` (${s.method} method)` : ''}`;
  const why = generationKey(s.smetsGeneration) === 'smets2' ? ` (${SMETS2_TRIAGE_RULE})` : '';
  throw new ForbiddenError(
    'triage-governance',
    `${party.id} is a ${party.role}: ${a.setting} (METEROPS_GOVERNANCE) lets only ${a.roles.join(', ')} triage ${what}${why}; hand it to the manufacturer`,
    field,
  );
}
