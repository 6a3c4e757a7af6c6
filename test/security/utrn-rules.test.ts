// The UTRN rules of gbcs.md section 5, with the layout and the check digit computed here by hand:
// what parseUtrn refuses, what buildUtrn refuses, and the 10-bit counter window.
import assert from 'node:assert/strict';
import { diffieHellman, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { ValidationError, type Eui } from '../../src/domain/index.ts';
import { buildUtrn, parseUtrn, PPTD_OFFSET, rebuildUtrnCounter, utrnAuthentic, utrnHi, UTRN_COUNTER_STEP } from '../../src/gbcs/utrn.ts';

const STEP = 1n << 32n;
const SUPPLIER = '90B3D51F30010000' as Eui;
const DEVICE = '00DB1234567890A0' as Eui;

// The Verhoeff tables (dihedral group D5), and the variant of section 5: k starts at 4.
const D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const INV = [1, 2, 6, 7, 5, 8, 3, 0, 9, 4];
function checkDigit(digits19: string): number {
  let c = 0;
  let k = 4;
  for (const ch of digits19) {
    c = D[c]![P[k]![Number(ch)]!]!;
    k = (k + 1) % 8;
  }
  return INV[c]!;
}
/** A 20-digit UTRN for a 64-bit PTUT, its check digit by hand. */
const utrnOf = (ptut: bigint) => {
  const pptd = (ptut + 7394156990786306048n).toString().padStart(19, '0');
  return pptd + String(checkDigit(pptd));
};
// Each refusal names the input (the problem+json field) and says what is wrong with it.
const MESSAGE: Record<string, [field: string, message: RegExp]> = {
  'utrn-format': ['utrn', /^a UTRN is 20 digits$/],
  'utrn-check-digit': ['utrn', /^the UTRN check digit does not match: a digit was mistyped$/],
  'utrn-range': ['utrn', /^the UTRN (is out of range|top bits are not zero)$/],
  'utrn-class': ['utrn', /^the UTRN value class 11 is not defined$/],
  'utrn-counter': ['counter', /multiple of 2\^32/],
  'utrn-value': ['value', /^a UTRN value is a whole number from 0 to 8191, got /],
};
const refused = (rule: string, message?: RegExp) => (e: unknown) => {
  if (!(e instanceof ValidationError) || e.rule !== rule) return false;
  const [field, text] = MESSAGE[rule]!;
  assert.equal(e.field, field, `${rule}: field`);
  assert.match(e.message, message ?? text, `${rule}: message`);
  return true;
};

describe('UTRN layout and parsing by the rules of section 5', () => {
  it('the hand-made check digit reproduces the published UTRNs', () => {
    let n = 0;
    for (const u of ['73946144332040217315', '73948959061972833313', '73947252416745201637']) {
      assert.equal(checkDigit(u.slice(0, 19)), Number(u[19]), u);
      n++;
    }
    assert.equal(n, 3);
    assert.equal(PPTD_OFFSET, 7394156990786306048n);
    assert.equal(UTRN_COUNTER_STEP, STEP);
  });

  it('packs hi as 7 zero bits, 10 counter bits, 2 class bits and 13 value bits', () => {
    assert.equal(utrnHi(3n * STEP, 10, 'pounds'), (3 << 15) | (1 << 13) | 10);
    assert.equal(utrnHi(4n * STEP, 1234, 'pennies'), (4 << 15) | 1234);
    assert.equal(utrnHi(1024n * STEP + 5n * STEP, 8191, 'binary'), (5 << 15) | (2 << 13) | 8191, 'only the low 10 bits of the counter travel');
    assert.equal(utrnHi(1023n * STEP, 0, 'pounds'), (1023 << 15) | (1 << 13));
    assert.ok(utrnHi(1023n * STEP, 8191, 'binary') < 2 ** 25, 'the top 7 bits stay zero');
  });

  it('reads back what it packs, ignoring spaces and dashes', () => {
    const hi = (7 << 15) | (1 << 13) | 250;
    const u = utrnOf((BigInt(hi) << 32n) | 0xdeadbeefn);
    const p = parseUtrn(`${u.slice(0, 4)} ${u.slice(4, 8)}-${u.slice(8)}`);
    assert.deepEqual(p, { counterLow10: 7, valueClass: 'pounds', value: 250, hi, lo: 0xdeadbeef });
    assert.deepEqual(parseUtrn(utrnOf(BigInt((2 << 13) | 3) << 32n)), { counterLow10: 0, valueClass: 'binary', value: 3, hi: (2 << 13) | 3, lo: 0 });
    assert.equal(parseUtrn(utrnOf(BigInt(1023 << 15) << 32n)).counterLow10, 1023);
    assert.equal(parseUtrn(utrnOf(BigInt(8191) << 32n)).valueClass, 'pennies');
  });

  it('refuses a UTRN that is not 20 digits, a mistyped digit, out-of-range top bits and class 11', () => {
    const good = utrnOf(BigInt((3 << 15) | (1 << 13) | 10) << 32n);
    for (const bad of [good.slice(0, 19), `${good}1`, `${good.slice(0, 19)}x`, '']) assert.throws(() => parseUtrn(bad), refused('utrn-format'), bad);
    const typo = good.slice(0, 5) + String((Number(good[5]) + 1) % 10) + good.slice(6);
    assert.throws(() => parseUtrn(typo), refused('utrn-check-digit'));
    assert.throws(() => parseUtrn(`${good.slice(0, 19)}${(Number(good[19]) + 1) % 10}`), refused('utrn-check-digit'));
    assert.throws(() => parseUtrn(utrnOf(1n << 57n)), refused('utrn-range', /top bits are not zero/), 'a top bit set');
    assert.throws(() => parseUtrn(utrnOf(BigInt(1 << 25) << 32n)), refused('utrn-range', /top bits are not zero/), 'the lowest of the 7 top bits');
    assert.doesNotThrow(() => parseUtrn(utrnOf(BigInt((1 << 25) - 1 - (1 << 14)) << 32n)), 'the highest hi with class 10 parses');
    assert.throws(() => parseUtrn(utrnOf(BigInt(3 << 13) << 32n)), refused('utrn-class'));
    // Below the PPTD offset there is no PTUT: 19 digits whose value is less than the offset.
    const low = '1000000000000000000';
    assert.throws(() => parseUtrn(low + String(checkDigit(low))), refused('utrn-range', /^the UTRN is out of range$/));
    const belowByOne = '7394156990786306047';
    assert.throws(() => parseUtrn(belowByOne + String(checkDigit(belowByOne))), refused('utrn-range', /^the UTRN is out of range$/));
    // The offset itself is PTUT 0: class pennies, value 0, counter bits 0, and it parses.
    assert.deepEqual(parseUtrn(utrnOf(0n)), { counterLow10: 0, valueClass: 'pennies', value: 0, hi: 0, lo: 0 });
    // The largest 19 digits give a PTUT below 2^64 (so a PTUT of 2^64 or more cannot be typed) whose
    // top bits are set.
    const high = '9999999999999999999';
    assert.ok(9999999999999999999n - 7394156990786306048n < 1n << 64n);
    assert.throws(() => parseUtrn(high + String(checkDigit(high))), refused('utrn-range', /top bits are not zero/));
  });
});

describe('UTRN building and the device side', () => {
  const supplierPp = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const device = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const z = diffieHellman({ privateKey: supplierPp.privateKey, publicKey: device.publicKey });
  const fields = { supplier: SUPPLIER, device: DEVICE, counter: 9n * STEP, value: 20, valueClass: 'pounds' as const };

  it('refuses a counter that is not a multiple of 2^32 within 64 bits, and a value outside 0..8191', () => {
    for (const counter of [1n, STEP + 1n, -STEP, 1n << 64n]) assert.throws(() => buildUtrn(z, { ...fields, counter }), refused('utrn-counter'), String(counter));
    assert.doesNotThrow(() => buildUtrn(z, { ...fields, counter: 0n }));
    assert.doesNotThrow(() => buildUtrn(z, { ...fields, counter: (1n << 64n) - STEP }));
    for (const value of [-1, 8192, 1.5, Number.NaN]) assert.throws(() => buildUtrn(z, { ...fields, value }), refused('utrn-value', new RegExp(`got ${value}$`)), String(value));
    assert.doesNotThrow(() => buildUtrn(z, { ...fields, value: 0 }));
    assert.doesNotThrow(() => buildUtrn(z, { ...fields, value: 8191 }));
  });

  it('builds 20 digits with a good check digit, authentic only for its supplier, device, counter and value', () => {
    const u = buildUtrn(z, fields);
    assert.match(u, /^\d{20}$/);
    assert.equal(checkDigit(u.slice(0, 19)), Number(u[19]));
    const p = parseUtrn(u);
    assert.deepEqual([p.counterLow10, p.valueClass, p.value], [9, 'pounds', 20]);
    assert.equal(utrnAuthentic(z, p, SUPPLIER, DEVICE, 9n * STEP), true);
    assert.equal(utrnAuthentic(z, p, SUPPLIER, DEVICE, 10n * STEP), false);
    assert.equal(utrnAuthentic(z, p, SUPPLIER, '00DB1234567890A1' as Eui, 9n * STEP), false);
    assert.equal(utrnAuthentic(z, p, '90B3D51F30010001' as Eui, DEVICE, 9n * STEP), false);
    // The value and class are under the MAC through hi: another value or class is not authentic.
    assert.equal(utrnAuthentic(z, { ...p, value: 21, hi: p.hi ^ 0b11 }, SUPPLIER, DEVICE, 9n * STEP), false);
    assert.equal(utrnAuthentic(z, { ...p, valueClass: 'pennies', hi: p.hi & ~(1 << 13) }, SUPPLIER, DEVICE, 9n * STEP), false);
    const other = diffieHellman({ privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, publicKey: device.publicKey });
    assert.equal(utrnAuthentic(other, p, SUPPLIER, DEVICE, 9n * STEP), false);
  });

  it('rebuilds the full counter within 511 steps below and 512 above the reference', () => {
    const ref = 2000n * STEP;
    const low10 = (steps: bigint) => Number(steps & 0x3ffn);
    assert.equal(rebuildUtrnCounter(low10(2000n), ref), 2000n * STEP, 'the reference itself');
    assert.equal(rebuildUtrnCounter(low10(2001n), ref), 2001n * STEP);
    assert.equal(rebuildUtrnCounter(low10(2000n - 511n), ref), (2000n - 511n) * STEP, 'the lowest in the window');
    assert.equal(rebuildUtrnCounter(low10(2000n + 512n), ref), (2000n + 512n) * STEP, 'the highest in the window');
    assert.equal(rebuildUtrnCounter(low10(2000n - 512n), ref), (2000n + 512n) * STEP, 'one below the window wraps to the top');
    // Near zero the window starts at zero.
    assert.equal(rebuildUtrnCounter(0, 3n * STEP), 0n);
    assert.equal(rebuildUtrnCounter(1023, 3n * STEP), 1023n * STEP);
    assert.equal(rebuildUtrnCounter(5, 0n), 5n * STEP);
    assert.equal(rebuildUtrnCounter(low10(511n), 0n), 511n * STEP);
  });
});
