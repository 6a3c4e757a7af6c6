import type { ByteReader } from '../byte-reader.ts';
import { hex2, latin1, u32le } from '../byte-reader.ts';
import { utcText } from './dlms-data.ts';
import { field, leaf, hex, hexRange, type PayloadNode } from './payload-tree.ts';

/** ZigBee ZCL data types (ZCL specification, chapter 2): name and fixed size where there is one. */
const TYPES: ReadonlyMap<number, { name: string; size?: number; signed?: boolean }> = new Map([
  [0x00, { name: 'no data', size: 0 }],
  [0x08, { name: 'data8', size: 1 }],
  [0x09, { name: 'data16', size: 2 }],
  [0x0a, { name: 'data24', size: 3 }],
  [0x0b, { name: 'data32', size: 4 }],
  [0x10, { name: 'boolean', size: 1 }],
  [0x18, { name: 'bitmap8', size: 1 }],
  [0x19, { name: 'bitmap16', size: 2 }],
  [0x1a, { name: 'bitmap24', size: 3 }],
  [0x1b, { name: 'bitmap32', size: 4 }],
  [0x1c, { name: 'bitmap40', size: 5 }],
  [0x1d, { name: 'bitmap48', size: 6 }],
  [0x1e, { name: 'bitmap56', size: 7 }],
  [0x1f, { name: 'bitmap64', size: 8 }],
  ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => [0x1f + n, { name: `uint${n * 8}`, size: n }] as const),
  ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => [0x27 + n, { name: `int${n * 8}`, size: n, signed: true }] as const),
  [0x30, { name: 'enum8', size: 1 }],
  [0x31, { name: 'enum16', size: 2 }],
  [0x38, { name: 'semi-precision', size: 2 }],
  [0x39, { name: 'single-precision', size: 4 }],
  [0x3a, { name: 'double-precision', size: 8 }],
  [0x41, { name: 'octet string' }],
  [0x42, { name: 'character string' }],
  [0x43, { name: 'long octet string' }],
  [0x44, { name: 'long character string' }],
  [0xe0, { name: 'time of day', size: 4 }],
  [0xe1, { name: 'date', size: 4 }],
  [0xe2, { name: 'UTCTime', size: 4 }],
  [0xe8, { name: 'cluster id', size: 2 }],
  [0xe9, { name: 'attribute id', size: 2 }],
  [0xea, { name: 'BACnet OID', size: 4 }],
  [0xf0, { name: 'IEEE address', size: 8 }],
  [0xf1, { name: '128-bit security key', size: 16 }],
]);

// The same table indexed by type code: readZclValue looks a type up for every field it reads.
const BY_CODE: ReadonlyArray<{ name: string; size?: number; signed?: boolean } | undefined> = Array.from({ length: 256 }, (_, t) => TYPES.get(t));

export function zclTypeName(type: number): string {
  return (type >= 0 && type < 256 ? BY_CODE[type] : undefined)?.name ?? `type 0x${hex2(type)}`;
}

/** leInt of the `size` (at most 6) bytes at `at`, read in place. */
function leIntAt(b: Uint8Array, at: number, size: number, signed: boolean): number {
  let n = 0;
  for (let i = at + size - 1; i >= at; i--) n = n * 256 + b[i]!;
  if (signed && size && b[at + size - 1]! & 0x80) n -= 2 ** (8 * size);
  return n;
}

/** Little-endian unsigned or signed integer of n bytes, as a number where it is safe, else decimal text. */
export function leInt(b: Uint8Array, signed = false): number | string {
  if (b.length <= 6) {
    // Up to 48 bits fit a double exactly: no BigInt on the common path.
    let n = 0;
    for (let i = b.length - 1; i >= 0; i--) n = n * 256 + b[i]!;
    if (signed && b.length && b[b.length - 1]! & 0x80) n -= 2 ** (8 * b.length);
    return n;
  }
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  if (signed && b.length && b[b.length - 1]! & 0x80) v -= 1n << BigInt(b.length * 8);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

/** Reads one ZCL value of a given type (attribute records carry the type byte before it). */
export function readZclValue(r: ByteReader, type: number, name: string, values?: Readonly<Record<number, string>>): PayloadNode {
  const at = r.offset();
  const t = type >= 0 && type < 256 ? BY_CODE[type] : undefined;
  if (!t) r.fail(`ZCL data type 0x${hex2(type)} is not one this decoder reads`);
  const typeName = t!.name;
  if (t!.size === undefined) {
    const long = type === 0x43 || type === 0x44;
    const len = long ? r.u16le(typeName) : r.u8(typeName);
    // 0xFF (0xFFFF) is the "invalid" string: no bytes follow.
    const b = len === (long ? 0xffff : 0xff) ? new Uint8Array() : r.take(len, typeName);
    const text = type === 0x42 || type === 0x44 ? latin1(b) : printable(b);
    return leaf(name, at, r.offset() - at, typeName, hex(b), text);
  }
  // Fixed-size values are read in place, without a subarray per value.
  const size = t!.size!;
  const p = r.skip(size, typeName);
  const bytes = r.bytes;
  if (type === 0xe2) {
    const s = u32le(bytes, p);
    return leaf(name, at, 4, typeName, s, utcText(s));
  }
  if (type === 0xf0) return field(name, at, 8, { type: typeName, value: hex(Uint8Array.from(bytes.subarray(p, p + 8)).reverse()) });
  if (type === 0x10) return leaf(name, at, 1, typeName, bytes[p] !== 0);
  if ((type >= 0x38 && type <= 0x3a) || type === 0xe0 || type === 0xe1 || type === 0xf1 || type === 0xea) return leaf(name, at, size, typeName, hexRange(bytes, p, p + size));
  const v = size <= 6 ? leIntAt(bytes, p, size, t!.signed === true) : leInt(bytes.subarray(p, p + size), t!.signed);
  const named = values?.[Number(v)];
  return leaf(name, at, size, typeName, v, named || undefined);
}

/** Shows an octet string as text when it is all printable ASCII (UTRNs, labels). */
function printable(b: Uint8Array): string | undefined {
  if (b.length === 0) return undefined;
  for (let i = 0; i < b.length; i++) if (b[i]! < 0x20 || b[i]! >= 0x7f) return undefined;
  return latin1(b);
}

/**
 * A field of a cluster-specific command payload. Types are ZCL type codes; 'repeat' reads a
 * repeated group until the payload ends (logs, schedules); 'times' reads the group as many times
 * as the value of the field just before it says (a count field of the standard's layout); 'by'
 * picks the layout of the rest from the value of the field just before it (a payload type or
 * control field), leaving the rest unread (and so labelled, not named) when it has no layout for
 * that value.
 */
export type ZclField =
  | readonly [name: string, type: number, values?: Readonly<Record<number, string>>]
  | readonly [name: string, 'repeat' | 'times', readonly ZclField[]]
  | readonly [name: string, 'by', (value: number) => readonly ZclField[] | undefined];

export function readZclFields(r: ByteReader, fields: readonly ZclField[], depth = 0, out: PayloadNode[] = []): PayloadNode[] {
  if (depth > 4) r.fail('ZCL command layout nested too deeply');
  for (const f of fields) {
    if (f[1] === 'repeat' || f[1] === 'times') {
      const count = f[1] === 'times' ? countBefore(r, out, f[0]) : Infinity;
      for (let i = 1; i <= count && r.remaining > 0; i++) {
        const at = r.offset();
        const children = readZclFields(r, f[2], depth + 1);
        out.push(field(`${f[0]} ${i}`, at, r.offset() - at, { type: 'record', children }));
      }
    } else if (f[1] === 'by') {
      const rest = f[2](countBefore(r, out, f[0]));
      if (!rest) return out;
      readZclFields(r, rest, depth + 1, out);
    } else out.push(readZclValue(r, f[1], f[0], f[2] as Readonly<Record<number, string>> | undefined));
  }
  return out;
}

/** The numeric value of the field read just before a 'times' or 'by' field. */
function countBefore(r: ByteReader, out: readonly PayloadNode[], name: string): number {
  const v = out[out.length - 1]?.value;
  if (typeof v !== 'number') r.fail(`ZCL layout: ${name} follows no numeric field`);
  return v as number;
}
