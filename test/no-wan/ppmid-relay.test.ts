import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CommsHub } from '../../src/world/devices/comms-hub.ts';
import { PpmidRelay } from '../../src/world/devices/ppmid-relay.ts';
import { runRelayAttackSuite } from '../../src/world/studies/relay-attack-suite.ts';
import { simulateResponseTimes } from '../../src/world/studies/route-latency.ts';
import { aFleet } from '../support/fleet-fixture.ts';

describe('PPMID relay (simulated SECMP0038)', () => {
  it('forwards allow-listed genuine commands, refuses the rest at the hub, and rate-limits per device', async () => {
    const f = aFleet('relay-unit', 10);
    const p = f.premiseWith((x) => x.paymentMode === 'prepayment');
    const relay = new PpmidRelay(f.fleet.device(p.devices.CHF!) as CommsHub, 'wifi', { allowed: new Set([0x0052]), perDevicePerHour: 2 });
    const now = new Date('2026-03-01T10:00:00Z');
    const read = async (c: bigint) => f.command('ECS45', p.supplier, p.devices.ESME!, c);
    const ok = relay.relay(await read(1n), now);
    assert.equal(ok.stage === 'delivered' && ok.reply.accepted, true, JSON.stringify(ok));
    const off = relay.relay(await f.command('ECS43', p.supplier, p.devices.ESME!, 2n), now);
    assert.deepEqual([off.stage, off.stage === 'hub-refused' && /allow-list/.test(off.reason)], ['hub-refused', true]);
    const other = f.premiseWith((x) => x.index !== p.index);
    const foreign = relay.relay(await f.command('ECS45', other.supplier, other.devices.ESME!, 3n), now);
    assert.equal(foreign.stage === 'hub-refused' && /device log/.test(foreign.reason), true);
    relay.relay(await read(4n), now);
    const limited = relay.relay(await read(5n), new Date(now.getTime() + 60_000));
    assert.deepEqual(limited, { stage: 'rate-limited', retryAt: new Date(now.getTime() + 3_600_000) });
    const later = relay.relay(await read(6n), new Date(now.getTime() + 3_600_001));
    assert.equal(later.stage, 'delivered');
    assert.equal(relay.relay(Uint8Array.of(1, 2, 3), now).stage, 'hub-refused');
  });

  it("the attacker suite: nothing of the attacker's making executes; flooding achieves delay; the allow-list holds", async () => {
    const r = await runRelayAttackSuite({ floodHours: 2 });
    const by = Object.fromEntries(r.attacks.map((a) => [a.attack, a]));
    for (const a of ['replay', 'forgery', 'tampering', 'wrong target', 'flooding', 'outside the allow-list']) {
      assert.equal(by[a]!.relay.executed, 0, `${a}: ${JSON.stringify(by[a]!.relay)}`);
      const h = by[a]!.hht;
      if (!('notApplicable' in h)) assert.equal(h.executed, 0, `${a} via HHT`);
    }
    assert.equal(by.replay!.relay.stoppedAt['device: counter-not-increasing'], 20);
    // A genuine disconnection withheld for 2 h never reaches the meter: the allow-list refuses it.
    assert.deepEqual([by['withhold a disconnection']!.relay.executed, by['withhold a disconnection']!.relay.stoppedAt], [0, { 'hub: allow-list': 1 }]);
    assert.equal(by.tampering!.relay.stoppedAt['device: mac-invalid'], by.tampering!.relay.attempts);
    assert.equal(by['outside the allow-list']!.relay.stoppedAt['hub: allow-list'], 3);
    assert.ok(by.flooding!.relay.legitimateDelaySeconds >= 2 * 3600, `flood delay ${by.flooding!.relay.legitimateDelaySeconds}`);
    assert.equal(by['withhold and release']!.relay.executed, 1, "the released command is the User's own, executed late");
    assert.match(r.findings[0]!, /executed through the relay: 0/);
    assert.ok(r.exposure.relayHoursPerYear > r.exposure.hhtHoursPerYear * 100, 'exposure compared');
    await assert.rejects(runRelayAttackSuite({ floodHours: 0 }), /floodHours/);
  });
});

describe('response times by route', () => {
  it("measures each route against the DCC's targets", async () => {
    const r = await simulateResponseTimes({ samples: 40, seed: 't' });
    const by = Object.fromEntries(r.map((x) => [x.route, x]));
    assert.deepEqual(Object.keys(by).sort(), ['alert-wan', 'consumer-code', 'hht-visit', 'ppmid-relay', 'wan', 'wan-intermittent']);
    assert.ok(by.wan!.withinTarget! >= 90, `wan within target ${by.wan!.withinTarget}`);
    assert.equal(by['alert-wan']!.target?.seconds, 60);
    assert.equal(by['hht-visit']!.withinTarget, 0, 'a visit never meets 30 s');
    assert.deepEqual([by['consumer-code']!.confirmed, by['consumer-code']!.withinTarget], [false, null]);
    assert.ok(by['ppmid-relay']!.p95 < by['hht-visit']!.p50, 'the relay is faster than a visit');
    for (const x of r) assert.ok(x.processingMsP50 > 0 && x.p50 <= x.p95 && x.p95 <= x.p99 && x.p99 <= x.max, `${x.route} percentiles ordered, processing measured`);
  });
});
