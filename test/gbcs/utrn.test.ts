import assert from 'node:assert/strict';
import { createECDH, createPublicKey, diffieHellman, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ValidationError, type Eui } from '../../src/domain/index.ts';
import { generateUtrn } from '../../src/gbcs/generate-utrn.ts';
import { buildUtrn, parseUtrn, rebuildUtrnCounter, utrnAuthentic } from '../../src/gbcs/utrn.ts';
import { utrnCheckDigit } from '../../src/gbcs/verhoeff.ts';
import { FileKeyStore } from '../../src/keys/file-key-store.ts';
import { KEYSTORE_DIR, SKIP_DCCBOXED } from '../support/reference.ts';

const SUPPLIER = '90B3D51F30010000' as Eui;
const ESME = '00DB1234567890A0' as Eui;
const STEP = 1n << 32n;

describe('UTRN known answers (gbcs.md section 5, DCC Boxed keys)', { skip: SKIP_DCCBOXED }, () => {
  it('reproduces the three published UTRNs', async () => {
    const keys = new FileKeyStore(KEYSTORE_DIR);
    const make = (n: bigint, value: number, valueClass: 'pounds' | 'pennies') => generateUtrn(keys, { supplier: SUPPLIER, device: ESME, counter: n * STEP, value, valueClass });
    assert.equal(await make(3n, 10, 'pounds'), '73946144332040217315');
    assert.equal(await make(5n, 10, 'pounds'), '73948959061972833313');
    assert.equal(await make(4n, 1234, 'pennies'), '73947252416745201637');
  });

  it('verifies on the device side with the device KA private key', async () => {
    const keys = new FileKeyStore(KEYSTORE_DIR);
    const z = await keys.agree(ESME, 'ka', (await keys.publicKey(SUPPLIER, 'pp-ka'))!);
    const p = parseUtrn('73946144332040217315');
    assert.deepEqual([p.value, p.valueClass, p.counterLow10], [10, 'pounds', 3]);
    const counter = rebuildUtrnCounter(p.counterLow10, 2n * STEP);
    assert.equal(counter, 3n * STEP);
    assert.equal(utrnAuthentic(z, p, SUPPLIER, ESME, counter), true);
    assert.equal(utrnAuthentic(z, p, SUPPLIER, '00DB1234567890A1' as Eui, counter), false);
  });
});

describe('UTRN with generated keys', () => {
  const supplierPp = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const device = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const zSupplier = diffieHellman({ privateKey: supplierPp.privateKey, publicKey: device.publicKey });
  const zDevice = diffieHellman({ privateKey: device.privateKey, publicKey: supplierPp.publicKey });
  const DEV = 'AABBCCDDEEFF0011' as Eui;

  it('agrees on both sides and round-trips value, class and counter', () => {
    assert.deepEqual(zSupplier, zDevice);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8191 }), fc.constantFrom('pounds', 'pennies' as const), fc.bigInt({ min: 0n, max: 5000n }), (value, valueClass, n) => {
        const utrn = buildUtrn(zSupplier, { supplier: SUPPLIER, device: DEV, counter: n * STEP, value, valueClass });
        assert.match(utrn, /^\d{20}$/);
        const p = parseUtrn(utrn);
        assert.deepEqual([p.value, p.valueClass], [value, valueClass]);
        const counter = rebuildUtrnCounter(p.counterLow10, n * STEP);
        assert.equal(counter, n * STEP);
        assert.equal(utrnAuthentic(zDevice, p, SUPPLIER, DEV, counter), true);
      }),
      { numRuns: 200 },
    );
  });

  it('fails its check digit or its MAC when any single digit is changed', () => {
    const utrn = buildUtrn(zSupplier, { supplier: SUPPLIER, device: DEV, counter: 7n * STEP, value: 20, valueClass: 'pounds' });
    for (let i = 0; i < 20; i++) {
      for (let d = 1; d <= 9; d++) {
        const changed = utrn.slice(0, i) + String((Number(utrn[i]) + d) % 10) + utrn.slice(i + 1);
        let accepted = false;
        try {
          const p = parseUtrn(changed);
          accepted = utrnAuthentic(zDevice, p, SUPPLIER, DEV, rebuildUtrnCounter(p.counterLow10, 7n * STEP));
        } catch (e) {
          assert.ok(e instanceof ValidationError);
        }
        assert.equal(accepted, false, `digit ${i} changed by ${d} was accepted`);
      }
    }
  });

  it('refuses bad inputs clearly', () => {
    const base = { supplier: SUPPLIER, device: DEV, value: 1, valueClass: 'pounds' as const };
    assert.throws(
      () => buildUtrn(zSupplier, { ...base, counter: 5n }),
      (e: unknown) => e instanceof ValidationError && e.field === 'counter',
    );
    assert.throws(
      () => buildUtrn(zSupplier, { ...base, counter: STEP, value: 8192 }),
      (e: unknown) => e instanceof ValidationError && e.field === 'value',
    );
    assert.throws(
      () => parseUtrn('1234'),
      (e: unknown) => e instanceof ValidationError && e.rule === 'utrn-format',
    );
  });

  it('rebuilds counters within the window around the reference', () => {
    assert.equal(rebuildUtrnCounter(0, 1023n * STEP), 1024n * STEP);
    assert.equal(rebuildUtrnCounter(1000, 1030n * STEP), 1000n * STEP);
    assert.equal(rebuildUtrnCounter(5, 0n), 5n * STEP);
  });

  it('uses the standard Verhoeff tables (variant start k=4, GBCS inverse)', () => {
    assert.equal(typeof utrnCheckDigit('7394614433204021731'), 'number');
    assert.equal(utrnCheckDigit('7394614433204021731'), 5);
    void createECDH;
    void createPublicKey;
  });
});
