import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Esme } from '../../src/world/devices/esme.ts';
import { Fleet } from '../../src/world/devices/fleet.ts';
import { FleetKeyStore } from '../../src/world/devices/fleet-key-store.ts';
import { LocalPort, LocalPortError } from '../../src/world/devices/local-port.ts';
import { SimClock } from '../../src/world/devices/sim-clock.ts';
import { buildUseCaseFrame } from '../../src/gbcs/build-use-case.ts';
import { certificateEui, certificateRole } from '../../src/gbcs/certificate-role.ts';
import { generateUtrn } from '../../src/gbcs/generate-utrn.ts';
import { checkChain } from '../../src/keys/certificate-check.ts';
import { TestCa } from '../../src/keys/test-pki.ts';

describe('a fleet certified by the test PKI, driven by the simulation clock', () => {
  const fleet = new Fleet({ premises: 10, seed: 'pki-fleet', prepaymentRate: 1 });
  let ca: TestCa;
  let keys: FleetKeyStore;
  before(async () => {
    ca = await TestCa.create();
    keys = new FleetKeyStore(fleet, ca);
  });

  it("certifies the parties' and devices' seed-derived keys, with role and EUI where GBCS puts them", async () => {
    const p = fleet.premise(0);
    const supplierDs = (await keys.certificate(p.supplier, 'ds'))!;
    assert.equal(certificateRole(supplierDs), 0x02);
    assert.equal(certificateEui(supplierDs), p.supplier);
    assert.ok(supplierDs.publicKey.equals((await keys.publicKey(p.supplier, 'ds'))!), 'the certificate holds the fleet key');
    const esmeKa = (await keys.certificate(p.devices.ESME!, 'ka'))!;
    assert.equal(certificateEui(esmeKa), p.devices.ESME);
    assert.equal(checkChain([esmeKa, ca.issuingCa, ca.root], new Date()), null);
  });

  it('lets the build-time role check refuse a Network Operator signing ECS42 for a fleet device', async () => {
    const p = fleet.premise(1);
    const no = fleet.parties.networkOperators.get(p.distributorId)!.eui;
    await assert.rejects(
      buildUseCaseFrame(keys, { useCase: 'ECS42', originator: no, device: p.devices.ESME!, counter: 1n, acb: fleet.parties.acb.eui }),
      /must be signed by a supplier/,
    );
  });

  it('moves through a join window and a keypad lock-out in simulated time', async () => {
    const clock = new SimClock(new Date('2026-12-01T08:00:00Z'));
    const p = fleet.premise(2);
    const esme = fleet.device(p.devices.ESME!) as Esme;
    const port = new LocalPort(esme, 'pki-fleet');
    port.openJoinWindow(clock.now());
    clock.advanceMinutes(61);
    assert.throws(() => port.pair('AB00000000000001' as never, clock.now()), LocalPortError);
    for (let i = 0; i < esme.model.lockoutAfter; i++) esme.enterCode('11111111111111111111', clock.now());
    const u = await generateUtrn(keys, { supplier: p.supplier, device: esme.eui, counter: 1n << 32n, value: 3, valueClass: 'pounds' });
    assert.equal(esme.enterCode(u, clock.now()).accepted, false);
    clock.advanceMinutes(esme.model.lockoutMinutes);
    assert.equal(esme.enterCode(u, clock.now()).accepted, true);
    assert.throws(() => clock.advance(-1), /only moves forward/);
  });
});
