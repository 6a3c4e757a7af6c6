import assert from 'node:assert/strict';
import { diffieHellman, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { ValidationError, type Eui } from '../../src/domain/index.ts';
import { buildConfigCode, checkConfigCode, CONFIG_ACTIONS } from '../../src/gbcs/config-code.ts';
import { buildUtrn, parseUtrn } from '../../src/gbcs/utrn.ts';

const SUPPLIER = '90B3D51F30010000' as Eui;
const METER = 'AABBCCDDEEFF0022' as Eui;
const OTHER = 'AABBCCDDEEFF0023' as Eui;
const STEP = 1n << 32n;

describe('configuration codes (meterops extension)', () => {
  const pp = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const meter = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const zSupplier = diffieHellman({ privateKey: pp.privateKey, publicKey: meter.publicKey });
  const zMeter = diffieHellman({ privateKey: meter.privateKey, publicKey: pp.publicKey });

  it('is a 20-digit code of value class 10 whose value is the action', () => {
    for (const action of Object.keys(CONFIG_ACTIONS) as Array<keyof typeof CONFIG_ACTIONS>) {
      const code = buildConfigCode(zSupplier, { supplier: SUPPLIER, device: METER, counter: 3n * STEP, action });
      assert.match(code, /^\d{20}$/);
      const p = parseUtrn(code);
      assert.equal(p.valueClass, 'binary');
      assert.equal(p.value, CONFIG_ACTIONS[action]);
      assert.deepEqual(checkConfigCode(zMeter, code, SUPPLIER, METER, 2n * STEP), { action, counter: 3n * STEP });
    }
  });

  it('works only on its target meter', () => {
    const code = buildConfigCode(zSupplier, { supplier: SUPPLIER, device: METER, counter: 4n * STEP, action: 'enableSupply' });
    assert.throws(
      () => checkConfigCode(zMeter, code, SUPPLIER, OTHER, 3n * STEP),
      (e: unknown) => e instanceof ValidationError && e.rule === 'config-code-authentic',
    );
  });

  it('is not a top-up, and a top-up is not a configuration code', () => {
    const utrn = buildUtrn(zSupplier, { supplier: SUPPLIER, device: METER, counter: 5n * STEP, value: 2, valueClass: 'pounds' });
    assert.throws(
      () => checkConfigCode(zMeter, utrn, SUPPLIER, METER, 4n * STEP),
      (e: unknown) => e instanceof ValidationError && e.rule === 'config-code-class',
    );
  });

  it('refuses an undefined action, and any mistyped digit', () => {
    const bogus = buildUtrn(zSupplier, { supplier: SUPPLIER, device: METER, counter: 6n * STEP, value: 99, valueClass: 'binary' });
    assert.throws(
      () => checkConfigCode(zMeter, bogus, SUPPLIER, METER, 5n * STEP),
      (e: unknown) => e instanceof ValidationError && e.rule === 'config-action',
    );
    const code = buildConfigCode(zSupplier, { supplier: SUPPLIER, device: METER, counter: 7n * STEP, action: 'switchToCreditMode' });
    for (let i = 0; i < 20; i++) {
      const changed = code.slice(0, i) + String((Number(code[i]) + 3) % 10) + code.slice(i + 1);
      assert.throws(() => checkConfigCode(zMeter, changed, SUPPLIER, METER, 6n * STEP), ValidationError, `digit ${i}`);
    }
  });
});
