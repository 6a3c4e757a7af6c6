// Frame verification against the GBCS rules (../shared/docs/gbcs.md sections 2-4), with the DCC
// Boxed keys: the MAC and the signature are recomputed here with node:crypto alone, from the
// published key files, then every verdict of verifyFrame is checked against tampered copies.
import assert from 'node:assert/strict';
import { createCipheriv, createHash, createPrivateKey, diffieHellman, verify as cryptoVerify, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { Eui } from '../../src/domain/eui.ts';
import { buildUseCaseFrame } from '../../src/gbcs/build-use-case.ts';
import { decodeFrame } from '../../src/gbcs/decode-frame.ts';
import { frameMac, HAN_ORIGINATED_COMMANDS, macEquals, macParties } from '../../src/gbcs/frame-mac.ts';
import type { GbcsFrame } from '../../src/gbcs/frame.ts';
import type { KeyStore } from '../../src/gbcs/key-store.ts';
import { macSecret } from '../../src/gbcs/mac-secret.ts';
import { DCC_BOXED_ACB, verifyFrame, verifyMac, verifySignature } from '../../src/gbcs/verify-frame.ts';
import { FileKeyStore } from '../../src/keys/file-key-store.ts';
import { KEYSTORE_DIR, SKIP_DCCBOXED } from '../support/reference.ts';

const SUPPLIER = '90B3D51F30010000' as Eui;
const ACB = '90B3D51F30000002' as Eui;
const ESME = '00DB1234567890A0' as Eui;
const COUNTER = 0x0000_0001_2345_6789n;

const keyFile = (name: string) => createPrivateKey(readFileSync(join(KEYSTORE_DIR, name)));
const certKey = (name: string) => new X509Certificate(readFileSync(join(KEYSTORE_DIR, name))).publicKey;
const u64 = (n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(n);
  return b;
};
const hex = (s: string) => Buffer.from(s, 'hex');

/** Section 4 and 3 by hand: KDF over Z and OtherInfo, then the 12-byte AES-128-GCM tag. */
function macByHand(z: Buffer, originator: string, mode: number, counter: bigint, recipient: string, apdu: Uint8Array): Buffer {
  const otherInfo = Buffer.concat([hex('60857406080300'), hex(originator), Buffer.of(0x09, mode), u64(counter), hex(recipient)]);
  const key = createHash('sha256')
    .update(Buffer.concat([hex('00000001'), z, otherInfo]))
    .digest()
    .subarray(0, 16);
  const gcm = createCipheriv('aes-128-gcm', key, Buffer.concat([hex(originator), Buffer.alloc(4)]));
  gcm.setAAD(Buffer.concat([hex('110000000000'), apdu]));
  gcm.final();
  return gcm.getAuthTag().subarray(0, 12);
}

/** A keystore that hides some private keys or certificates of another. */
function restricted(inner: KeyStore, opts: { noPrivate?: readonly Eui[]; noPublic?: readonly Eui[] }): KeyStore {
  return {
    publicKey: async (eui, u) => (opts.noPublic?.includes(eui) ? undefined : inner.publicKey(eui, u)),
    certificate: async (eui, u) => (opts.noPublic?.includes(eui) ? undefined : inner.certificate(eui, u)),
    hasPrivateKey: async (eui, u) => !opts.noPrivate?.includes(eui) && inner.hasPrivateKey(eui, u),
    sign: (eui, u, d) => inner.sign(eui, u, d),
    agree: (eui, u, peer) => inner.agree(eui, u, peer),
  };
}

/** A copy of the frame bytes with one byte flipped. */
const flipped = (bytes: Uint8Array, at: number) => {
  const b = Buffer.from(bytes);
  b[at]! ^= 0x01;
  return b;
};

describe('GBCS frame verification, recomputed from the DCC Boxed keys', { skip: SKIP_DCCBOXED }, () => {
  let keys: FileKeyStore;
  let bytes: Uint8Array;
  let frame: GbcsFrame;
  let z: Buffer;
  before(async () => {
    keys = new FileKeyStore(KEYSTORE_DIR);
    bytes = await buildUseCaseFrame(keys, { useCase: 'ECS42', originator: SUPPLIER, device: ESME, counter: COUNTER, acb: ACB });
    frame = decodeFrame(bytes);
    z = diffieHellman({ privateKey: keyFile('90b3d51f30000002-ka.key'), publicKey: certKey('00db1234567890a0-ka.pem') });
  });

  it('the ACB and the device derive the same Z, and meterops takes it from the ACB side', async () => {
    const fromDevice = diffieHellman({ privateKey: keyFile('00db1234567890a0-ka.key'), publicKey: certKey('90b3d51f30000002-ka.pem') });
    assert.deepEqual(z, fromDevice);
    assert.deepEqual(Buffer.from((await macSecret(frame.apdu, keys, ACB)) as Uint8Array), z);
    // Holding only the device's private key, the secret comes from the other side of the pair.
    const deviceSide = restricted(keys, { noPrivate: [ACB] });
    assert.deepEqual(Buffer.from((await macSecret(frame.apdu, deviceSide, ACB)) as Uint8Array), z);
    const neither = restricted(keys, { noPrivate: [ACB, ESME] });
    assert.match((await macSecret(frame.apdu, neither, ACB)) as string, /^no KA private key for 90B3D51F30000002 or 00DB1234567890A0 with the other's certificate$/);
    // Without the device certificate the ACB side cannot agree, but the device side still can...
    assert.deepEqual(Buffer.from((await macSecret(frame.apdu, restricted(keys, { noPublic: [ESME] }), ACB)) as Uint8Array), z);
    // ...unless its private key is missing too.
    assert.equal(typeof (await macSecret(frame.apdu, restricted(keys, { noPublic: [ESME], noPrivate: [ESME] }), ACB)), 'string');
  });

  it('MACs a command as section 3 says: KDF mode 01, IV originator and four zeros, AAD 11 00.. and the APDU', () => {
    assert.equal(frame.apdu.cra, 'command');
    assert.equal(frame.apdu.originatorCounter, COUNTER);
    const expected = macByHand(z, SUPPLIER, 0x01, COUNTER, ESME, frame.apdu.bytes);
    assert.deepEqual(Buffer.from(frame.ciphering!.mac), expected);
    assert.deepEqual(frameMac(z, frame.apdu, frame.apdu.bytes), expected);
    // The mode byte is the CRA flag: the same APDU read as a response or an alert has another key.
    assert.deepEqual(frameMac(z, { ...frame.apdu, cra: 'response' }, frame.apdu.bytes), macByHand(z, SUPPLIER, 0x02, COUNTER, ESME, frame.apdu.bytes));
    assert.deepEqual(frameMac(z, { ...frame.apdu, cra: 'alert' }, frame.apdu.bytes), macByHand(z, SUPPLIER, 0x03, COUNTER, ESME, frame.apdu.bytes));
  });

  it('compares MACs in full and only at equal length', () => {
    const m = Buffer.from(frame.ciphering!.mac);
    assert.equal(macEquals(m, Buffer.from(m)), true);
    assert.equal(macEquals(m, flipped(m, 11)), false);
    assert.equal(macEquals(m, flipped(m, 0)), false);
    assert.equal(macEquals(m, m.subarray(0, 11)), false);
    assert.equal(macEquals(new Uint8Array(0), new Uint8Array(0)), true);
  });

  it('checks the Supplier signature over the APDU from 09 to the end of the content', () => {
    const signedByHand = frame.apdu.bytes.subarray(1, frame.apdu.bytes.length - 65);
    assert.deepEqual(Buffer.from(frame.apdu.signedBytes), Buffer.from(signedByHand));
    assert.equal(frame.apdu.bytes[frame.apdu.bytes.length - 65], 0x40, 'signature length 64');
    assert.equal(cryptoVerify('sha256', signedByHand, { key: certKey('90b3d51f30010000-ds.pem') as KeyObject, dsaEncoding: 'ieee-p1363' }, frame.apdu.signature!), true);
  });

  it('gives valid, valid for the frame as built', async () => {
    assert.deepEqual(await verifyFrame(frame, keys, ACB), { signature: { status: 'valid' }, mac: { status: 'valid' } });
    assert.equal(DCC_BOXED_ACB, ACB, 'the default ACB is the DCC Boxed one');
    assert.deepEqual(await verifyFrame(frame, keys), { signature: { status: 'valid' }, mac: { status: 'valid' } });
  });

  it('gives invalid for a flipped bit in the signed region, the signature or the MAC, and names each', async () => {
    const apduStart = bytes.length - 12 - frame.apdu.bytes.length;
    // In the content: the signature and the MAC both fail.
    const inContent = decodeFrame(flipped(bytes, apduStart + 40));
    assert.deepEqual(await verifyFrame(inContent, keys, ACB), { signature: { status: 'invalid' }, mac: { status: 'invalid' } });
    // In the signature: the MAC covers it too.
    const inSignature = decodeFrame(flipped(bytes, bytes.length - 12 - 5));
    assert.deepEqual(await verifyFrame(inSignature, keys, ACB), { signature: { status: 'invalid' }, mac: { status: 'invalid' } });
    // In the MAC only.
    const inMac = decodeFrame(flipped(bytes, bytes.length - 1));
    assert.deepEqual(await verifyFrame(inMac, keys, ACB), { signature: { status: 'valid' }, mac: { status: 'invalid' } });
    // A MAC checked against another ACB's pair is not valid.
    assert.equal((await verifyMac(frame, keys, '90B3D51F30000007' as Eui)).status, 'invalid');
  });

  it('says what it could not check, and why', async () => {
    const noSupplierCert = restricted(keys, { noPublic: [SUPPLIER] });
    assert.deepEqual(await verifySignature(frame, noSupplierCert), { status: 'unverifiable', reason: 'no DS certificate for originator 90B3D51F30010000' });
    const noKa = restricted(keys, { noPrivate: [ACB, ESME] });
    const mac = await verifyMac(frame, noKa, ACB);
    assert.equal(mac.status, 'unverifiable');
    assert.match(mac.status === 'unverifiable' ? mac.reason : '', /no KA private key/);
    // The bare General-Signing APDU (no DD wrapper) has no MAC, and an unsigned command no signature.
    const bare = decodeFrame(frame.apdu.bytes);
    assert.deepEqual(await verifyFrame(bare, keys, ACB), { signature: { status: 'valid' }, mac: { status: 'not-present' } });
    const unsigned = decodeFrame(await buildUseCaseFrame(keys, { useCase: 'ECS45', originator: SUPPLIER, device: ESME, counter: COUNTER + 1n, acb: ACB }));
    assert.deepEqual(await verifyFrame(unsigned, keys, ACB), { signature: { status: 'not-present' }, mac: { status: 'valid' } });
  });
});

describe('which key pair keys a MAC (gbcs.md section 3)', () => {
  const base = { originator: 'AAAAAAAAAAAAAAAA' as Eui, recipient: 'BBBBBBBBBBBBBBBB' as Eui };
  it('commands: the ACB and the recipient device; PPMID top-ups (PCS01 0x009B, PCS02 0x0090) and responses and alerts: originator and recipient', () => {
    assert.deepEqual(macParties({ ...base, cra: 'command', messageCode: 0x004f }, ACB), [ACB, base.recipient]);
    assert.deepEqual(macParties({ ...base, cra: 'command', messageCode: 0x009b }, ACB), [base.originator, base.recipient]);
    assert.deepEqual(macParties({ ...base, cra: 'command', messageCode: 0x0090 }, ACB), [base.originator, base.recipient]);
    assert.deepEqual(macParties({ ...base, cra: 'response', messageCode: 0x004f }, ACB), [base.originator, base.recipient]);
    assert.deepEqual(macParties({ ...base, cra: 'alert', messageCode: 0x1000 }, ACB), [base.originator, base.recipient]);
    assert.deepEqual([...HAN_ORIGINATED_COMMANDS].sort(), [0x0090, 0x009b]);
  });
});
