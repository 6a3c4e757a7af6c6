import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Eui } from '../../src/domain/index.ts';
import { fromHex } from '../../src/gbcs/byte-reader.ts';
import { runVisit, uploadRows, type DevicePort } from '../../src/cli/hht/hht-client.ts';
import { uploadResponses } from '../../src/services/hht-upload.ts';
import { createWorkOrder, pullWorkOrder } from '../../src/services/work-orders.ts';
import type { Esme } from '../../src/world/devices/esme.ts';
import { Fleet } from '../../src/world/devices/fleet.ts';
import { generateFleet } from '../../src/world/fleet-service.ts';
import { SimulatedPorts } from '../../src/world/sim-ports.ts';
import { BACKENDS } from '../support/backends.ts';
import { aParty, depsFor, withParties, worldOf } from '../support/builders.ts';

const HHT = 'F0F0F0F0F0F01801' as Eui;
const HOUR = 3_600_000;
const SEED = 'captured-order-replay';

for (const backend of BACKENDS) {
  // Seed 003, option 7: "Signed commands and signed device pairing pre-loaded on device together with the work-order".
  describe(`a captured pass-through work order, replayed later and elsewhere, through the platform's own services on ${backend.name}`, { skip: backend.skip ?? false }, () => {
    it('the genuine visit counts; the replays are refused by the meters, the signed pairing and the upload', async (t) => {
      const store = await backend.open();
      t.after(() => store.close());
      const w = { now: new Date('2026-11-02T09:00:00Z') };
      const clock = () => w.now;
      const deps = depsFor(store, clock);
      const dcc = aParty({ role: 'dcc' });
      await withParties(store, dcc);
      await generateFleet(deps, dcc, { premises: 20, seed: SEED });
      const fleet = new Fleet({ premises: 20, seed: SEED });
      const target = fleet.premise(0);
      let neighbour = fleet.premise(1);
      for (let i = 1; neighbour.supplier !== target.supplier; i++) neighbour = fleet.premise(i);
      const supplier = (await store.read.parties.list()).find((p) => p.eui === target.supplier)!;
      const premiseId = (i: number) => `fleet-${fleet.tag.toLowerCase()}-p${i}`;
      const ports = new SimulatedPorts(worldOf(deps), deps);
      const port: DevicePort = { openJoinWindow: (d) => ports.openJoinWindow(d), pair: (d, h, a) => ports.pair(d, h, fromHex(a)), send: (d, h, f) => ports.send(d, h, fromHex(f)) };
      const meter = async (eui: Eui) => (await worldOf(deps).loadDevice(store.read, eui)).device as Esme;

      const { order } = await createWorkOrder(deps, supplier, 'planner', {
        premiseId: premiseId(target.index),
        commands: [
          { deviceEui: target.devices.ESME!, useCase: 'ECS43' },
          { deviceEui: target.devices.ESME!, useCase: 'ECS42' },
        ],
        lifetimeHours: 24,
      });
      // A second order for the same meter, never visited: it expires with the first.
      const { order: unvisited } = await createWorkOrder(deps, supplier, 'planner', {
        premiseId: premiseId(target.index),
        commands: [{ deviceEui: target.devices.ESME!, useCase: 'ECS45' }],
        lifetimeHours: 24,
      });
      const pkg = await pullWorkOrder(deps, supplier, 'engineer', order.id, HHT);
      const genuine = await runVisit(pkg, port, { now: clock });
      assert.deepEqual(
        genuine.map((r) => r.accepted),
        [true, true],
      );
      const up = await uploadResponses(deps, supplier, 'engineer', uploadRows({ ...pkg, visit: { records: genuine } }));
      assert.deepEqual(
        up.map((r) => r.status),
        ['recorded', 'recorded'],
      );

      // An hour later the captured file again, at the same meter: paired (still valid), every frame refused on its counter.
      w.now = new Date(w.now.getTime() + HOUR);
      const later = await runVisit(pkg, port, { now: clock });
      assert.deepEqual(
        later.map((r) => [r.accepted, r.detail?.split(':')[0]]),
        [
          [false, 'counter-not-increasing'],
          [false, 'counter-not-increasing'],
        ],
      );
      const upLater = await uploadResponses(deps, supplier, 'attacker', uploadRows({ ...pkg, visit: { records: later } }));
      assert.deepEqual(
        upLater.map((r) => (r.status === 'rejected' ? r.reason : r.status)),
        ['a different response to command 1 is recorded already', 'a different response to command 2 is recorded already'],
      );

      // Elsewhere: the package pointed at the neighbour's meter. Its pairing names the target meter.
      const retargeted = {
        ...pkg,
        commands: pkg.commands.map((c) => ({ ...c, deviceEui: neighbour.devices.ESME! })),
        pairings: pkg.pairings.map((p) => ({ ...p, deviceEui: neighbour.devices.ESME! })),
      };
      await assert.rejects(runVisit(retargeted, port, { now: clock }), /refuses to pair with F0F0F0F0F0F01801: the authorisation is for device /);
      // With the neighbour's own order pulled to the same HHT (so genuinely paired there), the captured frames are for another meter.
      const { order: theirs } = await createWorkOrder(deps, supplier, 'planner', {
        premiseId: premiseId(neighbour.index),
        commands: [{ deviceEui: neighbour.devices.ESME!, useCase: 'ECS45' }],
      });
      const theirPkg = await pullWorkOrder(deps, supplier, 'engineer', theirs.id, HHT);
      await ports.openJoinWindow(neighbour.devices.ESME!);
      await ports.pair(neighbour.devices.ESME!, HHT, fromHex(theirPkg.pairings[0]!.authorisation));
      for (const c of pkg.commands) {
        const r = await ports.send(neighbour.devices.ESME!, HHT, fromHex(c.frame));
        assert.deepEqual([r.accepted, r.reason], [false, 'wrong-recipient']);
      }
      assert.equal((await meter(neighbour.devices.ESME!)).loadSwitch, 'enabled');

      // After expiry: the HHT client refuses the file; a pairing straight at the port is refused by the meter.
      w.now = new Date(new Date(pkg.order.expiresAt).getTime() + 60_000);
      await assert.rejects(runVisit(pkg, port, { now: clock }), /expired at .*: its commands can no longer be applied/);
      await ports.openJoinWindow(target.devices.ESME!);
      await assert.rejects(ports.pair(target.devices.ESME!, HHT, fromHex(pkg.pairings[0]!.authorisation)), /the authorisation expired at/);
      // And a response "delivered" after expiry, to the order never visited, is not taken.
      const late = await uploadResponses(deps, supplier, 'attacker', [{ orderId: unvisited.id, seq: 1, response: genuine[0]!.carry!, deliveredAt: w.now.toISOString() }]);
      assert.match(late[0]!.status === 'rejected' ? late[0]!.reason : '', /after the order expired/);
      assert.equal((await meter(target.devices.ESME!)).loadSwitch, 'enabled', 'disabled then enabled by the genuine visit; nothing since');
    });
  });
}
