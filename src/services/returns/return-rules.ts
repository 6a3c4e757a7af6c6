import {
  assertTriageAllowed,
  ConflictError,
  DNO_REGIONS,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type Facility,
  type Party,
  type Premise,
  type ReturnLine,
  type TriageAllowance,
  type TriageMethod,
} from '../../domain/index.ts';
import type { Governance } from '../../domain/governance.ts';

/** The rules of seeds 000 and 002, each refused with its reason: one place for single and batch steps. */
export function assertCustodian(actor: Party, l: ReturnLine): void {
  if (l.custodianPartyId !== actor.id) throw new ForbiddenError('custody', `${l.deviceEui} is in the custody of ${l.custodianPartyId}, not ${actor.id}`, 'lineId');
}

export function assertCanHandOver(actor: Party, l: ReturnLine): void {
  assertCustodian(actor, l);
  if (l.state === 'scrapped' || l.state === 'reinstalled') throw new ConflictError('return-closed', `${l.deviceEui} was ${l.state}: its return is closed`, 'lineId');
}

/**
 * A triage pass: the custodian, in order, at its own facility whose secure status another party
 * granted, never at a premises, and by a party governance lets triage the device's generation,
 * type and method (governance.triage; the papers' rule by default: SMETS2 by the manufacturer only).
 */
export function assertCanTriage(actor: Party, l: ReturnLine, facility: Facility, method: TriageMethod, governance: Governance): TriageAllowance {
  assertCustodian(actor, l);
  if (l.state !== 'returned' && l.state !== 'triaged')
    throw new ConflictError('triage-order', `${l.deviceEui} is ${l.state}: triage comes after the return and before refurbishment`, 'lineId');
  if (l.lastTriagedIn === l.custodyPass)
    throw new ConflictError('already-triaged', `${l.deviceEui} was triaged already in this custody; hand it over for another party's pass`, 'lineId');
  if (facility.partyId !== actor.id) throw new ForbiddenError('own-facility', `facility ${facility.id} is ${facility.partyId}'s, not ${actor.id}'s`, 'facilityId');
  if (!facility.secure)
    throw new ForbiddenError(
      'secure-facility',
      `triage happens only at a registered secure facility ("in a Supplier or manufacturing facility, not at a consumer site"); ${facility.id} is not registered as secure (its secure status is granted by ${governance.triage.secureStatusGrantedBy.join(' or ')})`,
      'facilityId',
    );
  if (l.site.startsWith('premise:'))
    throw new ForbiddenError(
      'not-at-premises',
      `${l.deviceEui} is still at ${l.site.slice(8)}: triage is never done at a consumer's premises; hand it over to ${facility.id} first`,
      'lineId',
    );
  if (l.site !== facility.id) throw new ConflictError('not-at-facility', `${l.deviceEui} was handed over at ${l.site}, not at ${facility.id}`, 'facilityId');
  const allowance = assertTriageAllowed(governance, actor, { smetsGeneration: l.smetsGeneration, deviceType: l.deviceType, method, deviceEui: l.deviceEui });
  // Where an extension lets another party triage SMETS2, it does so only at a facility granted for it.
  if (!l.smetsGeneration.startsWith('SMETS1') && actor.role !== 'manufacturer' && !facility.smets2Triage) {
    throw new ForbiddenError(
      'smets2-triage',
      `${allowance.setting} lets a ${actor.role} triage a ${l.smetsGeneration} device (a meterops extension) only at a facility granted for SMETS2 triage; ${facility.id} is not`,
      'facilityId',
    );
  }
  return allowance;
}

/** Refurbishment (factory reset, re-sealing) of a device is for a party governance lets triage it. */
export function assertCanRefurbishAs(actor: Party, l: ReturnLine, newSeals: readonly string[], governance: Governance): void {
  assertCanRefurbish(actor, l, newSeals);
  assertTriageAllowed(governance, actor, { smetsGeneration: l.smetsGeneration, deviceType: l.deviceType, deviceEui: l.deviceEui });
}

export function assertCanRefurbish(actor: Party, l: ReturnLine, newSeals: readonly string[]): void {
  assertCustodian(actor, l);
  if (l.state !== 'triaged') throw new ConflictError('refurbish-order', `${l.deviceEui} is ${l.state}: refurbishment follows triage`, 'lineId');
  if (l.outcome !== 'no-fault-found')
    throw new ConflictError(
      'not-nff',
      `${l.deviceEui} was triaged ${l.outcome}${l.fault ? ` (${l.fault})` : ''}: only a No-Fault-Found device is refurbished; scrap or repair it`,
      'lineId',
    );
  if (!l.sealsIntact && newSeals.length === 0)
    throw new ValidationError('newSeals', 'reseal-required', `${l.deviceEui}'s tamper seals are broken: re-use mandates re-sealing; give the new seal ids`);
}

export function assertCanScrap(actor: Party, l: ReturnLine): void {
  assertCustodian(actor, l);
  if (l.state !== 'triaged') throw new ConflictError('scrap-order', `${l.deviceEui} is ${l.state}: a device is scrapped after triage`, 'lineId');
}

export const cannotResetReason = (m: { manufacturer: string; model: string }) =>
  `${m.manufacturer} ${m.model} cannot be factory reset (the SECMP0010/SECMP0013 triage paper): scrapped rather than re-used with its old state`;

export function assertCanReinstall(actor: Party, l: ReturnLine, premise: Premise | undefined, premiseId: string): asserts premise is Premise & { distributorId: number } {
  assertCustodian(actor, l);
  if (l.state !== 'in-stock') throw new ConflictError('reinstall-order', `${l.deviceEui} is ${l.state}: only stocked devices are reinstalled`, 'lineId');
  if (!premise) throw new NotFoundError('premise', premiseId, 'premiseId');
  if (premise.supplierPartyId !== actor.id) throw new ForbiddenError('supplier-of-premise', `${actor.id} does not supply premise ${premiseId}`, 'premiseId');
  if (premise.distributorId === null || !DNO_REGIONS.some((r) => r.distributorId === premise.distributorId))
    throw new ValidationError('premiseId', 'dno-region', `premise ${premiseId} has no MPAN in one of the 14 DNO regions`);
}

/** A device may go to a region whose NO cell it holds, or anywhere with the vanilla (ACB) credential. */
export function assertRegionFits(l: ReturnLine, heldNo: string | null, vanilla: string, regionNo: string, distributorId: number): void {
  if (heldNo !== vanilla && heldNo !== regionNo) {
    throw new ConflictError(
      'region-locked',
      `${l.deviceEui} holds the Network Operator credential of ${heldNo}, not region ${distributorId}'s (${regionNo}) nor a vanilla one: refurbish it (Recovery CS02b) before installing it here`,
      'lineId',
    );
  }
}
