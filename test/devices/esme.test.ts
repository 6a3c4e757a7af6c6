import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Eui } from '../../src/domain/eui.ts';
import { buildConfigCode } from '../../src/gbcs/config-code.ts';
import { decodeFrame } from '../../src/gbcs/decode-frame.ts';
import { generateUtrn } from '../../src/gbcs/generate-utrn.ts';
import { buildCs02bCommand, readCs02bResponse, ROLE } from '../../src/gbcs/payloads/credentials.ts';
import { buildLoadSwitchCommand, readAccessResponse } from '../../src/gbcs/payloads/dlms.ts';
import { verifyFrame } from '../../src/gbcs/verify-frame.ts';
import { ALERT } from '../../src/world/devices/alert-codes.ts';
import type { Esme } from '../../src/world/devices/esme.ts';
import { CompositeKeyStore } from '../../src/keys/composite-key-store.ts';
import { MemoryKeyStore } from '../../src/keys/memory-key-store.ts';
import { generateTestPki } from '../../src/keys/test-pki.ts';
import { aFleet } from '../support/fleet-fixture.ts';

const STEP = 1n << 32n;
const now = new Date('2026-11-22T10:00:00Z');

/** A fresh fleet and its first prepayment ESME, for one test: no test sees another's device state. */
function prepaymentEsme(seed: string) {
  const f = aFleet(seed);
  const premise = f.premiseWith((p) => p.paymentMode === 'prepayment');
  const esmeEui = premise.devices.ESME!;
  return { f, premise, esmeEui, esme: f.fleet.device(esmeEui) as Esme, supplier: premise.supplier };
}

// Alert codes a meter answers UTRN refusals with: gbcs.md section 5, not the code under test.
const DUPLICATE_UTRN = 0x8f51;
const UTRN_NOT_AUTHENTIC = 0x8f63;
const UTRN_EXCEEDS_MAX_CREDIT = 0x8f5b;
const MANUAL_ENTRY_SUSPENDED = 0x81c4;
const REJECTED_LOCKED_OUT = 0x81c5;

describe('ESME: the whole journey, with frames built by the GBCS core', () => {
  it('disables and enables supply, answering with signed responses', async () => {
    const { f, esmeEui, esme, supplier } = prepaymentEsme('esme-journey-switch');
    const off = esme.receive(await f.command('ECS43', supplier, esmeEui, 1n), now);
    assert.ok(off.accepted, JSON.stringify(off));
    assert.equal(esme.loadSwitch, 'disabled');
    const resp = decodeFrame(off.response);
    assert.equal(resp.apdu.cra, 'response');
    assert.equal(resp.apdu.originatorCounter, 1n);
    assert.deepEqual(readAccessResponse(resp.apdu.content).results, [{ kind: 'action', result: 0 }]);
    assert.equal((await verifyFrame(resp, f.keys, f.acb)).signature.status, 'valid');
    const on = esme.receive(await f.command('ECS42', supplier, esmeEui, 2n), now);
    assert.ok(on.accepted, 'on.accepted');
    assert.equal(esme.loadSwitch, 'enabled');
    const read = esme.receive(await f.command('ECS45', supplier, esmeEui, 3n), now);
    assert.ok(read.accepted, 'read.accepted');
    assert.deepEqual(readAccessResponse(decodeFrame(read.response).apdu.content).data, [{ type: 'enum', value: 1 }]);
    assert.equal((await verifyFrame(decodeFrame(read.response), f.keys, f.acb)).mac.status, 'valid');
  });

  it('tops up by a remote UTRN (CS01a) and by the keypad', async () => {
    const { f, esmeEui, esme, supplier } = prepaymentEsme('esme-journey-topup');
    const utrn1 = await generateUtrn(f.keys, { supplier, device: esmeEui, counter: 1n * STEP, value: 10, valueClass: 'pounds' });
    const r = esme.receive(await f.command('CS01a', supplier, esmeEui, 1n * STEP, { utrn: utrn1 }), now);
    assert.ok(r.accepted, JSON.stringify(r));
    assert.equal(esme.creditPence, 1000);
    const utrn2 = await generateUtrn(f.keys, { supplier, device: esmeEui, counter: 2n * STEP, value: 550, valueClass: 'pennies' });
    assert.equal(esme.enterCode(utrn2, now).accepted, true);
    assert.equal(esme.creditPence, 1550);
  });

  it('replaces the Supplier credentials (CS02b supplier-by-supplier), then obeys only the new key', async () => {
    const { f, esmeEui, esme, supplier } = prepaymentEsme('esme-journey-cs02b');
    const pki = await generateTestPki({ organisations: [{ eui: supplier, role: ROLE.supplier, name: 'SUPPLIER NEW KEY', usages: ['ds'] }], devices: [] });
    const newDs = pki.keys[0]!;
    const counter = 10n * STEP;
    const content = buildCs02bCommand({
      mode: 2,
      disapplyTimeBasedCpvChecks: false,
      authorisingCell: { role: ROLE.supplier, keyUsage: 'ds' },
      sequenceNumber: counter,
      replacements: [{ certificate: newDs.certificate.raw, target: { role: ROLE.supplier, keyUsage: 'ds' } }],
      certificationPath: [pki.issuingCa.raw],
    });
    const h = { cra: 'command' as const, originatorCounter: counter, originator: supplier, recipient: esmeEui, dateTime: null, messageCode: 0x0102 };
    const reply = esme.receive(await f.raw(h, content, { sign: true, mac: true }), now);
    assert.ok(reply.accepted, JSON.stringify(reply));
    const outcome = readCs02bResponse(decodeFrame(reply.response).apdu.content).outcome!;
    assert.equal(outcome.outcomes[0]!.status, 0);
    assert.notDeepEqual(outcome.outcomes[0]!.existing.ski, outcome.outcomes[0]!.replacing.ski);
    assert.equal(esme.anchors.floorOf(ROLE.supplier), counter);

    const oldKey = esme.receive(await f.command('ECS43', supplier, esmeEui, counter + 1n), now);
    assert.equal(oldKey.accepted, false);
    assert.equal(!oldKey.accepted && oldKey.reason, 'signature-invalid');
    const newKeys = new CompositeKeyStore([new MemoryKeyStore().add(supplier, 'ds', { privateKey: newDs.privateKey, certificate: newDs.certificate }), f.keys]);
    const ok = esme.receive(await f.command('ECS43', supplier, esmeEui, counter + 2n, { keys: newKeys }), now);
    assert.ok(ok.accepted, JSON.stringify(ok));
  });

  it('Recovery puts DCC-controlled (ACB) credentials into the Supplier and NO cells: the vanilla state', async () => {
    const { f, esmeEui, esme } = prepaymentEsme('esme-journey-recovery');
    const pki = await generateTestPki({ organisations: [{ eui: f.acb, role: ROLE.acb, name: 'DCC ACB VANILLA', usages: ['ds', 'ka'] }], devices: [] });
    const [ds, ka] = pki.keys;
    const counter = 500n;
    const recovery = f.fleet.parties.recovery.eui;
    const content = buildCs02bCommand({
      mode: 8,
      disapplyTimeBasedCpvChecks: true,
      authorisingCell: { role: ROLE.recovery, keyUsage: 'ds' },
      sequenceNumber: counter,
      replacements: [
        { certificate: ds!.certificate.raw, target: { role: ROLE.supplier, keyUsage: 'ds' } },
        { certificate: ka!.certificate.raw, target: { role: ROLE.supplier, keyUsage: 'ka' } },
        { certificate: ds!.certificate.raw, target: { role: ROLE.networkOperator, keyUsage: 'ds' } },
        { certificate: ka!.certificate.raw, target: { role: ROLE.networkOperator, keyUsage: 'ka' } },
      ],
      certificationPath: [pki.issuingCa.raw],
    });
    // Recovery CS02b is signed by Recovery and carries no ACB MAC.
    const h = { cra: 'command' as const, originatorCounter: counter, originator: recovery, recipient: esmeEui, dateTime: null, messageCode: 0x0108 };
    const reply = esme.receive(await f.raw(h, content, { sign: true, mac: false }), now);
    assert.ok(reply.accepted, JSON.stringify(reply));
    for (const role of [ROLE.supplier, ROLE.networkOperator]) {
      assert.equal(esme.anchors.get(role, 'ds')!.partyEui, f.acb);
      assert.equal(esme.anchors.get(role, 'ka')!.partyEui, f.acb);
    }
  });
});

describe('ESME refusals leave the device unchanged', () => {
  /** A fresh device per test, another premise of its Supplier, and a checker for refusals. */
  function refusing(seed: string) {
    const { f, premise, esmeEui, esme, supplier } = prepaymentEsme(seed);
    const other = f.premiseWith((p) => p.index !== premise.index && p.supplier === supplier);
    const refused = async (frame: Uint8Array | Promise<Uint8Array>, reason: string, alertCode?: number) => {
      const before = JSON.stringify(esme.snapshot());
      const r = esme.receive(await frame, now);
      assert.equal(r.accepted, false, `expected refusal ${reason}`);
      assert.equal(!r.accepted && r.reason, reason);
      if (alertCode !== undefined) assert.equal(!r.accepted && r.alertCode, alertCode);
      assert.equal(JSON.stringify(esme.snapshot()), before, `state changed on ${reason}`);
      return r;
    };
    return { f, premise, esmeEui, esme, supplier, other, refused };
  }

  it('refuses a malformed frame', async () => {
    const { refused } = refusing('esme-refusals-1');
    const r = await refused(Uint8Array.of(0xdd, 0, 0, 1), 'malformed', ALERT.integrityCheckFailed);
    assert.equal(!r.accepted && r.alert, null);
  });

  it('refuses a command for another device, with a signed alert', async () => {
    const { f, supplier, other, refused } = refusing('esme-refusals-2');
    const r = await refused(f.command('ECS43', supplier, other.devices.ESME!, 100n), 'wrong-recipient');
    const alert = decodeFrame(!r.accepted ? r.alert! : new Uint8Array());
    assert.equal(alert.apdu.cra, 'alert');
    assert.equal((await verifyFrame(alert, f.keys, f.acb)).signature.status, 'valid');
  });

  it('refuses a critical command signed by the wrong role', async () => {
    const { f, premise, esmeEui, refused } = refusing('esme-refusals-3');
    const no = f.fleet.parties.networkOperators.get(premise.distributorId)!.eui;
    const h = { cra: 'command' as const, originatorCounter: 101n, originator: no, recipient: esmeEui, dateTime: null, messageCode: 0x0050 };
    await refused(f.raw(h, buildLoadSwitchCommand('ECS43', 101n), { sign: true, mac: true }), 'signer-not-authorised', ALERT.sourceNotAuthorised);
  });

  it('refuses an old or equal counter', async () => {
    const { f, esmeEui, esme, supplier, refused } = refusing('esme-refusals-4');
    const frame = await f.command('ECS43', supplier, esmeEui, 200n);
    assert.ok(esme.receive(frame, now).accepted, 'esme.receive(frame, now).accepted');
    await refused(frame, 'counter-not-increasing');
    await refused(f.command('ECS42', supplier, esmeEui, 150n), 'counter-not-increasing');
  });

  it('refuses a tampered MAC and a tampered signature', async () => {
    const { f, esmeEui, supplier, refused } = refusing('esme-refusals-5');
    const frame = Uint8Array.from(await f.command('ECS42', supplier, esmeEui, 300n));
    frame[frame.length - 1]! ^= 1;
    await refused(frame, 'mac-invalid', ALERT.trustedSourceAuthenticationFailure);
    const h = { cra: 'command' as const, originatorCounter: 301n, originator: supplier, recipient: esmeEui, dateTime: null, messageCode: 0x004f };
    await refused(f.withBadSignature(h, buildLoadSwitchCommand('ECS42', 301n)), 'signature-invalid', ALERT.trustedSourceAuthenticationFailure);
  });

  it('refuses a command without the ACB MAC', async () => {
    const { f, esmeEui, supplier, refused } = refusing('esme-refusals-6');
    const h = { cra: 'command' as const, originatorCounter: 302n, originator: supplier, recipient: esmeEui, dateTime: null, messageCode: 0x004f };
    await refused(f.raw(h, buildLoadSwitchCommand('ECS42', 302n), { sign: true, mac: false }), 'mac-invalid');
  });

  it('refuses a replayed UTRN, a UTRN for another device, and a remote top-up over the ceiling', async () => {
    const { f, esmeEui, esme, supplier, other, refused } = refusing('esme-refusals-7');
    const good = await generateUtrn(f.keys, { supplier, device: esmeEui, counter: 1n * STEP, value: 5, valueClass: 'pounds' });
    assert.ok(esme.enterCode(good, now).accepted, 'esme.enterCode(good, now).accepted');
    const before = JSON.stringify(esme.snapshot());
    const replay = esme.enterCode(good, now);
    assert.deepEqual([replay.accepted, replay.alertCode], [false, DUPLICATE_UTRN]);
    const foreign = await generateUtrn(f.keys, { supplier, device: other.devices.ESME!, counter: 2n * STEP, value: 5, valueClass: 'pounds' });
    assert.equal(esme.enterCode(foreign, now).alertCode, UTRN_NOT_AUTHENTIC);
    // wrong entries are counted towards the lock-out, nothing else changes
    assert.equal(JSON.stringify({ ...esme.snapshot(), utrn: null }), JSON.stringify({ ...JSON.parse(before), utrn: null }));
    esme.utrn.wrongEntries = 0;
    const big = await generateUtrn(f.keys, { supplier, device: esmeEui, counter: 3n * STEP, value: 8000, valueClass: 'pounds' });
    const frame = await f.command('CS01a', supplier, esmeEui, 3n * STEP, { utrn: big });
    const creditBefore = JSON.stringify({ ...esme.snapshot(), counters: null });
    const r = esme.receive(frame, now);
    assert.equal(!r.accepted && r.reason, 'utrn-exceeds-max-credit');
    assert.equal(!r.accepted && r.alertCode, UTRN_EXCEEDS_MAX_CREDIT);
    // The command authenticated, so the meter answers (Action-Result hardware-fault) and consumes its
    // counter, so that this authentic frame can never be replayed; credit and codes are unchanged.
    assert.deepEqual(readAccessResponse(decodeFrame(!r.accepted ? r.response! : new Uint8Array()).apdu.content).results, [{ kind: 'action', result: 1 }]);
    assert.equal(JSON.stringify({ ...esme.snapshot(), counters: null }), creditBefore);
    await refused(frame, 'counter-not-increasing');
  });

  it('accepts an out-of-order UTRN within the window, and locks the keypad after repeated wrong codes', async () => {
    const { f, esmeEui, esme, supplier } = refusing('esme-refusals-8');
    const u5 = await generateUtrn(f.keys, { supplier, device: esmeEui, counter: 5n * STEP, value: 1, valueClass: 'pounds' });
    const u4 = await generateUtrn(f.keys, { supplier, device: esmeEui, counter: 4n * STEP, value: 1, valueClass: 'pounds' });
    assert.ok(esme.enterCode(u5, now).accepted, 'esme.enterCode(u5, now).accepted');
    assert.ok(esme.enterCode(u4, now).accepted, 'esme.enterCode(u4, now).accepted');
    const wrong = '12345678901234567890';
    let last;
    for (let i = 0; i < esme.model.lockoutAfter; i++) last = esme.enterCode(wrong, now);
    assert.equal(last!.alertCode, MANUAL_ENTRY_SUSPENDED);
    const u6 = await generateUtrn(f.keys, { supplier, device: esmeEui, counter: 6n * STEP, value: 1, valueClass: 'pounds' });
    assert.equal(esme.enterCode(u6, now).alertCode, REJECTED_LOCKED_OUT);
    assert.ok(esme.enterCode(u6, new Date(now.getTime() + 61 * 60_000)).accepted, 'esme.enterCode(u6, new Date(now.getTime() + 61 * 60_000)).ac');
  });

  it('accepts a configuration code once, and never an older one after a newer one', async () => {
    const { f, esmeEui, esme, supplier } = refusing('esme-refusals-9');
    const z = await f.keys.agree(supplier, 'pp-ka', (await f.keys.publicKey(esmeEui, 'ka'))!);
    esme.loadSwitch = 'disabled';
    const c8 = buildConfigCode(z, { supplier, device: esmeEui, counter: 8n * STEP, action: 'enableSupply' });
    const c7 = buildConfigCode(z, { supplier, device: esmeEui, counter: 7n * STEP, action: 'switchToCreditMode' });
    const later = new Date(now.getTime() + 2 * 3_600_000);
    assert.equal(esme.enterCode(c8, later).accepted, true, 'configuration code accepted');
    assert.equal(esme.loadSwitch, 'enabled');
    assert.equal(esme.enterCode(c8, later).alertCode, DUPLICATE_UTRN);
    assert.equal(esme.enterCode(c7, later).accepted, false);
  });

  it('fuzz: 100,000 random and mutated frames, none accepted, no crash', async () => {
    const { f, esmeEui, esme, supplier } = refusing('esme-refusals-10');
    const seeds = [await f.command('ECS42', supplier, esmeEui, 1_000n * STEP), await f.command('ECS45', supplier, esmeEui, 1_000n * STEP + 1n)];
    // Delivered once, so that every mutation (and the untouched frame) must now be refused.
    for (const s of seeds) assert.equal(esme.receive(s, now).accepted, true, 'seed frame accepted');
    const before = JSON.stringify(esme.snapshot());
    let n = 0;
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.nat(), fc.integer({ min: 0, max: 7 }), fc.uint8Array({ maxLength: 64 }), fc.nat(), (frame, at, bit, junk, cut) => {
        const flipped = Uint8Array.from(frame);
        flipped[at % frame.length]! ^= 1 << bit;
        for (const candidate of [
          flipped,
          frame.subarray(0, cut % frame.length),
          Uint8Array.from([...frame, ...junk]),
          randomBytes(junk.length + 1),
          Uint8Array.from([0xdd, ...junk]),
        ]) {
          const r = esme.receive(candidate, now);
          assert.equal(r.accepted, false);
          n++;
        }
      }),
      { numRuns: 20_000 },
    );
    assert.equal(n, 100_000);
    assert.equal(JSON.stringify(esme.snapshot()), before);
  });

  it('factory resets where the model can; a hub model that cannot says so', async () => {
    const { f, esmeEui, esme, supplier } = refusing('esme-refusals-11');
    const hubPremise = f.premiseWith((p) => f.fleet.modelOf('CHF', p.devices.CHF!).factoryReset === false);
    assert.throws(() => f.fleet.device(hubPremise.devices.CHF!)!.factoryReset(), /cannot be factory reset/);
    // State to reset: a command's counter and some credit.
    assert.ok(esme.receive(await f.command('ECS45', supplier, esmeEui, 7n), now).accepted);
    assert.ok(esme.enterCode(await generateUtrn(f.keys, { supplier, device: esmeEui, counter: 1n * STEP, value: 3, valueClass: 'pounds' }), now).accepted);
    assert.deepEqual([esme.counters.size > 0, esme.creditPence], [true, 300]);
    esme.factoryReset();
    assert.equal(esme.counters.size, 0);
    assert.equal(esme.creditPence, 0);
  });
});

void ({} as Eui);
