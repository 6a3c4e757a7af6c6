import { ValidationError } from './errors.ts';

/**
 * Why a device came back: a superset of DUIS 8.14.3 fault reasons (found before or after
 * installation) and 8.14.4 no-fault reasons, plus the reasons suppliers give that DUIS has no
 * word for (a change of supplier, a meter exchange, a customer's request).
 */
export const RETURN_REASONS = {
  'damaged-case': { duis: '8.14.3', text: 'Damaged case' },
  'damaged-connector': { duis: '8.14.3', text: 'Damaged Connector' },
  'illegal-interference-missing-seals': { duis: '8.14.3', text: 'Illegal interference or missing seals' },
  'environmental-conditions-exceeded': { duis: '8.14.3', text: 'Environmental conditions exceeded' },
  'sm-wan-fault': { duis: '8.14.3', text: 'SM WAN Fault' },
  'smhan-interface-fault': { duis: '8.14.3', text: 'SMHAN Interface Fault' },
  'led-fault': { duis: '8.14.3', text: 'LED Fault' },
  'aerial-fault': { duis: '8.14.3', text: 'Aerial fault' },
  'manufacturing-defect': { duis: '8.14.3', text: 'Manufacturing defect' },
  'no-fault-general': { duis: '8.14.4', text: 'No Fault Return (general)' },
  'no-fault-non-domestic-opt-out': { duis: '8.14.4', text: 'No Fault Return (non-dom opt out)' },
  'no-fault-dual-supplier-han-variant': { duis: '8.14.4', text: 'No Fault Return (dual supplier HAN variant replacement)' },
  'no-fault-sm-wan-variant-dcc': { duis: '8.14.4', text: 'No Fault Return (SM WAN variant replacement requested by DCC)' },
  'lost-or-stolen': { duis: '8.14.4', text: 'Lost or Stolen Hub' },
  'change-of-supplier': { duis: null, text: 'Removed on change of supplier' },
  'meter-exchange': { duis: null, text: 'Meter exchange' },
  'customer-request': { duis: null, text: "Removed at the customer's request" },
} as const;
export type ReturnReason = keyof typeof RETURN_REASONS;
export type FoundWhen = 'before-installation' | 'after-installation';

/** Where a returned device is in its way back to stock. */
export const RETURN_STATES = ['returned', 'triaged', 'refurbished', 'scrapped', 'in-stock', 'reinstalled'] as const;
export type ReturnState = (typeof RETURN_STATES)[number];

export type TriageOutcome = 'no-fault-found' | 'fault' | 'inconclusive';
export type TriageMethod = 'gold' | 'bronze';
export const TRIAGE_STEPS = ['seals-and-visual', 'power-on', 'join', 'diagnostics', 'wan-test', 'credential-read'] as const;
export type TriageStep = (typeof TRIAGE_STEPS)[number];

export interface ReturnCosts {
  readonly nffTestPence: number;
  readonly refurbishedHubPence: number;
  readonly scrappedSingleBandHubPence: number;
  readonly scrappedDualBandHubPence: number;
  readonly logisticsPence: number;
}

/**
 * Published charges, in pence, not seed figures (the seed says costs were reported inconsistently):
 * an NFF hub test £7.43 [SECMP0010 RFI, SECAS, Sept 2021]; a refurbished hub £8.27, a replacement
 * single-band hub £30.87 and dual-band £58.75 [DP238, 2023]. Every one a setting.
 */
export const DEFAULT_RETURN_COSTS: ReturnCosts = Object.freeze({
  nffTestPence: 743,
  refurbishedHubPence: 827,
  scrappedSingleBandHubPence: 3087,
  scrappedDualBandHubPence: 5875,
  /** Carriage of one device to a triage facility and back to stock: a meterops default, no published figure. */
  logisticsPence: 250,
});

/** DUIS field limits (8.14.3/8.14.4). */
export const DUIS_LIMITS = Object.freeze({ incidentReference: 15, userRefId: 25, additionalInformation: 200 });

export interface Seal {
  readonly id: string;
  readonly intact: boolean;
}

export function parseSeals(input: unknown, field = 'seals'): Seal[] {
  if (input === undefined) return [];
  if (!Array.isArray(input) || input.length > 20) throw new ValidationError(field, 'seals', `${field} is a list of at most 20 seals`);
  return input.map((s, i) => {
    const id = String((s as { id?: unknown })?.id ?? '').trim();
    if (!/^[\w.-]{1,40}$/.test(id)) throw new ValidationError(`${field}[${i}].id`, 'seal-id', `${field}[${i}].id is 1 to 40 letters, digits, dots or dashes`);
    if (typeof (s as { intact?: unknown }).intact !== 'boolean') throw new ValidationError(`${field}[${i}].intact`, 'seal-intact', `${field}[${i}].intact is true or false`);
    return { id, intact: (s as { intact: boolean }).intact };
  });
}

export function isReturnReason(s: string): s is ReturnReason {
  return Object.hasOwn(RETURN_REASONS, s);
}

export interface Facility {
  readonly id: string;
  readonly partyId: string;
  readonly name: string;
  /** Granted secure status (by another party: `grant`): the only place triage may happen. */
  readonly secure: boolean;
  /** Granted, with the secure status, for SMETS2 triage by a party other than the manufacturer (only of use where governance lets such a party triage SMETS2: an extension). */
  readonly smets2Triage: boolean;
  readonly createdAt: Date;
  /** Who granted the secure status, when and on what basis (null: never granted, or revoked). */
  readonly grant: FacilityGrant | null;
  /** The last revocation, if any. */
  readonly revoked: { readonly by: string; readonly at: Date; readonly reason: string } | null;
}

export interface FacilityGrant {
  readonly by: string;
  readonly at: Date;
  /** What the grant rests on: the DCC's inspection, or the SSC's approval and its reference. */
  readonly basis: string;
}

export interface ReturnOrder {
  readonly id: string;
  readonly partyId: string;
  readonly reference: string | null;
  readonly createdBy: string;
  readonly createdAt: Date;
}

export interface ReturnLine {
  readonly id: string;
  readonly returnId: string;
  readonly lineNo: number;
  readonly deviceEui: string;
  readonly deviceType: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly smetsGeneration: string;
  readonly reason: ReturnReason;
  readonly found: FoundWhen;
  /** Hub and meter returned together from one premise share an incident. */
  readonly incidentId: string;
  readonly changeOfSupplier: boolean;
  readonly returnedBy: string;
  readonly removedFrom: string | null;
  readonly removedDistributor: number | null;
  readonly daysInService: number | null;
  readonly state: ReturnState;
  readonly custodianPartyId: string;
  readonly site: string;
  readonly sealsIntact: boolean;
  readonly triageCount: number;
  readonly triageParties: number;
  /** The custody pass in which it was last triaged (one triage per pass). */
  readonly lastTriagedIn: number;
  readonly custodyPass: number;
  readonly outcome: TriageOutcome | null;
  readonly fault: string | null;
  /** EUI in the Network Operator DS cell, as the last credential read saw it. */
  readonly noCredential: string | null;
  readonly vanilla: boolean;
  readonly grade: string | null;
  readonly stockLocation: string | null;
  readonly scrapReason: string | null;
  readonly reinstalledAt: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface ReturnEvent {
  readonly id: number;
  readonly lineId: string;
  readonly kind: 'returned' | 'custody' | 'triage' | 'refurbish' | 'scrap' | 'stock' | 'reinstall';
  readonly partyId: string;
  readonly at: Date;
  readonly details: Record<string, unknown>;
}

export interface RemovalNotice {
  readonly id: number;
  readonly premiseId: string;
  readonly deviceEui: string;
  readonly distributorId: number;
  readonly dnoPartyId: string | null;
  readonly removedBy: string;
  readonly removedAt: Date;
}
