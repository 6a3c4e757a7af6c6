import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConflictError, ValidationError, type Eui } from '../../src/domain/index.ts';
import type { ServiceDeps } from '../../src/services/deps.ts';
import type { Store } from '../../src/store/store.ts';
import { Fleet } from '../../src/world/devices/fleet.ts';
import { generateFleet } from '../../src/world/fleet-service.ts';
import { SimulatedWorld } from '../../src/world/simulated-world.ts';
import { BACKENDS } from '../support/backends.ts';
import { aParty, depsFor, withParties } from '../support/builders.ts';

/** The WAN word the store keeps for each of the simulation's words. */
const STORED_WAN = { covered: 'connected', intermittent: 'intermittent', none: 'no-wan' } as const;

for (const backend of BACKENDS) {
  describe(`simulated fleet generation with its own rates and party names (${backend.name})`, { skip: backend.skip ?? false }, () => {
    let store: Store;
    let deps: ServiceDeps;
    const dcc = aParty({ id: 'dcc', role: 'dcc' });
    before(async () => {
      store = await backend.open();
      deps = depsFor(store, () => new Date('2026-11-01T00:00:00Z'), { world: new SimulatedWorld() });
      await withParties(store, dcc);
    });
    after(() => store.close());

    it('stores the rates, so the fleet rebuilt from the store is the fleet generated', async () => {
      const rates = { noWanRate: 0.4, prepaymentRate: 0.6, gasRate: 0.5 };
      const summary = await generateFleet(deps, dcc, { premises: 30, seed: 'rates-1', ...rates });
      // The independent path: the simulation's own Fleet from the same seed and rates.
      const fleet = new Fleet({ premises: 30, seed: 'rates-1', ...rates });
      let noWan = 0;
      for (let i = 0; i < 30; i++) {
        const p = fleet.premise(i);
        if (p.wan === 'none') noWan++;
        const wan = await store.read.wan.status(`${summary.id}-p${i}`);
        assert.equal(wan?.hubWan, STORED_WAN[p.wan], `premise ${i}`);
      }
      assert.equal(summary.noWanPremises, noWan);
      assert.ok(noWan >= 6, `a 0.4 no-WAN rate gives many no-WAN premises (${noWan} of 30)`);
      const record = (await store.read.simulation.fleets()).find((f) => f.seed === 'rates-1');
      assert.deepEqual(record?.rates, rates);
      // A device of a no-WAN premise is a device of the rebuilt fleet, where the default rates would not put it.
      const world = new SimulatedWorld();
      const i = Array.from({ length: 30 }, (_, k) => k).find((k) => fleet.premise(k).wan === 'none')!;
      const hub = fleet.premise(i).devices.CHF!;
      const { device } = await world.loadDevice(store.read, hub);
      assert.equal(device.model.type, 'CHF');
      assert.equal(new Fleet({ premises: 30, seed: 'rates-1' }).premise(i).wan === 'none', false, 'with default rates the premise would have WAN');
    });

    it('names the fleet parties as the caller asks, and uses a named party that exists', async () => {
      const fleet = new Fleet({ premises: 5, seed: 'named-1' });
      await withParties(store, aParty({ id: 'acme-map', role: 'meter_asset_provider', eui: null }));
      const s = await generateFleet(deps, dcc, {
        premises: 5,
        seed: 'named-1',
        naming: (p) =>
          p.kind === 'map' ? { id: 'acme-map', name: 'Acme MAP' } : p.kind === 'supplier' ? { id: `named-supplier-${p.index}`, name: `Supplier ${p.index}` } : undefined,
      });
      const supplier = await store.read.parties.get('named-supplier-0');
      assert.equal(supplier?.eui, fleet.parties.suppliers[0]!.eui, "the named Supplier has the fleet Supplier's EUI");
      const premise = await store.read.premises.get(`${s.id}-p0`);
      assert.ok(premise && ['named-supplier-0', 'named-supplier-1'].includes(premise.supplierPartyId ?? ''));
      const device = await store.read.devices.get(fleet.premise(0).devices.ESME!);
      assert.equal(device?.ownerPartyId, 'acme-map');
    });

    it('refuses bad rates, naming the rate, and writes nothing', async () => {
      for (const [rates, field] of [
        [{ noWanRate: 1.5 }, 'noWanRate'],
        [{ prepaymentRate: -0.1 }, 'prepaymentRate'],
        [{ gasRate: Number.NaN }, 'gasRate'],
        [{ noWanRate: 0.7, intermittentWanRate: 0.5 }, 'noWanRate'],
      ] as const) {
        await assert.rejects(
          generateFleet(deps, dcc, { premises: 5, seed: 'bad-rates', ...rates }),
          (e: unknown) => e instanceof ValidationError && e.field === field && e.rule === 'fleet-rate',
          JSON.stringify(rates),
        );
      }
      assert.equal(
        (await store.read.simulation.fleets()).some((f) => f.seed === 'bad-rates'),
        false,
      );
    });

    it("refuses a named party whose EUI is not the fleet's (it would hold none of the fleet's keys), and writes nothing", async () => {
      await withParties(store, aParty({ id: 'other-supplier', role: 'supplier', eui: '90B3D51F30010000' as Eui }));
      await assert.rejects(
        generateFleet(deps, dcc, { premises: 5, seed: 'wrong-eui', naming: (p) => (p.kind === 'supplier' && p.index === 0 ? { id: 'other-supplier', name: 'x' } : undefined) }),
        (e: unknown) => e instanceof ConflictError && e.rule === 'party-eui' && /other-supplier has EUI 90B3D51F30010000/.test(e.message),
      );
      assert.equal(
        (await store.read.simulation.fleets()).some((f) => f.seed === 'wrong-eui'),
        false,
      );
    });
  });
}
