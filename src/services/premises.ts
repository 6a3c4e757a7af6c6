import { randomUUID } from 'node:crypto';
import {
  assertAssetTransition,
  ConflictError,
  ForbiddenError,
  isCommsHub,
  mpanDistributor,
  NotFoundError,
  parseEui,
  parseMpanCore,
  parseMprn,
  parsePostcode,
  ValidationError,
  type Installation,
  type Party,
  type Page,
  type PageQuery,
  type Premise,
  assertLicensedDistributor,
  distributorFor,
  pageRequest,
  toPage,
} from '../domain/index.ts';
import type { ServiceDeps } from './deps.ts';
import { deviceInScope } from './device-lifecycle.ts';
import { audit } from './audit.ts';
import { mayAct } from './acting.ts';
import type { Principal } from '../domain/index.ts';

export interface PremiseInput {
  readonly mpan?: string | null;
  readonly mprn?: string | null;
  readonly postcode: string;
  readonly supplierPartyId?: string | null;
}

/** A supplier (or the DCC) records a premise; the MPAN core fixes its distributor and region. */
export async function createPremise(deps: ServiceDeps, actor: Party, input: PremiseInput, principal?: Principal): Promise<Premise> {
  mayAct(principal);
  if (actor.role !== 'supplier' && actor.role !== 'dcc') {
    throw new ForbiddenError('create-premise', `a ${actor.role} may not record premises (suppliers and the DCC may)`);
  }
  const mpan = input.mpan ? parseMpanCore(input.mpan, 'mpan') : null;
  if (mpan) assertLicensedDistributor(Number(mpan.slice(0, 2)), deps.policy?.idnoDistributorIds ?? [], 'mpan');
  const mprn = input.mprn ? parseMprn(input.mprn, 'mprn') : null;
  if (!mpan && !mprn) throw new ValidationError('mpan', 'mpan-or-mprn', 'a premise needs an MPAN core, an MPRN, or both');
  const postcode = parsePostcode(input.postcode);
  const supplierPartyId = input.supplierPartyId ?? (actor.role === 'supplier' ? actor.id : null);
  if (actor.role === 'supplier' && supplierPartyId !== actor.id) {
    throw new ForbiddenError('own-premises', 'a supplier records premises only for itself', 'supplierPartyId');
  }
  const premise: Premise = {
    id: randomUUID(),
    mpan,
    mprn,
    postcode,
    distributorId: mpan ? mpanDistributor(mpan).distributorId : null,
    supplierPartyId,
    createdAt: deps.clock(),
  };
  return deps.store.transaction(async (tx) => {
    if (supplierPartyId && !(await tx.parties.get(supplierPartyId))) {
      throw new ValidationError('supplierPartyId', 'known-party', `party ${supplierPartyId} does not exist`);
    }
    await tx.premises.insert(premise);
    await audit(tx, premise.createdAt, actor.id, 'premise.created', `premise/${premise.id}`, { mpan, mprn, postcode });
    return premise;
  });
}

export interface PremiseView extends Premise {
  readonly installations: readonly Installation[];
}

/** Who sees a premise: its supplier, the DNO of its region, and the DCC. */
export function canSeePremise(actor: Party, premise: Premise): boolean {
  const regionDno = actor.role === 'network_operator' && actor.distributorId !== null && actor.distributorId === premise.distributorId;
  return actor.role === 'dcc' || premise.supplierPartyId === actor.id || regionDno;
}

export async function showPremise(deps: ServiceDeps, actor: Party, id: string): Promise<PremiseView> {
  const premise = await deps.store.read.premises.get(id);
  // Another party's premise answers exactly as a missing one.
  if (!premise || !canSeePremise(actor, premise)) throw new NotFoundError('premise', id, 'id');
  return { ...premise, installations: await deps.store.read.premises.installations(id) };
}

export type PremiseListQuery = { supplierPartyId?: string; distributorId?: number; postcode?: string } & PageQuery;

/** The premises the actor may see (as showPremise), in id order. */
export async function listPremises(deps: ServiceDeps, actor: Party, q: PremiseListQuery = {}): Promise<Page<Premise>> {
  const page = pageRequest(q, ['string']);
  const postcode = q.postcode ? parsePostcode(q.postcode) : undefined;
  if (q.distributorId !== undefined) distributorFor(q.distributorId, 'distributorId');
  const scope = actor.role === 'dcc' ? {} : { visibleTo: { partyId: actor.id, distributorId: actor.role === 'network_operator' ? actor.distributorId : null } };
  return toPage(
    await deps.store.read.premises.page(
      {
        ...scope,
        ...(q.supplierPartyId ? { supplierPartyId: q.supplierPartyId } : {}),
        ...(q.distributorId !== undefined ? { distributorId: q.distributorId } : {}),
        ...(postcode ? { postcode } : {}),
      },
      page,
    ),
  );
}

/**
 * Installs a device at a premise: the device must be in stock and in the actor's scope; a HAN
 * device names the CHF that serves it, which must already be installed there.
 */
export async function installDevice(
  deps: ServiceDeps,
  actor: Party,
  premiseId: string,
  input: { eui: string; hubEui?: string | null },
  principal?: Principal,
): Promise<Installation> {
  mayAct(principal);
  const eui = parseEui(input.eui, 'eui');
  const hubEui = input.hubEui ? parseEui(input.hubEui, 'hubEui') : null;
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    const premise = await tx.premises.get(premiseId);
    if (!premise || !canSeePremise(actor, premise)) throw new NotFoundError('premise', premiseId, 'premiseId');
    // The region's DNO sees the premise but installs nothing there.
    if (actor.role !== 'dcc' && premise.supplierPartyId !== actor.id) {
      throw new ForbiddenError('premise-supplier', `${actor.id} is not the supplier of premise ${premiseId}`, 'premiseId');
    }
    const device = await deviceInScope(tx, actor, eui, true);
    if (await tx.premises.installationOf(eui)) throw new ConflictError('installed-once', `device ${eui} is already installed`, 'eui');
    assertAssetTransition(device.assetStatus, 'installed');
    if (device.type === 'CHF' && hubEui) throw new ValidationError('hubEui', 'chf-has-no-hub', 'a CHF is the hub; it takes no hubEui');
    if (device.type === 'CHF') {
      // One Communications Hub serves a premise: its HAN is the premise's.
      const present = (await tx.premises.hubsAt([premiseId])).get(premiseId);
      if (present) throw new ConflictError('one-hub-per-premise', `premise ${premiseId} has a Communications Hub already (${present}); remove it before installing ${eui}`, 'eui');
    }
    if (device.type === 'ESME' || device.type === 'GSME') {
      // One meter per fuel at a premise (its one MPAN core, its one MPRN): a second is a mistake, or
      // a replacement whose predecessor must be removed first (so the DNO hears of the removal).
      const present = (await tx.premises.installations(premiseId)).map((i) => i.deviceEui).filter((e) => e !== eui);
      const same = (await Promise.all(present.map((e) => tx.devices.get(e)))).find((d) => d?.type === device.type);
      if (same) throw new ConflictError('one-meter-per-fuel', `premise ${premiseId} has a ${device.type} already (${same.eui}); remove it before installing ${eui}`, 'eui');
    }
    if (device.type !== 'CHF' && !hubEui) throw new ValidationError('hubEui', 'han-device-needs-hub', `a ${device.type} is joined to a CHF: give hubEui`);
    if (hubEui) {
      const hub = await tx.premises.installationOf(hubEui);
      const hubDevice = await tx.devices.get(hubEui);
      if (!hub || hub.premiseId !== premiseId || !hubDevice || hubDevice.type !== 'CHF' || !isCommsHub(hubDevice.type)) {
        throw new ValidationError('hubEui', 'hub-at-premise', `${hubEui} is not a CHF installed at premise ${premiseId}`);
      }
    }
    const installation: Installation = { premiseId, deviceEui: eui, hubEui, installedAt: now };
    await tx.premises.install(installation);
    await tx.devices.update(eui, { assetStatus: 'installed', premiseId, supplierPartyId: device.supplierPartyId ?? premise.supplierPartyId }, now);
    await tx.events.appendMany([
      {
        deviceEui: eui,
        lifecycle: 'asset',
        fromStatus: device.assetStatus,
        toStatus: 'installed',
        actorPartyId: actor.id,
        occurredAt: now,
        location: premise.postcode,
        reason: `installed at premise ${premiseId}`,
      },
    ]);
    await audit(tx, now, actor.id, 'device.installed', `device/${eui}`, { premiseId, hubEui });
    return installation;
  });
}
