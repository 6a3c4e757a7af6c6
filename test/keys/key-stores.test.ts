import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Eui } from '../../src/domain/eui.ts';
import { buildUseCaseFrame } from '../../src/gbcs/build-use-case.ts';
import { decodeFrame } from '../../src/gbcs/decode-frame.ts';
import { generateUtrn } from '../../src/gbcs/generate-utrn.ts';
import { KeyNotFoundError } from '../../src/gbcs/key-store.ts';
import { verifyRaw } from '../../src/gbcs/signature.ts';
import { verifyFrame } from '../../src/gbcs/verify-frame.ts';
import { CompositeKeyStore } from '../../src/keys/composite-key-store.ts';
import { FileKeyStore } from '../../src/keys/file-key-store.ts';
import { JsonKeyStore } from '../../src/keys/json-key-store.ts';
import { Pkcs11KeyStore } from '../../src/keys/pkcs11-key-store.ts';
import { DCCBOXED, KEYSTORE_DIR, SKIP_DCCBOXED } from '../support/reference.ts';
import { freshToken, SKIP_SOFTHSM, SOFTHSM_LIBRARY } from '../support/softhsm.ts';

const SUPPLIER = '90B3D51F30010000' as Eui;
const ACB = '90B3D51F30000002' as Eui;
const ESME = '00DB1234567890A0' as Eui;
const keyFile = (name: string) => createPrivateKey(readFileSync(join(KEYSTORE_DIR, name)));

describe('keystore.json (DCC Boxed)', { skip: SKIP_DCCBOXED }, () => {
  it('reads the Z1 set: same supplier keys as the directory, and the known-answer UTRN', async () => {
    const json = new JsonKeyStore(join(DCCBOXED, 'keystore.json'));
    const files = new FileKeyStore(KEYSTORE_DIR);
    const a = (await json.publicKey(SUPPLIER, 'ds'))!.export({ format: 'jwk' });
    const b = (await files.publicKey(SUPPLIER, 'ds'))!.export({ format: 'jwk' });
    assert.deepEqual(a, b);
    const keys = new CompositeKeyStore([json, files]);
    assert.equal(await generateUtrn(keys, { supplier: SUPPLIER, device: ESME, counter: 3n << 32n, value: 10, valueClass: 'pounds' }), '73946144332040217315');
  });

  it('refuses a file that is not JSON, naming it', () => {
    assert.throws(() => new JsonKeyStore(join(KEYSTORE_DIR, '90b3d51f30010000-ds.pem')), /cannot read keystore .*90b3d51f30010000-ds\.pem/);
  });
});

describe('PKCS#11 keystore on SoftHSM2', { skip: SKIP_SOFTHSM || SKIP_DCCBOXED }, () => {
  let hsm: Pkcs11KeyStore;
  let token: { cleanup(): void };
  before(() => {
    token = freshToken('meterops-test', '4711-4711');
    hsm = Pkcs11KeyStore.open({ library: SOFTHSM_LIBRARY!, tokenLabel: 'meterops-test', pin: '4711-4711' });
    hsm.importPrivateKey(SUPPLIER, 'ds', keyFile('90b3d51f30010000-ds.key'));
    hsm.importPrivateKey(SUPPLIER, 'pp-ka', keyFile('90b3d51f30010000-pp-ka.key'));
    hsm.importPrivateKey(ACB, 'ka', keyFile('90b3d51f30000002-ka.key'));
  });
  after(() => {
    hsm?.close();
    token?.cleanup();
  });

  it('signs and MACs a critical command with keys that stay in the token', async () => {
    const certs = new FileKeyStore(KEYSTORE_DIR);
    const keys = new CompositeKeyStore([hsm, certs]);
    const frame = decodeFrame(await buildUseCaseFrame(keys, { useCase: 'ECS42', originator: SUPPLIER, device: ESME, counter: 31337n, acb: ACB }));
    assert.deepEqual(await verifyFrame(frame, certs, ACB), { signature: { status: 'valid' }, mac: { status: 'valid' } });
  });

  it('derives the UTRN known answer through the token', async () => {
    const keys = new CompositeKeyStore([hsm, new FileKeyStore(KEYSTORE_DIR)]);
    assert.equal(await generateUtrn(keys, { supplier: SUPPLIER, device: ESME, counter: 5n << 32n, value: 10, valueClass: 'pounds' }), '73948959061972833313');
  });

  it('generates a key inside the token whose signatures verify, and refuses a key it does not hold', async () => {
    const eui = 'CC00000000000001' as Eui;
    const pub = hsm.generateKeyPair(eui, 'ds');
    const data = Buffer.from('meterops');
    assert.equal(verifyRaw(pub, data, await hsm.sign(eui, 'ds', data)), true);
    await assert.rejects(hsm.sign('CC00000000000002' as Eui, 'ds', data), KeyNotFoundError);
    assert.throws(() => hsm.importPrivateKey(SUPPLIER, 'ds', keyFile('90b3d51f30010000-ds.key')), /already holds/);
  });

  it('refuses a wrong token label and a wrong PIN', () => {
    assert.throws(() => Pkcs11KeyStore.open({ library: SOFTHSM_LIBRARY!, tokenLabel: 'no-such-token', pin: 'x' }), /no PKCS#11 token labelled "no-such-token"/);
    hsm.close();
    assert.throws(
      () => Pkcs11KeyStore.open({ library: SOFTHSM_LIBRARY!, tokenLabel: 'meterops-test', pin: 'wrong-pin' }),
      /PKCS#11 login to "meterops-test" failed: .*CKR_PIN_INCORRECT/,
    );
    hsm = Pkcs11KeyStore.open({ library: SOFTHSM_LIBRARY!, tokenLabel: 'meterops-test', pin: '4711-4711' });
  });
});
