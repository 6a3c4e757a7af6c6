import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Eui, Facility, Party } from '../../src/domain/index.ts';
import { Fleet } from '../../src/world/devices/fleet.ts';
import { ROLE } from '../../src/gbcs/payloads/credentials.ts';
import { workThroughStandardRoute } from '../../src/services/returns/batch-flow.ts';
import { reinstallBatch } from '../../src/services/returns/batch-reinstall.ts';
import { createReturn, registerFacility } from '../../src/services/returns/returns.ts';
import { grantSecureStatus } from '../../src/services/returns/facility-grants.ts';
import { DEFAULT_GOVERNANCE } from '../../src/domain/governance.ts';
import { generateFleet } from '../../src/world/fleet-service.ts';
import type { ServiceDeps } from '../../src/services/deps.ts';
import type { Store } from '../../src/store/store.ts';
import { BACKENDS } from '../support/backends.ts';
import { aParty, depsFor, withParties, worldOf } from '../support/builders.ts';

for (const backend of BACKENDS) {
  describe(`batch steps for returns on ${backend.name}`, { skip: backend.skip ?? false }, () => {
    let store: Store;
    let deps: ServiceDeps;
    let fleet: Fleet;
    let supplier: Party;
    let manufacturer: Party;
    let lab: Facility;
    let works: Facility;
    // A meterops extension (Suppliers triage SMETS2 by the gold method) for the two-party route; `deps` has the papers' rule.
    let extended: ServiceDeps;
    before(async () => {
      store = await backend.open();
      deps = depsFor(store);
      const dcc = aParty({ role: 'dcc' });
      manufacturer = aParty({ role: 'manufacturer' });
      await withParties(store, dcc, manufacturer);
      const seed = `batch-${backend.name}`;
      await generateFleet(deps, dcc, { premises: 40, seed });
      fleet = new Fleet({ premises: 40, seed });
      supplier = (await store.read.parties.list()).find((p) => p.eui === fleet.parties.suppliers[0]!.eui)!;
      // Registered by their owners, granted secure status by the DCC.
      await registerFacility(deps, supplier, { id: `blab-${backend.name}`, name: 'lab' });
      lab = await grantSecureStatus(deps, dcc, `blab-${backend.name}`, { basis: 'DCC inspection', smets2Triage: true });
      await registerFacility(deps, manufacturer, { id: `bworks-${backend.name}`, name: 'works' });
      works = await grantSecureStatus(deps, dcc, `bworks-${backend.name}`, { basis: 'DCC inspection' });
      extended = {
        ...deps,
        policy: {
          ...deps.policy,
          governance: { ...DEFAULT_GOVERNANCE, triage: { ...DEFAULT_GOVERNANCE.triage, extensions: [{ generation: 'SMETS2', method: 'gold', roles: ['supplier'] }] } },
        },
      };
    });
    after(async () => store?.close());

    it("works a batch through the standard route with the single steps' rules, and reinstalls in another region (Supplier SMETS2 triage an extension)", async () => {
      const premises = [...Array(fleet.premiseCount).keys()].map((i) => fleet.premise(i)).filter((p) => p.supplier === supplier.eui);
      const esmes = premises.slice(0, 8).map((p) => p.devices.ESME!);
      const { lines } = await createReturn(deps, supplier, 'batch', { lines: esmes.map((e) => ({ deviceEui: e, reason: 'no-fault-general' })) });
      // One line is handed elsewhere first: the batch must refuse it and leave it as it was.
      const stray = lines[0]!;
      await store.transaction((tx) => tx.returns.updateLine(stray.id, { custodianPartyId: manufacturer.id }));
      const route = { lab, manufacturer: { party: manufacturer, works }, secondPass: (l: { lineNo: number }) => l.lineNo % 2 === 0, grade: () => 'A' as const };
      const res = await store.transaction((tx) =>
        workThroughStandardRoute(
          tx,
          extended,
          supplier,
          lines.map((l) => l.id),
          route,
        ),
      );
      const refused = res.find((r) => r.lineId === stray.id);
      assert.ok(refused && 'error' in refused && /custody of/.test(refused.error), JSON.stringify(refused));
      assert.equal((await store.read.returns.line(stray.id))?.state, 'returned', 'the refused line is unchanged');
      const ok = res.filter((r) => 'state' in r);
      assert.equal(ok.length, 7);
      for (const r of ok) {
        const l = (await store.read.returns.line(r.lineId))!;
        const kinds = (await store.read.returns.events(l.id)).map((e) => e.kind);
        const second = l.lineNo % 2 === 0;
        assert.deepEqual(kinds.slice(0, second ? 5 : 3), second ? ['returned', 'custody', 'triage', 'custody', 'triage'] : ['returned', 'custody', 'triage']);
        assert.equal(l.triageCount, second ? 2 : 1);
        const device = (await worldOf(deps).loadDevice(store.read, l.deviceEui as Eui)).device;
        const registry = (await store.read.devices.get(l.deviceEui as Eui))!;
        if (l.state === 'in-stock') {
          assert.deepEqual([l.vanilla, registry.assetStatus, device.anchors.get(ROLE.networkOperator, 'ds')!.partyEui], [true, 'in_stock', fleet.parties.acb.eui]);
        } else {
          assert.deepEqual([l.state, registry.assetStatus], ['scrapped', 'scrapped']);
        }
      }
      const stock = ok.filter((r) => 'state' in r && r.state === 'in-stock').map((r) => r.lineId);
      assert.ok(stock.length > 0, 'some of the batch is stocked');
      const line = (await store.read.returns.line(stock[0]!))!;
      const target = premises.find((p) => p.distributorId !== line.removedDistributor)!;
      const premiseId = `fleet-${fleet.tag.toLowerCase()}-p${target.index}`;
      const holders = new Map([[manufacturer.id, manufacturer]]);
      const done = await store.transaction((tx) =>
        reinstallBatch(
          tx,
          deps,
          supplier,
          [
            { lineId: line.id, premiseId },
            { lineId: stray.id, premiseId },
          ],
          holders,
        ),
      );
      assert.deepEqual(
        done.map((r) => ('state' in r ? r.state : 'error')),
        ['reinstalled', 'error'],
      );
      const after = (await worldOf(deps).loadDevice(store.read, line.deviceEui as Eui)).device;
      assert.equal(after.anchors.get(ROLE.networkOperator, 'ds')!.partyEui, fleet.parties.networkOperators.get(target.distributorId)!.eui);
      assert.equal((await store.read.premises.installationOf(line.deviceEui as Eui))?.premiseId, premiseId);
    });

    it(`by the papers' rule, SMETS2 lines go to the manufacturer only: "under current governance for SMETS2, performing triage by anyone other than manufacturers, would not be possible"`, async () => {
      const premises = [...Array(fleet.premiseCount).keys()].map((i) => fleet.premise(i)).filter((p) => p.supplier === supplier.eui);
      const gsmes = premises
        .slice(0, 4)
        .map((p) => p.devices.GSME!)
        .filter(Boolean);
      const { lines } = await createReturn(deps, supplier, 'batch', { lines: gsmes.map((e) => ({ deviceEui: e, reason: 'no-fault-general' })) });
      const ids = lines.map((l) => l.id);
      const [some, rest] = [ids.slice(0, 1), ids.slice(1)];
      // With no manufacturer on the route, the Supplier's own pass is refused for each line, and nothing is written.
      const alone = await store.transaction((tx) =>
        workThroughStandardRoute(tx, deps, supplier, some, { lab, manufacturer: null, secondPass: () => false, grade: () => 'A' as const }),
      );
      assert.equal(alone.length, 1);
      assert.ok('error' in alone[0]! && alone[0].error.includes('governance.triage.smets2 (METEROPS_GOVERNANCE) lets only manufacturer triage'), JSON.stringify(alone));
      assert.deepEqual(
        [(await store.read.returns.line(some[0]!))?.state, (await store.read.returns.events(some[0]!)).map((e) => e.kind)],
        ['returned', ['returned']],
        'the refused line is unchanged',
      );
      // With the manufacturer on the route, every line goes to it for its pass (second pass asked for or not).
      const res = await store.transaction((tx) =>
        workThroughStandardRoute(tx, deps, supplier, rest, { lab, manufacturer: { party: manufacturer, works }, secondPass: () => false, grade: () => 'A' as const }),
      );
      assert.equal(res.filter((r) => 'state' in r).length, rest.length, JSON.stringify(res));
      for (const id of rest) {
        const events = await store.read.returns.events(id);
        assert.deepEqual(events.map((e) => e.kind).slice(0, 3), ['returned', 'custody', 'triage']);
        const pass = events.find((e) => e.kind === 'triage')!;
        assert.deepEqual([pass.partyId, pass.details.facility, pass.details.method], [manufacturer.id, works.id, 'bronze']);
        assert.equal(events.filter((e) => e.kind === 'triage').length, 1, 'no pass by the Supplier');
      }
    });
  });
}
