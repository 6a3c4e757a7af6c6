import {
  assertAssetTransition,
  ConflictError,
  DEFAULT_RETURN_COSTS,
  TRIAGE_STEPS,
  triageAllowance,
  type AssetStatus,
  type Eui,
  type Facility,
  type NewDeviceEvent,
  type Party,
  type ReturnEvent,
  type ReturnLine,
} from '../../domain/index.ts';
import { DEFAULT_GOVERNANCE } from '../../domain/governance.ts';
import type { StoreTx } from '../../store/ports.ts';
import type { ServiceDeps } from '../deps.ts';
import { CellCommands } from './cell-commands.ts';
import { assertCanHandOver, assertCanRefurbishAs, assertCanScrap, assertCanTriage, cannotResetReason } from './return-rules.ts';
import { noWrites, writeBatch } from './batch-writes.ts';

/**
 * The standard route for a batch: the returning party's lab, optionally a manufacturer's second
 * pass; a line governance does not let the returning party triage goes to the manufacturer only.
 */
export interface StandardRoute {
  readonly lab: Facility;
  readonly manufacturer: { readonly party: Party; readonly works: Facility } | null;
  /** Which lines go on to the manufacturer for a bronze pass. */
  readonly secondPass: (line: ReturnLine) => boolean;
  readonly grade: (line: ReturnLine) => 'A' | 'B' | 'C';
}

export type BatchRowResult = { readonly lineId: string; readonly state: 'in-stock' | 'scrapped' } | { readonly lineId: string; readonly error: string };

/**
 * Works a batch of returned lines of one party and one fleet through the standard route, in the
 * caller's transaction, with the rules of the single steps (return-rules.ts) and the same real
 * device work (the bench, a DCC-MACed CS02a, a Recovery CS02b and its read-back), but each kind of
 * write as one statement for the batch and one audit entry for it. A line that breaks a rule is
 * left as it was and reported; the rest go on.
 */
export async function workThroughStandardRoute(tx: StoreTx, deps: ServiceDeps, actor: Party, lineIds: readonly string[], route: StandardRoute): Promise<BatchRowResult[]> {
  const now = deps.clock();
  const lines = await tx.returns.linesForUpdate(lineIds);
  if (!lines.length) return [];
  const euis = lines.map((l) => l.deviceEui as Eui);
  const registry = new Map((await tx.devices.getManyForUpdate(euis)).map((d) => [d.eui, d]));
  const bench = await deps.bench.open(tx, euis);
  // One key source answer serves the batch: its lines are of one fleet, or of one deployment keystore.
  const cells = new CellCommands(await deps.keySource.forDevice(tx, euis[0]!));
  const parties = await tx.parties.list();
  const partyId = (eui: Eui) => parties.find((p) => p.eui === eui)!.id;
  const acbCounters = await tx.vends.allocateCommandCountersMany(partyId(cells.acb), euis, 2);
  const recoveryCounters = await tx.vends.allocateCommandCountersMany(partyId(cells.recovery), euis, 1);
  const testCost = deps.policy?.returnCosts?.nffTestPence ?? DEFAULT_RETURN_COSTS.nffTestPence;
  const governance = deps.policy?.governance ?? DEFAULT_GOVERNANCE;

  const w = noWrites();
  const results: BatchRowResult[] = [];
  for (const original of lines) {
    const eui = original.deviceEui as Eui;
    const d = registry.get(eui)!;
    let l: ReturnLine = original;
    let asset = d.assetStatus;
    let custodian = d.custodianPartyId;
    let supplier = d.supplierPartyId;
    const myDeviceEvents: NewDeviceEvent[] = [];
    const myLineEvents: Array<Omit<ReturnEvent, 'id'>> = [];
    const move = (by: Party, to: AssetStatus, reason: string, location: string | null) => {
      assertAssetTransition(asset, to);
      myDeviceEvents.push({ deviceEui: eui, lifecycle: 'asset', fromStatus: asset, toStatus: to, actorPartyId: by.id, occurredAt: now, location, reason });
      asset = to;
    };
    const handOver = (by: Party, to: Party, site: string) => {
      assertCanHandOver(by, l);
      if (asset !== 'in_transit' && asset !== 'in_stock') move(by, 'in_transit', `handed to ${to.id}`, site);
      custodian = to.id;
      l = { ...l, custodianPartyId: to.id, site, custodyPass: l.custodyPass + 1, updatedAt: now };
      myLineEvents.push({ lineId: l.id, kind: 'custody', partyId: by.id, at: now, details: { from: by.id, to: to.id, site, seals: [], note: null } });
    };
    const triage = async (by: Party, facility: Facility, method: 'gold' | 'bronze', triagedBy: Set<string>) => {
      const allowance = assertCanTriage(by, l, facility, method, governance);
      move(by, 'in_triage', `triage (${method})`, facility.id);
      const cs02a = method === 'gold' ? await cells.readCellsFrame(eui, acbCounters.get(eui)!) : null;
      const r = await bench.runPlan(eui, { steps: TRIAGE_STEPS, method, sealsIntact: l.sealsIntact, cs02a, now });
      move(
        by,
        r.outcome === 'no-fault-found' ? 'no_fault_found' : r.outcome === 'fault' ? 'faulty' : 'quarantined',
        `triage: ${r.outcome}${r.fault ? ` (${r.fault})` : ''}`,
        facility.id,
      );
      triagedBy.add(by.id);
      l = {
        ...l,
        state: 'triaged',
        outcome: r.outcome,
        fault: r.fault,
        triageCount: l.triageCount + 1,
        triageParties: triagedBy.size,
        lastTriagedIn: l.custodyPass,
        noCredential: r.credentials?.networkOperator ?? l.noCredential,
        sealsIntact: method === 'bronze' ? false : l.sealsIntact,
        updatedAt: now,
      };
      myLineEvents.push({
        lineId: l.id,
        kind: 'triage',
        partyId: by.id,
        at: now,
        details: {
          facility: facility.id,
          method,
          outcome: r.outcome,
          fault: r.fault,
          steps: r.steps,
          credentials: r.credentials,
          costPence: testCost,
          governance: { setting: allowance.setting, extension: allowance.extension },
        },
      });
    };
    const scrap = (by: Party, reason: string) => {
      move(by, 'scrapped', reason, null);
      l = { ...l, state: 'scrapped', scrapReason: reason, updatedAt: now };
      myLineEvents.push({ lineId: l.id, kind: 'scrap', partyId: by.id, at: now, details: { reason } });
    };
    try {
      const triagedBy = new Set<string>();
      // A line the returning party may not triage (governance.triage: SMETS2 by the manufacturer only,
      // by default) goes straight to the manufacturer, when the route has one; else the lab's pass refuses it.
      const labMay = triageAllowance(governance, actor.role, { smetsGeneration: l.smetsGeneration, deviceType: l.deviceType, method: 'gold' }).allowed;
      if (labMay || !route.manufacturer) {
        handOver(actor, actor, route.lab.id);
        await triage(actor, route.lab, 'gold', triagedBy);
      }
      let holder = actor;
      if (route.manufacturer && (!labMay || route.secondPass(l))) {
        handOver(actor, route.manufacturer.party, route.manufacturer.works.id);
        await triage(route.manufacturer.party, route.manufacturer.works, 'bronze', triagedBy);
        holder = route.manufacturer.party;
      }
      if (l.outcome === 'no-fault-found') {
        const newSeals = l.sealsIntact ? [] : [`RS-${l.id.slice(-16)}`];
        assertCanRefurbishAs(holder, l, newSeals, governance);
        if (!(await bench.resettable(eui))) {
          scrap(holder, cannotResetReason(d));
        } else {
          const r = await cells.toVanilla(bench, eui, recoveryCounters.get(eui)!, now);
          if (!r.accepted) throw new ConflictError('device-refused', `the device refused the Recovery CS02b: ${r.detail}`);
          await bench.factoryReset(eui, now);
          const read = await cells.readCells(bench, eui, acbCounters.get(eui)! + 1n, now);
          if (read.supplier !== cells.acb || read.networkOperator !== cells.acb)
            throw new ConflictError('vanilla-not-confirmed', `vanilla not confirmed: supplier ${read.supplier}, NO ${read.networkOperator}`);
          const grade = route.grade(l);
          const location = `${holder.id} stock`;
          move(holder, 'refurbished', `refurbished, grade ${grade}, vanilla credentials`, location);
          move(holder, 'in_stock', 'stocked, region-free', location);
          supplier = null;
          l = { ...l, state: 'in-stock', vanilla: true, noCredential: cells.acb, grade, stockLocation: location, sealsIntact: true, updatedAt: now };
          myLineEvents.push(
            {
              lineId: l.id,
              kind: 'refurbish',
              partyId: holder.id,
              at: now,
              details: { grade, credentials: 'vanilla (ACB) in the Supplier and NO cells', factoryReset: true, newSeals },
            },
            { lineId: l.id, kind: 'stock', partyId: holder.id, at: now, details: { location } },
          );
        }
      } else {
        assertCanScrap(holder, l);
        scrap(holder, l.fault ? `fault: ${l.fault}` : 'inconclusive triage');
      }
    } catch (e) {
      results.push({ lineId: original.id, error: (e as Error).message });
      continue;
    }
    w.lines.push(l);
    w.assets.push({ eui, assetStatus: asset, custodianPartyId: custodian, supplierPartyId: supplier, premiseId: d.premiseId });
    w.deviceEvents.push(...myDeviceEvents);
    w.lineEvents.push(...myLineEvents);
    results.push({ lineId: l.id, state: l.state as 'in-stock' | 'scrapped' });
  }
  const count = (st: string) => results.filter((r) => 'state' in r && r.state === st).length;
  await bench.close(now);
  await writeBatch(tx, w, {
    actor,
    action: 'return.batch_worked',
    now,
    details: { inStock: count('in-stock'), scrapped: count('scrapped'), refused: results.filter((r) => 'error' in r).length },
  });
  return results;
}
