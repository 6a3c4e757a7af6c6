import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CommsHub, GasProxy } from '../../src/world/devices/comms-hub.ts';
import { DEVICE_MODELS, modelFor } from '../../src/world/devices/device-model.ts';
import type { Esme } from '../../src/world/devices/esme.ts';
import { faultOf } from '../../src/world/devices/faults.ts';
import { Fleet } from '../../src/world/devices/fleet.ts';
import type { Gsme } from '../../src/world/devices/gsme.ts';
import type { Ppmid } from '../../src/world/devices/ppmid.ts';
import { decodeFrame } from '../../src/gbcs/decode-frame.ts';
import { generateUtrn } from '../../src/gbcs/generate-utrn.ts';
import { readGbz, readTopUpResponse, TOP_UP_RESULT } from '../../src/gbcs/payloads/gbz.ts';
import { verifyFrame } from '../../src/gbcs/verify-frame.ts';
import { aFleet } from '../support/fleet-fixture.ts';

const STEP = 1n << 32n;
const now = new Date('2026-11-22T10:00:00Z');

describe('GSME, GPF and PPMID', () => {
  const f = aFleet('gas');
  const premise = f.premiseWith((p) => p.devices.GSME !== undefined && p.devices.PPMID !== undefined);
  const gsme = f.fleet.device(premise.devices.GSME!) as Gsme;
  const gpf = f.fleet.device(premise.devices.GPF!) as GasProxy;
  const ppmid = f.fleet.device(premise.devices.PPMID!) as Ppmid;
  const supplier = premise.supplier;

  it('closes and arms the valve through the GPF, reads it, and counts every wake', async () => {
    const close = gpf.forward(await f.command('GCS32', supplier, gsme.eui, 1n), now);
    assert.ok(close.accepted, JSON.stringify(close));
    assert.equal(gsme.valve, 'closed');
    assert.equal((await verifyFrame(decodeFrame(close.response), f.keys, f.acb)).signature.status, 'valid');
    assert.ok(gpf.forward(await f.command('GCS39', supplier, gsme.eui, 2n), now).accepted, 'arm accepted');
    assert.equal(gsme.valve, 'armed');
    const read = gpf.forward(await f.command('GCS33', supplier, gsme.eui, 3n), now);
    assert.ok(read.accepted, 'read accepted');
    assert.equal(gsme.wakes, 3);
    assert.equal(gsme.needlessWakes, 0);
  });

  it('counts needless wakes: a refused command, and one that changes nothing', async () => {
    const before = gsme.needlessWakes;
    gsme.receive(await f.command('GCS39', supplier, gsme.eui, 3n), now); // stale counter
    assert.ok(gsme.receive(await f.command('GCS39', supplier, gsme.eui, 4n), now).accepted, 'already armed, still accepted');
    assert.equal(gsme.needlessWakes, before + 2);
    assert.equal(gsme.batteryRemaining, (gsme.model.batteryWakes ?? 0) - gsme.wakes);
  });

  it('tops up remotely (CS01b) and from the PPMID keypad (PCS01, HAN-MACed), refusing a replay', async () => {
    const u1 = await generateUtrn(f.keys, { supplier, device: gsme.eui, counter: 1n * STEP, value: 12, valueClass: 'pounds' });
    const r = gsme.receive(await f.command('CS01b', supplier, gsme.eui, 1n * STEP, { utrn: u1 }), now);
    assert.ok(r.accepted, JSON.stringify(r));
    const resp = readTopUpResponse(readGbz(decodeFrame(r.response).apdu.content)[0]!);
    assert.deepEqual([resp.result, resp.topUpValue, resp.creditRemaining], [TOP_UP_RESULT.accepted, 1_200_000, 1_200_000]);
    const u2 = await generateUtrn(f.keys, { supplier, device: gsme.eui, counter: 2n * STEP, value: 300, valueClass: 'pennies' });
    const viaPpmid = ppmid.enterCode(u2, now, 'gas');
    assert.ok('accepted' in viaPpmid && viaPpmid.accepted, JSON.stringify(viaPpmid));
    assert.equal(gsme.creditPence, 1500);
    const replay = ppmid.enterCode(u2, now, 'gas');
    assert.equal(replay.accepted, false);
    assert.equal('reason' in replay && replay.reason, 'utrn-duplicate');
    assert.equal(gsme.creditPence, 1500);
  });

  it('forwards an electricity code from the PPMID keypad to the ESME', async () => {
    const esme = f.fleet.device(premise.devices.ESME!) as Esme;
    const u = await generateUtrn(f.keys, { supplier, device: esme.eui, counter: 1n * STEP, value: 7, valueClass: 'pounds' });
    assert.equal(ppmid.enterCode(u, now, 'electricity').accepted, true);
    assert.equal(esme.creditPence, 700);
  });
});

describe('Communications Hub', () => {
  const f = aFleet('hub');
  const premise = f.premiseWith((p) => p.devices.GSME !== undefined);
  const hub = f.fleet.device(premise.devices.CHF!) as CommsHub;

  it('holds its premise devices in the device log and delivers only to them', async () => {
    assert.ok(hub.deviceLog.has(premise.devices.ESME!), 'ESME whitelisted');
    const d = hub.deliver(await f.command('ECS45', premise.supplier, premise.devices.ESME!, 1n), now);
    assert.ok(d.delivered && d.reply.accepted, JSON.stringify(d));
    const stranger = f.premiseWith((p) => p.index !== premise.index);
    const notMine = hub.deliver(await f.command('ECS45', stranger.supplier, stranger.devices.ESME!, 1n), now);
    assert.equal(notMine.delivered, false);
    assert.match(!notMine.delivered ? notMine.reason : '', /not in this hub's device log/);
    hub.remove(premise.devices.ESME!);
    assert.equal(hub.deliver(await f.command('ECS45', premise.supplier, premise.devices.ESME!, 2n), now).delivered, false);
  });

  it('lets an HHT pair only within the 60-minute join window', () => {
    const hht = 'AB00000000000001' as never;
    assert.equal(hub.pair(hht, now).paired, false);
    hub.openJoinWindow(now);
    assert.equal(hub.pair(hht, new Date(now.getTime() + 59 * 60_000)).paired, true);
    assert.deepEqual(hub.pair(hht, new Date(now.getTime() + 61 * 60_000)), { paired: false, reason: 'the 60-minute join window is not open' });
  });
});

describe('fault models', () => {
  it('gives about 70% No Fault Found, deterministically per seed and EUI, with observations', () => {
    const model = modelFor('CHF', 'CH-DB1');
    let nff = 0;
    const N = 20_000;
    for (let i = 0; i < N; i++) if (faultOf('seed-1', `EUI${i}`, model).fault === null) nff++;
    assert.ok(Math.abs(nff / N - 0.7) < 0.02, `NFF rate ${nff / N}`);
    assert.deepEqual(faultOf('seed-1', 'X1', model), faultOf('seed-1', 'X1', model));
    const faulty = Array.from({ length: 200 }, (_, i) => faultOf('seed-2', `E${i}`, model)).find((d) => d.fault !== null)!;
    assert.ok(faulty.observations.length > 0, 'observations');
    assert.equal(faultOf('s', 'x', model, 1).fault, null);
    assert.ok(
      DEVICE_MODELS.some((m) => !m.factoryReset),
      'a model that cannot factory reset',
    );
  });
});

describe('fleet generation', () => {
  it('is deterministic, spreads premises over the 14 regions with valid MPANs, and about 0.7% have no WAN', () => {
    const a = new Fleet({ premises: 20_000, seed: 'national' });
    const b = new Fleet({ premises: 20_000, seed: 'national' });
    assert.deepEqual(a.premise(123), b.premise(123));
    assert.notDeepEqual(new Fleet({ premises: 10, seed: 'other' }).premise(3), a.premise(3));
    const regions = new Set<number>();
    let noWan = 0;
    for (let i = 0; i < a.premiseCount; i++) {
      const p = a.premise(i);
      regions.add(p.distributorId);
      if (p.wan === 'none') noWan++;
      assert.equal(p.mpan.slice(0, 2), String(p.distributorId));
    }
    assert.equal(regions.size, 14);
    assert.ok(noWan / a.premiseCount > 0.004 && noWan / a.premiseCount < 0.01, `no-WAN share ${noWan / a.premiseCount}`);
    assert.equal(a.liveDevices, 0);
    const eui = a.premise(5).devices.ESME!;
    assert.equal(a.device(eui)!.eui, eui);
    assert.ok(a.liveDevices >= 2, 'only the used premise is built');
    assert.equal(a.device('FFFF000000000000' as never), undefined);
    assert.throws(() => new Fleet({ premises: 0, seed: 'x' }), /from 1 to/);
  });
});
