import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type Facility, type Party, type Principal } from '../../domain/index.ts';
import { DEFAULT_GOVERNANCE } from '../../domain/governance.ts';
import { mayAct } from '../acting.ts';
import { audit } from '../audit.ts';
import type { ServiceDeps } from '../deps.ts';

/** Who may grant and revoke secure status: governance.triage.secureStatusGrantedBy, never the facility's owner. */
function assertGrantor(deps: ServiceDeps, actor: Party, f: Facility | undefined, facilityId: string, what: string): asserts f is Facility {
  const by = (deps.policy?.governance ?? DEFAULT_GOVERNANCE).triage.secureStatusGrantedBy;
  if (!by.includes(actor.role))
    throw new ForbiddenError(
      'secure-status-grantor',
      `${actor.id} is a ${actor.role}: only ${by.join(' or ')} ${what} a facility's secure status (governance.triage.secureStatusGrantedBy, METEROPS_GOVERNANCE)`,
    );
  if (!f) throw new NotFoundError('facility', facilityId, 'facilityId');
  if (f.partyId === actor.id)
    throw new ForbiddenError('not-own-facility', `facility ${f.id} is ${actor.id}'s own: its secure status is granted by another party, not by its owner`, 'facilityId');
}

function text(v: unknown, field: string, what: string): string {
  const t = String(v ?? '').trim();
  if (!t || t.length > 200) throw new ValidationError(field, `grant-${field}`, `${what} is 1 to 200 characters`);
  return t;
}

/**
 * Grants a facility secure status, and optionally registration for SMETS2 triage, on a stated
 * basis (the DCC's inspection, or the SSC's approval and its reference): recorded on the facility
 * (who, when, basis) and in the audit log.
 */
export async function grantSecureStatus(
  deps: ServiceDeps,
  actor: Party,
  facilityId: string,
  req: { basis: string; smets2Triage?: boolean },
  principal?: Principal,
): Promise<Facility> {
  mayAct(principal);
  const basis = text(req.basis, 'basis', 'the basis of the grant (an inspection, or the SSC approval reference)');
  return deps.store.transaction(async (tx) => {
    const f = await tx.returns.facilityForUpdate(facilityId);
    assertGrantor(deps, actor, f, facilityId, 'grant');
    const smets2Triage = req.smets2Triage === true;
    if (f.secure && f.smets2Triage === smets2Triage)
      throw new ConflictError(
        'already-granted',
        `facility ${f.id} was granted secure status by ${f.grant?.by} at ${f.grant?.at.toISOString()}; revoke it first to grant it anew`,
        'facilityId',
      );
    const now = deps.clock();
    const next: Facility = { ...f, secure: true, smets2Triage, grant: { by: actor.id, at: now, basis } };
    await tx.returns.updateFacilityGrant(next);
    await audit(tx, now, actor.id, 'facility.secure_granted', `facility/${f.id}`, { owner: f.partyId, smets2Triage, basis });
    return next;
  });
}

/** Revokes a facility's secure status (and SMETS2 triage with it), with the reason: triage there is refused from then on. */
export async function revokeSecureStatus(deps: ServiceDeps, actor: Party, facilityId: string, req: { reason: string }, principal?: Principal): Promise<Facility> {
  mayAct(principal);
  const reason = text(req.reason, 'reason', 'the reason for the revocation');
  return deps.store.transaction(async (tx) => {
    const f = await tx.returns.facilityForUpdate(facilityId);
    assertGrantor(deps, actor, f, facilityId, 'revoke');
    if (!f.secure) throw new ConflictError('not-granted', `facility ${f.id} has no secure status to revoke`, 'facilityId');
    const now = deps.clock();
    const next: Facility = { ...f, secure: false, smets2Triage: false, grant: null, revoked: { by: actor.id, at: now, reason } };
    await tx.returns.updateFacilityGrant(next);
    await audit(tx, now, actor.id, 'facility.secure_revoked', `facility/${f.id}`, { owner: f.partyId, reason, grantedBy: f.grant?.by ?? null });
    return next;
  });
}
