// What an HHT carries back (SRV 8.13) counts only when it is the named device's answer to that very
// command, addressed to the User, signed by the device (critical commands, alerts) or MACed between
// device and User. Responses here come from simulated devices answering real frames.
import assert from 'node:assert/strict';
import { sign } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Eui } from '../../src/domain/eui.ts';
import { encodePreCommand, signedRegion, withSignature } from '../../src/gbcs/build-frame.ts';
import { decodeFrame } from '../../src/gbcs/decode-frame.ts';
import type { KeyStore } from '../../src/gbcs/key-store.ts';
import { verifyLocalResponse, type ExpectedResponse } from '../../src/gbcs/verify-local-response.ts';
import type { Esme } from '../../src/world/devices/esme.ts';
import { aFleet } from '../support/fleet-fixture.ts';

const now = new Date('2026-11-22T10:00:00Z');
// Message codes from gbcs.md section 2.
const ECS43 = 0x0050;
const ECS45 = 0x0052;

function restricted(inner: KeyStore, opts: { noPrivate?: readonly Eui[]; noPublic?: readonly Eui[] }): KeyStore {
  return {
    publicKey: async (eui, u) => (opts.noPublic?.includes(eui) ? undefined : inner.publicKey(eui, u)),
    certificate: async (eui, u) => (opts.noPublic?.includes(eui) ? undefined : inner.certificate(eui, u)),
    hasPrivateKey: async (eui, u) => !opts.noPrivate?.includes(eui) && inner.hasPrivateKey(eui, u),
    sign: (eui, u, d) => inner.sign(eui, u, d),
    agree: (eui, u, peer) => inner.agree(eui, u, peer),
  };
}
const flipped = (bytes: Uint8Array, at: number) => {
  const b = Buffer.from(bytes);
  b[at]! ^= 0x01;
  return b;
};

/** A fresh fleet device and the answers it gave to one critical and one non-critical command. */
async function answers(seed: string) {
  const f = aFleet(seed, 8);
  const premise = f.premiseWith((p) => p.devices.ESME !== undefined);
  const device = premise.devices.ESME!;
  const user = premise.supplier;
  const esme = f.fleet.device(device) as Esme;
  const off = esme.receive(await f.command('ECS43', user, device, 11n), now);
  const read = esme.receive(await f.command('ECS45', user, device, 12n), now);
  assert.ok(off.accepted && read.accepted, 'the device accepted both commands');
  const critical: ExpectedResponse = { device, user, counter: 11n, messageCode: ECS43, critical: true };
  const plain: ExpectedResponse = { device, user, counter: 12n, messageCode: ECS45, critical: false };
  return { f, device, user, esme, signed: off.response, maced: read.response, critical, plain };
}

describe('verifying a response carried back from a premise', () => {
  it('accepts the signed answer to a critical command and the MACed answer to a read', async () => {
    const a = await answers('vlr-accept');
    const s = await verifyLocalResponse(a.signed, a.critical, a.f.keys, a.f.acb);
    assert.deepEqual([s.ok, s.ok && s.kind], [true, 'response']);
    assert.equal(s.ok && s.frame.apdu.originatorCounter, 11n);
    const m = await verifyLocalResponse(a.maced, a.plain, a.f.keys, a.f.acb);
    assert.deepEqual([m.ok, m.ok && m.kind], [true, 'response']);
  });

  it('refuses an answer from another device, to another User, to another counter or another command', async () => {
    const a = await answers('vlr-mismatch');
    const other = 'AAAAAAAAAAAAAAAA' as Eui;
    const reason = async (want: ExpectedResponse, bytes = a.signed) => {
      const r = await verifyLocalResponse(bytes, want, a.f.keys, a.f.acb);
      assert.equal(r.ok, false);
      return r.ok ? '' : r.reason;
    };
    assert.equal(await reason({ ...a.critical, device: other }), `the response is from ${a.device}, the command went to ${other}`);
    assert.equal(await reason({ ...a.critical, user: other }), `the response is addressed to ${a.user}, not ${other}`);
    assert.equal(await reason({ ...a.critical, counter: 12n }), 'the response answers counter 11, the command had 12');
    assert.equal(await reason({ ...a.critical, messageCode: ECS45 }), 'the response is for message code 0x50, the command was 0x52');
  });

  it('refuses a broken device signature on a critical answer, and a broken MAC on a read', async () => {
    const a = await answers('vlr-tamper');
    // The last 12 bytes of a DD frame are the MAC; the 64 before them the signature.
    const badSig = await verifyLocalResponse(flipped(a.signed, a.signed.length - 12 - 10), a.critical, a.f.keys, a.f.acb);
    assert.deepEqual(badSig, { ok: false, reason: 'the device signature is invalid' });
    const badMac = await verifyLocalResponse(flipped(a.maced, a.maced.length - 1), a.plain, a.f.keys, a.f.acb);
    assert.deepEqual(badMac, { ok: false, reason: 'the response MAC is invalid' });
    // A read's answer has no device signature: passed off as a critical answer it is refused.
    const unsigned = await verifyLocalResponse(a.maced, { ...a.plain, critical: true }, a.f.keys, a.f.acb);
    assert.deepEqual(unsigned, { ok: false, reason: 'the device signature is not-present' });
    // A critical answer's MAC is not what makes it count: stripped of it, the signed APDU still does.
    const bare = decodeFrame(a.signed).apdu.bytes;
    assert.equal((await verifyLocalResponse(bare, a.critical, a.f.keys, a.f.acb)).ok, true);
    assert.deepEqual(await verifyLocalResponse(bare.slice(0, -1), a.critical, a.f.keys, a.f.acb).then((r) => r.ok), false);
  });

  it('says why it could not check: no device certificate, no key pair for the MAC', async () => {
    const a = await answers('vlr-keys');
    const noCert = await verifyLocalResponse(a.signed, a.critical, restricted(a.f.keys, { noPublic: [a.device] }), a.f.acb);
    assert.deepEqual(noCert, { ok: false, reason: `the device signature is no DS certificate for originator ${a.device}` });
    const noKa = await verifyLocalResponse(a.maced, a.plain, restricted(a.f.keys, { noPrivate: [a.device, a.user] }), a.f.acb);
    assert.equal(noKa.ok, false);
    assert.match(noKa.ok ? '' : noKa.reason, /^the response MAC is no KA private key for /);
  });

  it('refuses what is not a response, and bytes that are not a frame', async () => {
    const a = await answers('vlr-kinds');
    // The command itself, checked as if the Supplier's "answer" to the device.
    const command = await a.f.command('ECS45', a.user, a.device, 13n);
    const asResponse = await verifyLocalResponse(command, { ...a.plain, device: a.user, user: a.device }, a.f.keys, a.f.acb);
    assert.deepEqual(asResponse, { ok: false, reason: 'a command is not a response' });
    const junk = await verifyLocalResponse(Uint8Array.of(0xab, 0x01), a.plain, a.f.keys, a.f.acb);
    assert.equal(junk.ok, false);
    assert.match(junk.ok ? '' : junk.reason, /^GBCS frame invalid at byte 0: /);
  });

  it('accepts a device-signed Generic Critical Alert in place of a response, and refuses a forged one', async () => {
    const a = await answers('vlr-alert');
    const alert = a.esme.alert(0x81c4, a.user, now);
    const ok = await verifyLocalResponse(alert, a.plain, a.f.keys, a.f.acb);
    assert.equal(ok.ok && ok.kind, 'alert');
    assert.deepEqual(ok.ok && ok.kind === 'alert' ? [ok.alertCode, ok.raisedAt?.toISOString()] : null, [0x81c4, now.toISOString()]);
    const forged = await verifyLocalResponse(flipped(alert, alert.length - 1), a.plain, a.f.keys, a.f.acb);
    assert.equal(forged.ok, false);
    assert.match(forged.ok ? '' : forged.reason, /^the alert's device signature is /);
    const toOther = await verifyLocalResponse(alert, { ...a.plain, user: 'AAAAAAAAAAAAAAAA' as Eui }, a.f.keys, a.f.acb);
    assert.deepEqual(toOther, { ok: false, reason: `the response is addressed to ${a.user}, not AAAAAAAAAAAAAAAA` });
    // An alert that is not a GCA (message code other than 0x1000), signed by the device.
    const signedByDevice = (messageCode: number, counter: bigint, body: Uint8Array) => {
      const pre = encodePreCommand({ cra: 'alert', originatorCounter: counter, originator: a.device, recipient: a.user, dateTime: null, messageCode }, body);
      return withSignature(pre, sign('sha256', signedRegion(pre), { key: a.esme.keys.ds.privateKey, dsaEncoding: 'ieee-p1363' }));
    };
    const notGca = signedByDevice(0x1001, 99n, Uint8Array.of(0));
    assert.deepEqual(await verifyLocalResponse(notGca, a.plain, a.f.keys, a.f.acb), { ok: false, reason: 'alert message code 0x1001 is not a GCA' });
    // A GCA signed by the device whose content is not an alert notification.
    const badBody = signedByDevice(0x1000, 100n, Uint8Array.of(1, 2, 3));
    const r = await verifyLocalResponse(badBody, a.plain, a.f.keys, a.f.acb);
    assert.deepEqual(r, { ok: false, reason: 'GBCS frame invalid at byte 0: not a GCA data-notification { alert code, date-time }' });
  });
});
