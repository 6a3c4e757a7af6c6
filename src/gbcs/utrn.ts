import type { Eui } from '../domain/eui.ts';
import { ValidationError } from '../domain/errors.ts';
import { gcmTag } from './gcm-tag.ts';
import { deriveKey, KDF_MODE } from './kdf.ts';
import { utrnCheckDigit } from './verhoeff.ts';

/** What a UTRN carries besides its MAC: value 0..8191 in pence or pounds (class 00 / 01), or a binary action (class 10). */
export type UtrnClass = 'pennies' | 'pounds' | 'binary';
const CLASS_BITS: Record<UtrnClass, number> = { pennies: 0b00, pounds: 0b01, binary: 0b10 };
const CLASS_OF = ['pennies', 'pounds', 'binary'] as const;

export const PPTD_OFFSET = 7394156990786306048n;
export { UTRN_COUNTER_STEP } from '../domain/prepayment.ts';
const AAD_PREFIX = Uint8Array.of(0x11, 0x00, 0x00, 0x00, 0x00, 0x00);

export interface UtrnFields {
  readonly supplier: Eui;
  readonly device: Eui;
  /** Full 64-bit counter; its low 32 bits must be zero. */
  readonly counter: bigint;
  readonly value: number;
  readonly valueClass: UtrnClass;
}

export function utrnHi(counter: bigint, value: number, valueClass: UtrnClass): number {
  const c10 = Number((counter >> 32n) & 0x3ffn);
  return ((c10 << 15) | (CLASS_BITS[valueClass] << 13) | value) >>> 0;
}

function checkFields(f: UtrnFields): void {
  if (f.counter < 0n || f.counter >= 1n << 64n || (f.counter & 0xffffffffn) !== 0n) {
    throw new ValidationError('counter', 'utrn-counter', 'a UTRN counter is a 64-bit value whose low 32 bits are zero (a multiple of 2^32)');
  }
  if (!Number.isInteger(f.value) || f.value < 0 || f.value > 8191) {
    throw new ValidationError('value', 'utrn-value', `a UTRN value is a whole number from 0 to 8191, got ${f.value}`);
  }
}

/** The 4-byte `lo`: the LAST 4 bytes of the full GCM tag, keyed from Z = ECDH(Supplier PP-KA, device KA). */
export function utrnLo(z: Uint8Array, f: UtrnFields, hi: number): number {
  const key = deriveKey(z, f.supplier, KDF_MODE.command, f.counter, f.device);
  // AAD = 11 00 00 00 00 00 | supplier | device | 01 | counter | hi, built in one buffer.
  const aad = Buffer.alloc(35);
  AAD_PREFIX.forEach((b, i) => (aad[i] = b));
  aad.write(f.supplier, 6, 8, 'hex');
  aad.write(f.device, 14, 8, 'hex');
  aad[22] = 0x01;
  aad.writeBigUInt64BE(f.counter, 23);
  aad.writeUInt32BE(hi, 31);
  const iv = Buffer.alloc(12);
  iv.write(f.supplier, 0, 8, 'hex');
  return gcmTag(key, iv, aad).readUInt32BE(12);
}

/** Builds the 20-digit UTRN from the ECDH secret Z (so the caller decides where the private key lives). */
export function buildUtrn(z: Uint8Array, f: UtrnFields): string {
  checkFields(f);
  const hi = utrnHi(f.counter, f.value, f.valueClass);
  const ptut = (BigInt(hi) << 32n) | BigInt(utrnLo(z, f, hi));
  const pptd = (ptut + PPTD_OFFSET).toString();
  return pptd + String(utrnCheckDigit(pptd));
}

export interface ParsedUtrn {
  readonly counterLow10: number;
  readonly valueClass: UtrnClass;
  readonly value: number;
  readonly hi: number;
  readonly lo: number;
}

/** Reads a typed UTRN: 20 digits with a valid check digit and a well-formed top word. */
export function parseUtrn(utrn: string): ParsedUtrn {
  const s = utrn.replace(/[\s-]/g, '');
  if (!/^\d{20}$/.test(s)) throw new ValidationError('utrn', 'utrn-format', 'a UTRN is 20 digits');
  const pptd = s.slice(0, 19);
  if (utrnCheckDigit(pptd) !== Number(s[19])) throw new ValidationError('utrn', 'utrn-check-digit', 'the UTRN check digit does not match: a digit was mistyped');
  const ptut = BigInt(pptd) - PPTD_OFFSET;
  if (ptut < 0n || ptut >= 1n << 64n) throw new ValidationError('utrn', 'utrn-range', 'the UTRN is out of range');
  const hi = Number(ptut >> 32n);
  const lo = Number(ptut & 0xffffffffn);
  if (hi >>> 25 !== 0) throw new ValidationError('utrn', 'utrn-range', 'the UTRN top bits are not zero');
  const cls = (hi >> 13) & 0b11;
  if (cls === 0b11) throw new ValidationError('utrn', 'utrn-class', 'the UTRN value class 11 is not defined');
  return { counterLow10: (hi >> 15) & 0x3ff, valueClass: CLASS_OF[cls]!, value: hi & 0x1fff, hi, lo };
}

/**
 * Rebuilds the full counter from the 10 bits a UTRN carries: the one counter step whose low 10
 * bits match, within 511 steps below and 512 above the device's reference (its highest accepted).
 */
export function rebuildUtrnCounter(counterLow10: number, reference: bigint): bigint {
  const refSteps = reference >> 32n;
  const base = refSteps - 511n < 0n ? 0n : refSteps - 511n;
  const delta = (BigInt(counterLow10) - (base & 0x3ffn) + 1024n) % 1024n;
  return (base + delta) << 32n;
}

/** Device side: is this UTRN authentic for this supplier and device, at this counter? */
export function utrnAuthentic(z: Uint8Array, parsed: ParsedUtrn, supplier: Eui, device: Eui, counter: bigint): boolean {
  return utrnLo(z, { supplier, device, counter, value: parsed.value, valueClass: parsed.valueClass }, parsed.hi) === parsed.lo;
}
