import { ByteReader, derLengthBytes, hex2 } from '../byte-reader.ts';

/** A DER TLV as read: tag, value bytes, and where it sat. Long-form lengths are accepted even when not minimal (devices write them). */
export interface Tlv {
  readonly tag: number;
  readonly value: Uint8Array;
  readonly offset: number;
}

export function readTlv(r: ByteReader, what: string): Tlv {
  const offset = r.offset();
  const tag = r.u8(`${what} tag`);
  const len = r.derLength(what);
  return { tag, value: r.take(len, what), offset };
}

export function readTlvs(bytes: Uint8Array, what: string, base = 0): Tlv[] {
  const r = new ByteReader(bytes, 0, bytes.length, base);
  const out: Tlv[] = [];
  while (r.remaining > 0) out.push(readTlv(r, what));
  return out;
}

export function expectTag(t: Tlv | undefined, tag: number, what: string, r?: ByteReader): Tlv {
  if (!t) (r ?? new ByteReader(new Uint8Array())).fail(`${what}: missing`);
  if (t!.tag !== tag) new ByteReader(new Uint8Array(), 0, 0, t!.offset).fail(`${what}: expected tag 0x${hex2(tag)}, found 0x${hex2(t!.tag)}`, 0);
  return t!;
}

/** Reads a DER INTEGER's two's complement value as a bigint. */
export function intValue(v: Uint8Array): bigint {
  if (v.length === 0) return 0n;
  let n = 0n;
  for (const b of v) n = (n << 8n) | BigInt(b);
  return v[0]! & 0x80 ? n - (1n << BigInt(v.length * 8)) : n;
}

// --- encoders (minimal DER, as Users and the DCC write it) ---

export function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const value = Buffer.concat(parts);
  return Buffer.concat([Uint8Array.of(tag), derLengthBytes(value.length), value]);
}

export const seq = (...parts: Uint8Array[]) => tlv(0x30, ...parts);

/** Minimal two's complement, with a leading 00 where the top bit would read as negative. */
export function intBytes(n: bigint | number): Uint8Array {
  let v = BigInt(n);
  if (v < 0n) throw new RangeError('negative DER integers are not used here');
  const bytes: number[] = [];
  do {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (v > 0n);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return Uint8Array.from(bytes);
}

export const int = (n: bigint | number, tag = 0x02) => tlv(tag, intBytes(n));
export const octets = (b: Uint8Array) => tlv(0x04, b);
