import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/domain/index.ts';
import { buildUseCaseFrame } from '../../src/gbcs/build-use-case.ts';
import { Fleet } from '../../src/world/devices/fleet.ts';
import { FleetKeyStore } from '../../src/world/devices/fleet-key-store.ts';
import { generateFleet, sendToDevice, showFleetDevice } from '../../src/world/fleet-service.ts';
import type { Store } from '../../src/store/store.ts';
import { BACKENDS } from '../support/backends.ts';
import { aParty, depsFor, withParties, worldOf } from '../support/builders.ts';

for (const backend of BACKENDS) {
  describe(`simulated fleet stored on ${backend.name}`, { skip: backend.skip ?? false }, () => {
    let store: Store;
    const dcc = aParty({ role: 'dcc' });
    before(async () => {
      store = await backend.open();
      await withParties(store, dcc);
    });
    after(async () => store?.close());

    it('stores premises, devices and which hub serves which device, in one go', async () => {
      const s = await generateFleet(depsFor(store), dcc, { premises: 60, seed: `fleet-${backend.name}` });
      const fleet = new Fleet({ premises: 60, seed: `fleet-${backend.name}` });
      assert.equal(s.devices, fleet.deviceCount);
      const counts = await sql<{ devices: number; premises: number; installs: number }>`
        SELECT (SELECT count(*) FROM devices WHERE premise_id LIKE ${`${s.id}-%`}) AS devices,
               (SELECT count(*) FROM premises WHERE id LIKE ${`${s.id}-%`}) AS premises,
               (SELECT count(*) FROM installations WHERE premise_id LIKE ${`${s.id}-%`}) AS installs`.execute(store.database.db);
      assert.deepEqual(counts.rows[0], { devices: fleet.deviceCount, premises: 60, installs: fleet.deviceCount });
      const p = fleet.premise(7);
      const d = await store.read.devices.get(p.devices.ESME!);
      assert.equal(d?.inventoryStatus, 'Commissioned');
      assert.equal((await store.read.premises.installationOf(p.devices.ESME!))?.hubEui, p.devices.CHF);
    });

    it('delivers frames to a stored device and keeps its state between loads', async () => {
      const fleet = new Fleet({ premises: 60, seed: `fleet-${backend.name}` });
      const keys = new FleetKeyStore(fleet);
      const p = fleet.premise(3);
      const frame = await buildUseCaseFrame(keys, { useCase: 'ECS43', originator: p.supplier, device: p.devices.ESME!, counter: 77n, acb: fleet.parties.acb.eui });
      const deps = depsFor(store);
      const first = await sendToDevice(worldOf(deps), deps, p.devices.ESME!, frame);
      assert.equal(first.accepted, true);
      const again = await sendToDevice(worldOf(deps), deps, p.devices.ESME!, frame);
      assert.equal(!again.accepted && again.reason, 'counter-not-increasing');
      const shown = await showFleetDevice(worldOf(deps), deps, p.devices.ESME!);
      assert.equal((shown.state as { loadSwitch: string }).loadSwitch, 'disabled');
    });

    it('refuses a second fleet with the same seed, a non-DCC actor, bad sizes and unknown devices', async () => {
      const deps = depsFor(store);
      await assert.rejects(generateFleet(deps, dcc, { premises: 5, seed: `fleet-${backend.name}` }), ConflictError);
      await assert.rejects(generateFleet(deps, aParty({ role: 'supplier' }), { premises: 5, seed: 'x' }), ForbiddenError);
      await assert.rejects(generateFleet(deps, dcc, { premises: 0, seed: 'x' }), (e: unknown) => e instanceof ValidationError && e.field === 'premises');
      await assert.rejects(generateFleet(deps, dcc, { premises: 5, seed: 'bad seed!' }), (e: unknown) => e instanceof ValidationError && e.field === 'seed');
      await assert.rejects(sendToDevice(worldOf(deps), deps, '1234000000000000' as never, new Uint8Array([0xdf])), NotFoundError);
      // A second fleet with another seed shares the registry without collisions.
      const other = await generateFleet(deps, dcc, { premises: 20, seed: `other-${backend.name}` });
      assert.equal(other.premises, 20);
    });
  });
}
