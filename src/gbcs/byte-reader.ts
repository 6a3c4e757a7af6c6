import { GbcsDecodeError } from './gbcs-error.ts';

/** A bounds-checked cursor over bytes: every read either succeeds or throws GbcsDecodeError. */
export class ByteReader {
  #pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
    /** Added to positions in error messages, so offsets refer to the whole input. */
    readonly base = 0,
  ) {
    this.#pos = start;
  }
  get pos(): number {
    return this.#pos;
  }
  get remaining(): number {
    return this.end - this.#pos;
  }
  offset(): number {
    return this.base + this.#pos;
  }
  fail(reason: string, at = this.#pos): never {
    throw new GbcsDecodeError(this.base + at, reason);
  }
  u8(what: string): number {
    if (this.#pos >= this.end) this.fail(`truncated: expected ${what}`);
    return this.bytes[this.#pos++]!;
  }
  take(n: number, what: string): Uint8Array {
    if (n < 0 || this.#pos + n > this.end) this.fail(`truncated: ${what} needs ${n} bytes, ${this.end - this.#pos} remain`);
    const out = this.bytes.subarray(this.#pos, this.#pos + n);
    this.#pos += n;
    return out;
  }
  /** Moves past n bytes and returns where they start: for values read in place, without a copy. */
  skip(n: number, what: string): number {
    if (n < 0 || this.#pos + n > this.end) this.fail(`truncated: ${what} needs ${n} bytes, ${this.end - this.#pos} remain`);
    const at = this.#pos;
    this.#pos += n;
    return at;
  }
  expect(value: number, what: string): void {
    const at = this.#pos;
    const b = this.u8(what);
    if (b !== value) this.fail(`${what}: expected 0x${hex2(value)}, found 0x${hex2(b)}`, at);
  }
  u16(what: string): number {
    const at = this.skip(2, what);
    return (this.bytes[at]! << 8) | this.bytes[at + 1]!;
  }
  /** Big-endian 32 bits, read in place. */
  u32(what: string): number {
    const at = this.skip(4, what);
    return u32be(this.bytes, at);
  }
  /** Little-endian 16 bits (ZCL), read in place. */
  u16le(what: string): number {
    const at = this.skip(2, what);
    return this.bytes[at]! | (this.bytes[at + 1]! << 8);
  }
  /** Little-endian 32 bits (ZCL), read in place. */
  u32le(what: string): number {
    const at = this.skip(4, what);
    return u32le(this.bytes, at);
  }
  u64(what: string): bigint {
    const at = this.skip(8, what);
    return (BigInt(u32be(this.bytes, at)) << 32n) | BigInt(u32be(this.bytes, at + 4));
  }
  /** A DER-style length: one byte below 0x80, else 0x8N and N big-endian bytes (N <= 4). */
  derLength(what: string): number {
    const at = this.#pos;
    const first = this.u8(`${what} length`);
    if (first < 0x80) return first;
    const n = first & 0x7f;
    if (n === 0 || n > 4) this.fail(`${what} length: unsupported length form 0x${hex2(first)}`, at);
    let len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + this.u8(`${what} length`);
    return len;
  }
}

export const hex2 = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');

export function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex').toUpperCase();
}

/** Parses hex with optional whitespace; refuses anything else, naming the first bad character. */
export function fromHex(text: string): Uint8Array {
  const s = text.replace(/\s+/g, '');
  const bad = /[^0-9a-fA-F]/.exec(s);
  if (bad) throw new GbcsDecodeError(Math.floor(bad.index / 2), `not hex: character "${bad[0]}" at position ${bad.index}`);
  if (s.length % 2) throw new GbcsDecodeError(Math.floor(s.length / 2), 'odd number of hex digits');
  return Uint8Array.from(Buffer.from(s, 'hex'));
}

export function derLengthBytes(len: number): Uint8Array {
  if (len < 0x80) return Uint8Array.of(len);
  const bytes: number[] = [];
  for (let v = len; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.from([0x80 | bytes.length, ...bytes]);
}

export const u32be = (b: Uint8Array, at: number): number => ((b[at]! << 24) >>> 0) + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!);
export const u32le = (b: Uint8Array, at: number): number => ((b[at + 3]! << 24) >>> 0) + ((b[at + 2]! << 16) | (b[at + 1]! << 8) | b[at]!);

/** bytes[from, to) as Latin-1 text, one character a byte, without a Buffer (labels and times are short). */
export function latin1(b: Uint8Array, from = 0, to = b.length): string {
  if (to - from > 64) return Buffer.from(b.buffer, b.byteOffset + from, to - from).toString('latin1');
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/** A Buffer over the same memory, without the copy Buffer.from(Uint8Array) makes: for reading only. */
export function asBuffer(b: Uint8Array): Buffer {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}
