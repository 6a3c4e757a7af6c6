import { ConflictError, ForbiddenError, ValidationError, type Eui, type Party, type ReturnLine } from '../../domain/index.ts';
import { DEFAULT_GOVERNANCE } from '../../domain/governance.ts';
import type { StoreTx } from '../../store/ports.ts';
import { audit } from '../audit.ts';
import type { ServiceDeps } from '../deps.ts';
import { moveAsset } from './asset-move.ts';
import { CellCommands } from './cell-commands.ts';
import { regionNetworkOperator } from './region-operator.ts';
import type { DeviceSession } from '../ports/device-gateway.ts';
import { canSeePremise } from '../premises.ts';
import { lineInScope } from './returns.ts';
import { assertCanRefurbishAs, assertCanReinstall, assertCanScrap, assertRegionFits, cannotResetReason } from './return-rules.ts';
import { dccCounter } from './triage.ts';
import { mayAct } from '../acting.ts';
import type { Principal } from '../../domain/index.ts';

const GRADES = ['A', 'B', 'C'] as const;

/** Credentials are rewritten only where meterops reaches the device (on the bench, or through the gateway). */
function unreachable(eui: string, how: string): ValidationError {
  return new ValidationError('lineId', 'device-reachable', `meterops has no ${how} to ${eui}, so it cannot rewrite its credentials`);
}

function accepted(what: string, r: { accepted: boolean; detail?: string | null }): void {
  if (!r.accepted) throw new ConflictError('device-refused', `the device refused ${what}: ${r.detail ?? ''}`);
}

/**
 * Refurbishment of a No-Fault-Found device: a Recovery CS02b writes DCC-controlled (ACB) vanilla
 * credentials into the Supplier and Network Operator cells, confirmed by reading them back; the
 * device is factory reset, or scrapped if its model cannot be (by a party governance lets triage it); broken seals must be replaced; it is
 * graded and stocked at a location, region-free.
 */
export async function refurbish(
  deps: ServiceDeps,
  actor: Party,
  lineId: string,
  req: { grade: string; location: string; newSeals?: readonly string[] },
  principal?: Principal,
): Promise<ReturnLine> {
  mayAct(principal);
  if (!(GRADES as readonly string[]).includes(req.grade)) throw new ValidationError('grade', 'grade', `grade is one of ${GRADES.join(', ')}`);
  const location = String(req.location ?? '').trim();
  if (!location || location.length > 100) throw new ValidationError('location', 'stock-location', 'the stock location is 1 to 100 characters');
  const newSeals = (req.newSeals ?? []).map((s, i) => {
    if (!/^[\w.-]{1,40}$/.test(String(s))) throw new ValidationError(`newSeals[${i}]`, 'seal-id', `newSeals[${i}] is 1 to 40 letters, digits, dots or dashes`);
    return String(s);
  });
  return deps.store.transaction((tx) => refurbishIn(tx, deps, actor, lineId, { grade: req.grade, location, newSeals }));
}

/** refurbish inside the caller's transaction (a batch), its input already checked. */
export async function refurbishIn(
  tx: StoreTx,
  deps: ServiceDeps,
  actor: Party,
  lineId: string,
  req: { grade: string; location: string; newSeals: readonly string[] },
): Promise<ReturnLine> {
  const { location, newSeals } = req;
  const now = deps.clock();
  const l = await lineInScope(tx, actor, lineId, true);
  assertCanRefurbishAs(actor, l, newSeals, deps.policy?.governance ?? DEFAULT_GOVERNANCE);
  const eui = l.deviceEui as Eui;
  if (!(await deps.bench.connected(tx, eui))) throw unreachable(eui, 'bench connection');
  const bench = await deps.bench.open(tx, [eui]);
  const registry = (await tx.devices.getForUpdate(eui))!;
  if (!(await bench.resettable(eui))) {
    await scrapLine(tx, actor, l, registry, cannotResetReason(registry), now);
    return (await tx.returns.line(l.id))!;
  }
  const cells = new CellCommands(await deps.keySource.forDevice(tx, eui));
  accepted('the Recovery CS02b', await cells.toVanilla(bench, eui, await dccCounter(tx, cells.recovery, eui), now));
  await bench.factoryReset(eui, now);
  const read = await cells.readCells(bench, eui, await dccCounter(tx, cells.acb, eui), now);
  if (read.supplier !== cells.acb || read.networkOperator !== cells.acb)
    throw new ConflictError('vanilla-not-confirmed', `after the Recovery CS02b the cells read supplier ${read.supplier}, NO ${read.networkOperator}`);
  await bench.close(now);
  await moveAsset(tx, actor, registry, 'refurbished', now, { reason: `refurbished, grade ${req.grade}, vanilla credentials`, location });
  await moveAsset(tx, actor, { ...registry, assetStatus: 'refurbished' }, 'in_stock', now, { reason: 'stocked, region-free', location, patch: { supplierPartyId: null } });
  await tx.returns.updateLine(l.id, { state: 'in-stock', vanilla: true, noCredential: cells.acb, grade: req.grade, stockLocation: location, sealsIntact: true, updatedAt: now });
  await tx.returns.appendEvents([
    {
      lineId: l.id,
      kind: 'refurbish',
      partyId: actor.id,
      at: now,
      details: { grade: req.grade, credentials: 'vanilla (ACB) in the Supplier and NO cells', factoryReset: true, newSeals },
    },
    { lineId: l.id, kind: 'stock', partyId: actor.id, at: now, details: { location } },
  ]);
  await audit(tx, now, actor.id, 'return.refurbished', `return-line/${l.id}`, { grade: req.grade, location, vanilla: true });
  return (await tx.returns.line(l.id))!;
}

async function scrapLine(tx: StoreTx, actor: Party, l: ReturnLine, registry: Awaited<ReturnType<StoreTx['devices']['get']>> & object, reason: string, now: Date): Promise<void> {
  await moveAsset(tx, actor, registry, 'scrapped', now, { reason });
  await tx.returns.updateLine(l.id, { state: 'scrapped', scrapReason: reason, updatedAt: now });
  await tx.returns.appendEvents([{ lineId: l.id, kind: 'scrap', partyId: actor.id, at: now, details: { reason } }]);
  await audit(tx, now, actor.id, 'return.scrapped', `return-line/${l.id}`, { reason });
}

/** Scraps a triaged device, with the reason. */
export async function scrap(deps: ServiceDeps, actor: Party, lineId: string, reason: string, principal?: Principal): Promise<ReturnLine> {
  mayAct(principal);
  const why = String(reason ?? '').trim();
  if (!why || why.length > 200) throw new ValidationError('reason', 'scrap-reason', 'the scrap reason is 1 to 200 characters');
  return deps.store.transaction((tx) => scrapIn(tx, deps, actor, lineId, why));
}

export async function scrapIn(tx: StoreTx, deps: ServiceDeps, actor: Party, lineId: string, why: string): Promise<ReturnLine> {
  const l = await lineInScope(tx, actor, lineId, true);
  assertCanScrap(actor, l);
  await scrapLine(tx, actor, l, (await tx.devices.getForUpdate(l.deviceEui as Eui))!, why, deps.clock());
  return (await tx.returns.line(l.id))!;
}

/**
 * Reinstallation at a premise in any region: the Network Operator follows from the MPAN's
 * distributor id; the vanilla NO cell is handed over to it (SRV 6.21, CS02b NO-by-NO) and the
 * Supplier cell to the installing Supplier (CS02b Supplier-by-Supplier), both confirmed by reading
 * the cells back. A device still holding another region's NO credential is refused.
 */
export async function reinstall(deps: ServiceDeps, actor: Party, lineId: string, premiseId: string, principal?: Principal): Promise<ReturnLine> {
  mayAct(principal);
  if (actor.role !== 'supplier' || !actor.eui) throw new ForbiddenError('reinstall', 'a Supplier (with its EUI) reinstalls devices');
  return deps.store.transaction((tx) => reinstallIn(tx, deps, actor, lineId, premiseId));
}

/** reinstall inside the caller's transaction (a batch). */
export async function reinstallIn(tx: StoreTx, deps: ServiceDeps, actor: Party, lineId: string, premiseId: string): Promise<ReturnLine> {
  if (actor.role !== 'supplier' || !actor.eui) throw new ForbiddenError('reinstall', 'a Supplier (with its EUI) reinstalls devices');
  const now = deps.clock();
  const l = await lineInScope(tx, actor, lineId, true);
  const supplierEui = actor.eui;
  const found = await tx.premises.get(premiseId);
  // A premise the actor may not see answers exactly as a missing one.
  const premise = found && canSeePremise(actor, found) ? found : undefined;
  assertCanReinstall(actor, l, premise, premiseId);
  const eui = l.deviceEui as Eui;
  if (!(await deps.gateway.reaches(tx, eui))) throw unreachable(eui, 'device gateway');
  const platform = await deps.keySource.forDevice(tx, eui);
  const no = await regionNetworkOperator(tx, platform, premise.distributorId);
  if (!(await platform.keys.publicKey(supplierEui, 'ds'))) throw new ValidationError('actor', 'supplier-keys', `${actor.id}'s keys are not known to the key source for ${eui}`);
  const cells = new CellCommands(platform);
  const session = await deps.gateway.open(tx, [eui]);
  const before = await cells.readCells(session, eui, await dccCounter(tx, cells.acb, eui), now);
  assertRegionFits(l, before.networkOperator, cells.acb, no, premise.distributorId);
  await handOverIfNeeded(tx, cells, session, eui, 'networkOperator', before.networkOperator, no, now);
  await handOverIfNeeded(tx, cells, session, eui, 'supplier', before.supplier, supplierEui, now);
  const after = await cells.readCells(session, eui, await dccCounter(tx, cells.acb, eui), now);
  if (after.networkOperator !== no || after.supplier !== supplierEui)
    throw new ConflictError('handover-not-confirmed', `after the hand-over the cells read supplier ${after.supplier}, NO ${after.networkOperator}`);
  await session.close(now);
  const registry = (await tx.devices.getForUpdate(l.deviceEui as Eui))!;
  const hub = registry.type === 'CHF' ? null : ((await tx.premises.installations(premiseId)).find((i) => i.hubEui === null)?.deviceEui ?? null);
  await tx.premises.install({ premiseId, deviceEui: registry.eui, hubEui: hub, installedAt: now });
  await moveAsset(tx, actor, registry, 'installed', now, {
    reason: `reinstalled in region ${premise.distributorId}`,
    location: premiseId,
    patch: { premiseId, supplierPartyId: actor.id, custodianPartyId: actor.id },
  });
  await tx.returns.updateLine(l.id, { state: 'reinstalled', reinstalledAt: premiseId, noCredential: no, vanilla: false, updatedAt: now });
  await tx.returns.appendEvents([
    { lineId: l.id, kind: 'reinstall', partyId: actor.id, at: now, details: { premise: premiseId, region: premise.distributorId, networkOperator: no, supplier: supplierEui } },
  ]);
  await audit(tx, now, actor.id, 'return.reinstalled', `return-line/${l.id}`, { premise: premiseId, region: premise.distributorId });
  return (await tx.returns.line(l.id))!;
}

async function handOverIfNeeded(
  tx: StoreTx,
  cells: CellCommands,
  session: DeviceSession,
  device: Eui,
  role: 'networkOperator' | 'supplier',
  holder: Eui | null,
  to: Eui,
  now: Date,
): Promise<void> {
  if (holder === to) return;
  if (!holder) throw new ConflictError('empty-cell', `${device} has no ${role} cell to hand over`);
  accepted(`the ${role} hand-over`, await cells.handOver(session, device, role, holder, to, await dccCounter(tx, holder, device), now));
}
