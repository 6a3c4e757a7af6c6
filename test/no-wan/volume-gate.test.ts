import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConflictError, type Party } from '../../src/domain/index.ts';
import { Fleet } from '../../src/world/devices/fleet.ts';
import { releaseHeldRequests } from '../../src/services/anomaly-detection.ts';
import { generateFleet } from '../../src/world/fleet-service.ts';
import { vend } from '../../src/services/vending.ts';
import { createWorkOrder } from '../../src/services/work-orders.ts';
import type { ServiceDeps } from '../../src/services/deps.ts';
import type { Store } from '../../src/store/store.ts';
import { BACKENDS } from '../support/backends.ts';
import { aParty, depsFor, withParties } from '../support/builders.ts';

for (const backend of BACKENDS) {
  describe(`the DCC volume check in front of vends and work orders on ${backend.name}`, { skip: backend.skip ?? false }, () => {
    let store: Store;
    let deps: ServiceDeps;
    let fleet: Fleet;
    let supplier: Party;
    before(async () => {
      store = await backend.open();
      const base = depsFor(store);
      deps = { ...base, policy: { anomalyLimits: { utrn_vend: { max: 2, windowMinutes: 60 }, disable_supply: { max: 1, windowMinutes: 60 } } } };
      const dcc = aParty({ role: 'dcc' });
      await withParties(store, dcc);
      const seed = `gate-${backend.name}`;
      await generateFleet(deps, dcc, { premises: 10, seed });
      fleet = new Fleet({ premises: 10, seed });
      supplier = (await store.read.parties.list()).find((p) => p.eui === fleet.premise(0).supplier)!;
    });
    after(async () => store?.close());

    it('holds the vend over the limit, issues nothing, and lets the retry through once a second person releases it', async () => {
      const esme = fleet.premise(0).devices.ESME!;
      const req = { kind: 'credit' as const, deviceEui: esme, value: 1, valueClass: 'pounds' as const };
      await vend(deps, supplier, 'till', 'g-1', req);
      await vend(deps, supplier, 'till', 'g-2', req);
      const again = await vend(deps, supplier, 'till', 'g-2', req);
      assert.equal(again.created, false, 'a retry of a vended key is not counted again');
      await assert.rejects(vend(deps, supplier, 'alice', 'g-3', req), (e: unknown) => e instanceof ConflictError && e.rule === 'held-for-review');
      assert.equal(await store.read.vends.byKey(supplier.id, 'g-3'), undefined, 'no code was issued');
      assert.equal((await store.read.commandRequests.alerts(supplier.id)).filter((a) => a.commandType === 'utrn_vend').length, 1, 'the DCC and the party are alerted');
      await assert.rejects(releaseHeldRequests(deps, supplier, 'alice', 'utrn_vend'), /second person/);
      await releaseHeldRequests(deps, supplier, 'bob', 'utrn_vend');
      const released = await vend(deps, supplier, 'alice', 'g-3', req);
      assert.equal(released.created, true);
      await assert.rejects(vend(deps, supplier, 'alice', 'g-4', req), (e: unknown) => e instanceof ConflictError && e.rule === 'held-for-review');
    });

    it('holds a work order that disables supply beyond the limit', async () => {
      const p = [...Array(fleet.premiseCount).keys()].map((i) => fleet.premise(i)).filter((x) => x.supplier === supplier.eui);
      const premiseId = (i: number) => `fleet-${fleet.tag.toLowerCase()}-p${p[i]!.index}`;
      await createWorkOrder(deps, supplier, 'planner', { premiseId: premiseId(0), commands: [{ deviceEui: p[0]!.devices.ESME!, useCase: 'ECS43' }] });
      await assert.rejects(
        createWorkOrder(deps, supplier, 'planner', { premiseId: premiseId(1), commands: [{ deviceEui: p[1]!.devices.ESME!, useCase: 'ECS43' }] }),
        (e: unknown) => e instanceof ConflictError && e.rule === 'held-for-review' && /disable_supply/.test(e.message),
      );
      const orders = await store.read.workOrders.list({ supplierPartyId: supplier.id, limit: 10 });
      assert.equal(orders.filter((o) => o.premiseId === premiseId(1)).length, 0, 'the held order was not created');
      const read = await createWorkOrder(deps, supplier, 'planner', { premiseId: premiseId(1), commands: [{ deviceEui: p[1]!.devices.ESME!, useCase: 'ECS45' }] });
      assert.equal(read.commands.length, 1, 'orders that do not disable supply still pass');
    });
  });
}
