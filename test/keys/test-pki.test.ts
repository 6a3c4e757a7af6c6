import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Eui } from '../../src/domain/eui.ts';
import { buildUseCaseFrame } from '../../src/gbcs/build-use-case.ts';
import { certificateEui, certificateRole } from '../../src/gbcs/certificate-role.ts';
import { decodeFrame } from '../../src/gbcs/decode-frame.ts';
import { generateUtrn } from '../../src/gbcs/generate-utrn.ts';
import { parseUtrn, utrnAuthentic } from '../../src/gbcs/utrn.ts';
import { verifyFrame } from '../../src/gbcs/verify-frame.ts';
import { checkChain } from '../../src/keys/certificate-check.ts';
import { FileKeyStore } from '../../src/keys/file-key-store.ts';
import { generateTestPki, writeTestPki, type TestPki } from '../../src/keys/test-pki.ts';

const SUPPLIER = 'AA00000000010000' as Eui;
const NO = 'AA00000000020000' as Eui;
const ACB = 'AA00000000000002' as Eui;
const ESME = 'BB00000000000001' as Eui;
const PASS = 'correct horse battery';

describe("meterops' own test PKI", () => {
  let pki: TestPki;
  const dir = mkdtempSync(join(tmpdir(), 'meterops-pki-'));
  before(async () => {
    pki = await generateTestPki({
      organisations: [
        { eui: SUPPLIER, role: 0x02, name: 'TEST SUPPLIER', usages: ['ds', 'ka', 'pp-ka'] },
        { eui: NO, role: 0x03, name: 'TEST NO', usages: ['ds', 'ka'] },
        { eui: ACB, role: 0x04, name: 'TEST ACB', usages: ['ds', 'ka'] },
      ],
      devices: [{ eui: ESME, usages: ['ds', 'ka'] }],
      notBefore: new Date('2024-01-01T00:00:00Z'),
      notAfter: new Date('2030-01-01T00:00:00Z'),
    });
    writeTestPki(pki, dir, PASS);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('puts the role in OU and the EUI in x500UniqueIdentifier, and a device EUI in hardwareModuleName', () => {
    const supplierDs = pki.keys.find((k) => k.eui === SUPPLIER && k.usage === 'ds')!.certificate;
    assert.equal(certificateRole(supplierDs), 0x02);
    assert.equal(certificateEui(supplierDs), SUPPLIER);
    const esmeKa = pki.keys.find((k) => k.eui === ESME && k.usage === 'ka')!.certificate;
    assert.equal(certificateRole(esmeKa), undefined);
    assert.equal(certificateEui(esmeKa), ESME);
    assert.ok(!esmeKa.subject, 'a device certificate has an empty subject');
  });

  it('chains leaf -> issuing CA -> root, checked at a given time', () => {
    const leaf = pki.keys[0]!.certificate;
    assert.equal(checkChain([leaf, pki.issuingCa, pki.root], new Date('2026-06-01T00:00:00Z')), null);
    assert.deepEqual(checkChain([leaf, pki.issuingCa, pki.root], new Date('2031-01-01T00:00:00Z')), { index: 0, problems: ['expired'] });
    assert.deepEqual(checkChain([leaf, pki.issuingCa, pki.root], new Date('2023-01-01T00:00:00Z')), { index: 0, problems: ['not-yet-valid'] });
    assert.equal(checkChain([leaf, pki.root], new Date('2026-06-01T00:00:00Z'))?.problems.includes('issuer-mismatch'), true);
  });

  it('writes private keys encrypted, and the keystore opens them only with the passphrase', async () => {
    assert.match(readFileSync(join(dir, `${SUPPLIER.toLowerCase()}-ds.key`), 'utf8'), /BEGIN ENCRYPTED PRIVATE KEY/);
    await assert.rejects(new FileKeyStore(dir).sign(SUPPLIER, 'ds', Uint8Array.of(1)), /is encrypted: give the keystore passphrase/);
    await assert.rejects(new FileKeyStore(dir, 'wrong passphrase!').sign(SUPPLIER, 'ds', Uint8Array.of(1)), /wrong passphrase/);
  });

  it('builds and verifies signed, MACed commands and UTRNs with no DCC material', async () => {
    const keys = new FileKeyStore(dir, PASS);
    const frame = decodeFrame(await buildUseCaseFrame(keys, { useCase: 'ECS43', originator: SUPPLIER, device: ESME, counter: 10n, acb: ACB }));
    assert.deepEqual(await verifyFrame(frame, keys, ACB), { signature: { status: 'valid' }, mac: { status: 'valid' } });
    await assert.rejects(buildUseCaseFrame(keys, { useCase: 'ECS43', originator: NO, device: ESME, counter: 11n, acb: ACB }), /must be signed by a supplier/);

    const utrn = await generateUtrn(keys, { supplier: SUPPLIER, device: ESME, counter: 1n << 32n, value: 15, valueClass: 'pounds' });
    const z = await keys.agree(ESME, 'ka', (await keys.publicKey(SUPPLIER, 'pp-ka'))!);
    assert.equal(utrnAuthentic(z, parseUtrn(utrn), SUPPLIER, ESME, 1n << 32n), true);
  });
});
