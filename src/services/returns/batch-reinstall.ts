import {
  assertAssetTransition,
  ConflictError,
  ForbiddenError,
  ValidationError,
  type Eui,
  type Installation,
  type NewDeviceEvent,
  type Party,
  type ReturnEvent,
} from '../../domain/index.ts';
import type { StoreTx } from '../../store/ports.ts';
import type { ServiceDeps } from '../deps.ts';
import { regionNetworkOperator } from './region-operator.ts';
import type { BatchRowResult } from './batch-flow.ts';
import { CellCommands } from './cell-commands.ts';
import { assertCanHandOver, assertCanReinstall, assertRegionFits } from './return-rules.ts';
import { noWrites, writeBatch } from './batch-writes.ts';

/**
 * Reinstallation of many stocked devices of one fleet by one Supplier, in the caller's
 * transaction: a device still with another holder (`holders`) is first handed to the Supplier;
 * then the rules and the same device work as `reinstall` (cells read, another region's NO refused,
 * CS02b NO-by-NO and Supplier-by-Supplier from the present holder, read back), with each kind of
 * write one statement and one audit entry for the batch.
 */
export async function reinstallBatch(
  tx: StoreTx,
  deps: ServiceDeps,
  actor: Party,
  items: ReadonlyArray<{ lineId: string; premiseId: string }>,
  holders: ReadonlyMap<string, Party>,
): Promise<Array<BatchRowResult | { lineId: string; state: 'reinstalled' }>> {
  if (actor.role !== 'supplier' || !actor.eui) throw new ForbiddenError('reinstall', 'a Supplier (with its EUI) reinstalls devices');
  const supplierEui = actor.eui;
  const now = deps.clock();
  const lines = new Map((await tx.returns.linesForUpdate(items.map((i) => i.lineId))).map((l) => [l.id, l]));
  if (!lines.size) return [];
  const euis = [...lines.values()].map((l) => l.deviceEui as Eui);
  const registry = new Map((await tx.devices.getManyForUpdate(euis)).map((d) => [d.eui, d]));
  const premises = new Map((await tx.premises.getMany([...new Set(items.map((i) => i.premiseId))])).map((p) => [p.id, p]));
  const hubs = await tx.premises.hubsAt([...premises.keys()]);
  const session = await deps.gateway.open(tx, euis);
  const platform = await deps.keySource.forDevice(tx, euis[0]!);
  const cells = new CellCommands(platform);
  const regionNo = new Map<number, Promise<Eui>>();
  const noOf = (region: number) => {
    let p = regionNo.get(region);
    if (!p) regionNo.set(region, (p = regionNetworkOperator(tx, platform, region)));
    return p;
  };
  const acbParty = (await tx.parties.list()).find((p) => p.eui === cells.acb)!;
  const counters = await tx.vends.allocateCommandCountersMany(acbParty.id, euis, 4);

  const results: Array<BatchRowResult | { lineId: string; state: 'reinstalled' }> = [];
  const w = noWrites();
  const installs: Installation[] = [];
  for (const item of items) {
    let l = lines.get(item.lineId);
    if (!l) {
      results.push({ lineId: item.lineId, error: `return line ${item.lineId} not found` });
      continue;
    }
    const eui = l.deviceEui as Eui;
    const d = registry.get(eui)!;
    const myLineEvents: Array<Omit<ReturnEvent, 'id'>> = [];
    const myDeviceEvents: NewDeviceEvent[] = [];
    try {
      if (l.custodianPartyId !== actor.id) {
        const holder = holders.get(l.custodianPartyId);
        if (!holder) throw new ForbiddenError('custody', `${eui} is in the custody of ${l.custodianPartyId}`);
        assertCanHandOver(holder, l);
        l = { ...l, custodianPartyId: actor.id, site: `${actor.id} van stock`, custodyPass: l.custodyPass + 1, updatedAt: now };
        myLineEvents.push({ lineId: l.id, kind: 'custody', partyId: holder.id, at: now, details: { from: holder.id, to: actor.id, site: l.site, seals: [], note: null } });
      }
      const premise = premises.get(item.premiseId);
      assertCanReinstall(actor, l, premise, item.premiseId);
      const no = await noOf(premise.distributorId);
      const c = counters.get(eui)!;
      const before = await cells.readCells(session, eui, c, now);
      assertRegionFits(l, before.networkOperator, cells.acb, no, premise.distributorId);
      if (!before.networkOperator || !before.supplier) throw new ValidationError('lineId', 'empty-cell', `${eui} has an empty Supplier or Network Operator cell`);
      if (before.networkOperator !== no) {
        const r = await cells.handOver(session, eui, 'networkOperator', before.networkOperator, no, c + 1n, now);
        if (!r.accepted) throw new ConflictError('device-refused', `the device refused the NO hand-over: ${r.detail}`);
      }
      if (before.supplier !== supplierEui) {
        const r = await cells.handOver(session, eui, 'supplier', before.supplier, supplierEui, c + 2n, now);
        if (!r.accepted) throw new ConflictError('device-refused', `the device refused the Supplier hand-over: ${r.detail}`);
      }
      const after = await cells.readCells(session, eui, c + 3n, now);
      if (after.networkOperator !== no || after.supplier !== supplierEui)
        throw new ConflictError('handover-not-confirmed', `after the hand-over the cells read supplier ${after.supplier}, NO ${after.networkOperator}`);
      assertAssetTransition(d.assetStatus, 'installed');
      myDeviceEvents.push({
        deviceEui: eui,
        lifecycle: 'asset',
        fromStatus: d.assetStatus,
        toStatus: 'installed',
        actorPartyId: actor.id,
        occurredAt: now,
        location: premise.id,
        reason: `reinstalled in region ${premise.distributorId}`,
      });
      installs.push({ premiseId: premise.id, deviceEui: eui, hubEui: d.type === 'CHF' ? null : (hubs.get(premise.id) ?? null), installedAt: now });
      w.assets.push({ eui, assetStatus: 'installed', custodianPartyId: actor.id, supplierPartyId: actor.id, premiseId: premise.id });
      l = { ...l, state: 'reinstalled', reinstalledAt: premise.id, noCredential: no, vanilla: false, updatedAt: now };
      myLineEvents.push({
        lineId: l.id,
        kind: 'reinstall',
        partyId: actor.id,
        at: now,
        details: { premise: premise.id, region: premise.distributorId, networkOperator: no, supplier: supplierEui },
      });
    } catch (e) {
      results.push({ lineId: item.lineId, error: (e as Error).message });
      continue;
    }
    w.lines.push(l);
    w.lineEvents.push(...myLineEvents);
    w.deviceEvents.push(...myDeviceEvents);
    results.push({ lineId: l.id, state: 'reinstalled' });
  }
  await tx.premises.installMany(installs);
  await session.close(now);
  await writeBatch(tx, w, { actor, action: 'return.batch_reinstalled', now, details: { refused: results.filter((r) => 'error' in r).length } });
  return results;
}
