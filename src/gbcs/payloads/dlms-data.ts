import { ByteReader, hex2, asBuffer, latin1 } from '../byte-reader.ts';
import { dateText, dateTimeWildcards, dlmsDateTimeIso, timeText, utcSecondsIso } from '../dlms-date-time.ts';
import { DLMS_UNITS, reading } from './dlms-units.ts';
import { obisAt } from './obis-names.ts';
import { field, leaf, hex, hexRange, markUnnamed, unnamedBecause, type PayloadNode } from './payload-tree.ts';

/**
 * What a DLMS Data value means where it stands: its name, how to show it, the names of its
 * values, and the schemas of its members (structure) or elements (array). Without a schema a value
 * is still read to its end, but left unnamed.
 */
export interface DataSchema {
  readonly name: string;
  readonly as?: 'date-time' | 'date' | 'time' | 'obis' | 'ascii' | 'eui' | 'utc';
  readonly values?: Readonly<Record<number, string>>;
  /** A fixed unit and scaler where the object defines them rather than a scaler_unit beside it. */
  readonly unit?: string;
  readonly scaler?: number;
  readonly members?: readonly DataSchema[];
  readonly each?: DataSchema;
  /** A structure whose members depend on how many there are (profile buffer rows). */
  readonly row?: (count: number) => readonly DataSchema[];
  /**
   * Why a value whose place is known is still not named: the public material names the parts
   * around it but not it. Read to its end and left not named, with this as its note.
   */
  readonly unknown?: string;
}

export const TYPE_NAMES: Readonly<Record<number, string>> = {
  0x00: 'null-data',
  0x01: 'array',
  0x02: 'structure',
  0x03: 'boolean',
  0x04: 'bit-string',
  0x05: 'double-long',
  0x06: 'double-long-unsigned',
  0x09: 'octet-string',
  0x0a: 'visible-string',
  0x0c: 'utf8-string',
  0x0d: 'bcd',
  0x0f: 'integer',
  0x10: 'long',
  0x11: 'unsigned',
  0x12: 'long-unsigned',
  0x13: 'compact-array',
  0x14: 'long64',
  0x15: 'long64-unsigned',
  0x16: 'enum',
  0x17: 'float32',
  0x18: 'float64',
  0x19: 'date-time',
  0x1a: 'date',
  0x1b: 'time',
};
const FIXED: Readonly<Record<number, number>> = {
  0x03: 1,
  0x05: 4,
  0x06: 4,
  0x0f: 1,
  0x10: 2,
  0x11: 1,
  0x12: 2,
  0x14: 8,
  0x15: 8,
  0x16: 1,
  0x17: 4,
  0x18: 8,
  0x19: 12,
  0x1a: 5,
  0x1b: 4,
};
const MAX_DEPTH = 24;

export const SCALER_UNIT: DataSchema = { name: 'scaler_unit', members: [{ name: 'scaler' }, { name: 'unit' }] };

/** An integer of at most 32 bits, read where it stands. */
function numberAt(tag: number, b: Uint8Array, p: number): number {
  switch (tag) {
    case 0x11:
    case 0x16:
      return b[p]!;
    case 0x0f:
      return (b[p]! << 24) >> 24;
    case 0x10:
      return ((b[p]! << 24) >> 16) | b[p + 1]!;
    case 0x12:
      return (b[p]! << 8) | b[p + 1]!;
    case 0x05:
      return (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
    default:
      return ((b[p]! << 24) >>> 0) + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
  }
}

/** A DLMS integer's value: a number where it fits, else a bigint (64-bit types). */
function numberValue(tag: number, b: Uint8Array): number | bigint {
  switch (tag) {
    case 0x03:
    case 0x11:
    case 0x16:
      return b[0]!;
    case 0x0f:
      return (b[0]! << 24) >> 24;
    case 0x10:
      return ((b[0]! << 24) >> 16) | b[1]!;
    case 0x12:
      return (b[0]! << 8) | b[1]!;
    case 0x05:
      return (b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!;
    case 0x06:
      return ((b[0]! << 24) >>> 0) + ((b[1]! << 16) | (b[2]! << 8) | b[3]!);
    case 0x14:
      return new DataView(b.buffer, b.byteOffset, 8).getBigInt64(0);
    default:
      return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0);
  }
}

/** ZigBee-style UTC: seconds since 2000-01-01T00:00:00Z, as GBCS logs carry it. */
export const utcText = utcSecondsIso;

/** How an octet-string shows, by what it is meant to hold. */
function octetText(b: Uint8Array, as: DataSchema['as']): string | undefined {
  if (as === 'date-time' && b.length === 12) return dlmsDateTimeIso(b) ?? dateTimeWildcards(b);
  if (as === 'date' && b.length === 5) return dateText(b);
  if (as === 'time' && b.length === 4) return timeText(b);
  if (as === 'obis' && b.length === 6) return obisAt(b, 0);
  if (as === 'ascii' && b.every((c) => c >= 0x20 && c < 0x7f)) return latin1(b);
  return undefined;
}

/** Reads one DLMS Data value (A-XDR, tag first) into a node named by its schema. */
export function readData(r: ByteReader, schema?: DataSchema, depth = 0): PayloadNode {
  if (depth > MAX_DEPTH) r.fail('DLMS data nested too deeply');
  const start = r.pos;
  const at = r.offset();
  const tag = r.u8('DLMS data tag');
  const type = TYPE_NAMES[tag];
  if (!type) r.fail(`unknown DLMS data type 0x${hex2(tag)}`, start);
  if (tag === 0x13) return readCompactArray(r, start, schema, depth);
  let node: PayloadNode;
  if (tag === 0x01 || tag === 0x02) {
    const n = r.derLength('element count');
    if (n > r.remaining) r.fail(`${type} of ${n} elements cannot fit in ${r.remaining} bytes`, start);
    const members = tag === 0x02 ? membersOf(schema, n) : undefined;
    const children: PayloadNode[] = [];
    for (let i = 0; i < n; i++) {
      const child = readData(r, tag === 0x01 ? elementSchema(schema?.each, i) : members?.[i], depth + 1);
      children.push(tag === 0x01 ? positional(schema, child, i) : child);
    }
    node = leaf(schema?.name ?? type, at, r.pos - start, type, n, undefined, tag === 0x02 ? withScalers(children) : children);
  } else if (tag === 0x09 || tag === 0x0a || tag === 0x0c || tag === 0x0d) {
    const len = r.derLength('string');
    const p = r.skip(len, 'string');
    const bytes = r.bytes;
    // Octet-strings, the common case, are read in place; a subarray is made only to show one as text.
    const text =
      tag === 0x09
        ? schema?.as
          ? octetText(bytes.subarray(p, p + len), schema.as)
          : undefined
        : tag === 0x0c
          ? asBuffer(bytes.subarray(p, p + len)).toString('utf8')
          : latin1(bytes, p, p + len);
    node = leaf(schema?.name ?? type, at, r.pos - start, type, tag === 0x09 ? hexRange(bytes, p, p + len) : (text ?? ''), text);
  } else if (tag === 0x04) {
    const bits = r.derLength('bit-string');
    const b = r.take(Math.ceil(bits / 8), 'bit-string');
    node = field(schema?.name ?? type, at, r.pos - start, { type, value: hex(b), text: `${bits} bits ${hex(b)}` });
  } else if (tag === 0x00) {
    node = leaf(schema?.name ?? type, at, 1, type, null);
  } else if ((tag === 0x03 || isPlainInteger(tag)) && !schema?.values && !schema?.as && schema?.unit === undefined) {
    // The common case, a plain integer: read in place, no copy, one object.
    const p = r.skip(FIXED[tag]!, type);
    const b = r.bytes;
    const value = tag === 0x03 ? b[p] !== 0 : numberAt(tag, b, p);
    node = {
      name: schema?.name ?? type,
      offset: at,
      length: r.pos - start,
      named: true,
      type: tag === 0x03 ? 'boolean' : type,
      value,
      unit: undefined,
      text: undefined,
      children: undefined,
      note: undefined,
    } as PayloadNode;
  } else {
    const b = r.take(FIXED[tag]!, type);
    node = field(schema?.name ?? type, at, r.pos - start, fixedValue(tag, type, b, schema));
  }
  return schema ? (schema.unknown === undefined ? node : unnamedBecause(node, schema.unknown)) : markUnnamed(node);
}

/** Integer types numberAt reads as a number (64-bit ones, floats and date-times go through fixedValue). */
function isPlainInteger(tag: number): boolean {
  return tag !== 0x03 && tag !== 0x19 && tag !== 0x1a && tag !== 0x1b && tag !== 0x17 && tag !== 0x18 && tag !== 0x14 && tag !== 0x15;
}

function fixedValue(tag: number, type: string, b: Uint8Array, schema?: DataSchema): Partial<PayloadNode> {
  if (tag === 0x19) return { type, value: hex(b), text: dlmsDateTimeIso(b) ?? dateTimeWildcards(b) };
  if (tag === 0x1a) return { type, value: hex(b), text: dateText(b) };
  if (tag === 0x1b) return { type, value: hex(b), text: timeText(b) };
  if (tag === 0x17 || tag === 0x18) {
    const v = tag === 0x17 ? asBuffer(b).readFloatBE(0) : asBuffer(b).readDoubleBE(0);
    return { type, value: v };
  }
  if (tag === 0x03) return { type, value: b[0] !== 0 };
  const n = numberValue(tag, b);
  const value = typeof n === 'number' ? n : n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
  if (!schema) return { type, value };
  const named = schema.values?.[Number(n)];
  if (named !== undefined) return { type, value, text: named };
  if (schema.as === 'utc') return { type, value, text: utcText(Number(n)) };
  if (schema.unit !== undefined) return { type, value, unit: schema.unit, text: `${reading(BigInt(n), schema.scaler ?? 0, 255).text} ${schema.unit}`.trim() };
  return { type, value };
}

// Row schemas (profile and log entries) are made once per schema and member count, not once per row.
const ROWS = new WeakMap<DataSchema, Map<number, readonly DataSchema[] | undefined>>();
function membersOf(schema: DataSchema | undefined, n: number): readonly DataSchema[] | undefined {
  if (schema?.members) return schema.members.length === n ? schema.members : undefined;
  if (!schema?.row) return undefined;
  let byCount = ROWS.get(schema);
  if (!byCount) ROWS.set(schema, (byCount = new Map()));
  if (byCount.has(n)) return byCount.get(n);
  const row = schema.row(n);
  const made = row.length === n ? row : undefined;
  byCount.set(n, made);
  return made;
}

// Element schemas are made once per array schema and index, not once per element read.
const ELEMENTS = new WeakMap<DataSchema, DataSchema[]>();
function elementSchema(each: DataSchema | undefined, i: number): DataSchema | undefined {
  if (!each) return undefined;
  let made = ELEMENTS.get(each);
  if (!made) ELEMENTS.set(each, (made = []));
  return (made[i] ??= { ...each, name: `${each.name} ${i + 1}` });
}

/**
 * The elements of a named array with no element schema: an array is homogeneous and positional,
 * so each scalar element is that array's i-th entry. Structures inside it stay unnamed.
 */
function positional(schema: DataSchema | undefined, node: PayloadNode, i: number): PayloadNode {
  if (!schema || schema.each || node.named || node.children) return node;
  const n = node as { name: string; named: boolean };
  n.name = `${schema.name} [${i + 1}]`;
  n.named = true;
  return node;
}

/**
 * A structure {integer, enum} is a COSEM scaler_unit; the numeric value just before it in the same
 * structure is read with it (registers and captured values pair them so).
 */
function withScalers(children: PayloadNode[]): PayloadNode[] {
  // Most structures hold no scaler_unit: checked without building a new array.
  let any = false;
  for (let i = 0; i < children.length; i++) {
    const c = children[i]!;
    if (c.name === 'scaler_unit' || isScalerUnit(c)) any = true;
  }
  if (!any) return children;
  const out = children.map((c) => (isScalerUnit(c) ? namedScalerUnit(c) : c));
  for (let i = 1; i < out.length; i++) {
    const su = out[i]!;
    const v = out[i - 1]!;
    // A value a schema calls scaler_unit may not be one in a malformed payload: only a pair of numbers scales.
    if (
      su.name !== 'scaler_unit' ||
      su.children?.length !== 2 ||
      su.children[0]!.type !== 'integer' ||
      su.children[1]!.type !== 'enum' ||
      (typeof v.value !== 'number' && typeof v.value !== 'string') ||
      v.type === 'octet-string' ||
      v.children
    )
      continue;
    const scaled = applyScaler(v, Number(su.children![0]!.value), Number(su.children![1]!.value));
    // A number with a scaler_unit right after it is the value that scaler_unit qualifies (Blue Book,
    // Register: value, scaler_unit): so named where no schema named it.
    out[i - 1] = scaled.named ? scaled : { ...scaled, name: 'value (with the scaler_unit after it)', named: true };
  }
  return out;
}

export function isScalerUnit(n: PayloadNode): boolean {
  const c = n.children;
  return n.type === 'structure' && c?.length === 2 && c[0]!.type === 'integer' && c[1]!.type === 'enum' && DLMS_UNITS.has(Number(c[1]!.value));
}

export function namedScalerUnit(n: PayloadNode): PayloadNode {
  const [s, u] = n.children!;
  const unit = DLMS_UNITS.get(Number(u!.value))!;
  return {
    ...n,
    name: 'scaler_unit',
    named: true,
    text: `10^${s!.value} ${unit}`,
    children: [
      { ...s!, name: 'scaler', named: true },
      { ...u!, name: 'unit', named: true, text: unit },
    ],
  };
}

export function applyScaler(v: PayloadNode, scaler: number, unitCode: number): PayloadNode {
  const r = reading(BigInt(v.value as number | string), scaler, unitCode);
  return { ...v, text: r.text, ...(r.unit ? { unit: r.unit } : {}) };
}

/** A compact-array: one type description, then the elements' contents without their tags. */
function readCompactArray(r: ByteReader, start: number, schema: DataSchema | undefined, depth: number): PayloadNode {
  const at = r.offset() - 1;
  const descStart = r.pos;
  const desc = readTypeDescription(r, 0);
  // Elements that take no bytes would let the contents hold any number of them: refused.
  if (minSize(desc) === 0) r.fail('compact-array elements of a type that takes no bytes', descStart);
  const descNode = field('contents-description', r.base + descStart, r.pos - descStart, { type: 'type-description', value: hex(r.bytes.subarray(descStart, r.pos)) });
  const lenAt = r.pos;
  const len = r.derLength('compact-array contents');
  if (len > r.remaining) r.fail(`compact-array contents of ${len} bytes, ${r.remaining} remain`, lenAt);
  const inner = new ByteReader(r.bytes, r.pos, r.pos + len, r.base);
  const elements: PayloadNode[] = [];
  for (let i = 0; inner.remaining > 0; i++) elements.push(readUntagged(inner, desc, elementSchema(schema?.each, i), depth + 1));
  r.take(len, 'compact-array contents');
  const contents = field('array-contents', r.base + lenAt, r.pos - lenAt, {
    type: 'octet-string',
    value: elements.length,
    text: `${elements.length} elements`,
    children: elements,
  });
  const node = field(schema?.name ?? 'compact-array', at, r.pos - start, { type: 'compact-array', value: elements.length, children: [descNode, contents] });
  return schema ? node : markUnnamed(node);
}

type TypeDesc = { tag: number; count?: number; of?: TypeDesc[] };

/** The fewest content bytes an element of this type takes in a compact-array. */
function minSize(d: TypeDesc): number {
  if (d.tag === 0x02) return d.of!.reduce((n, x) => n + minSize(x), 0);
  if (d.tag === 0x01) return d.count! * minSize(d.of![0]!);
  if (d.tag === 0x09 || d.tag === 0x0a || d.tag === 0x0c || d.tag === 0x04) return 1;
  return FIXED[d.tag] ?? 0;
}

function readTypeDescription(r: ByteReader, depth: number): TypeDesc {
  if (depth > MAX_DEPTH) r.fail('type description nested too deeply');
  const at = r.pos;
  const tag = r.u8('type description');
  if (!TYPE_NAMES[tag] || tag === 0x13) r.fail(`type description 0x${hex2(tag)} is not a DLMS type`, at);
  if (tag === 0x01) {
    const count = r.u16('compact array element count');
    return { tag, count, of: [readTypeDescription(r, depth + 1)] };
  }
  if (tag === 0x02) {
    const n = r.derLength('structure description count');
    if (n > r.remaining) r.fail(`structure description of ${n} types cannot fit`, at);
    const of: TypeDesc[] = [];
    for (let i = 0; i < n; i++) of.push(readTypeDescription(r, depth + 1));
    return { tag, of };
  }
  return { tag };
}

/** Reads one element of a compact-array: the bytes the type description says, with no tag. */
function readUntagged(r: ByteReader, d: TypeDesc, schema: DataSchema | undefined, depth: number): PayloadNode {
  if (depth > MAX_DEPTH) r.fail('compact-array element nested too deeply');
  const start = r.pos;
  const type = TYPE_NAMES[d.tag]!;
  let node: PayloadNode;
  if (d.tag === 0x02 || d.tag === 0x01) {
    const members = d.tag === 0x02 ? membersOf(schema, d.of!.length) : undefined;
    const n = d.tag === 0x02 ? d.of!.length : d.count!;
    // Each element takes at least minSize bytes; an array of empty elements would cost nothing to claim.
    const least = d.tag === 0x01 ? minSize(d.of![0]!) : 0;
    if (d.tag === 0x01 && n > 0 && (least === 0 || n * least > r.remaining)) r.fail(`compact-array of ${n} elements of at least ${least} bytes cannot fit in ${r.remaining} bytes`);
    const children: PayloadNode[] = [];
    for (let i = 0; i < n; i++) {
      const child = readUntagged(r, d.tag === 0x02 ? d.of![i]! : d.of![0]!, d.tag === 0x02 ? members?.[i] : elementSchema(schema?.each, i), depth + 1);
      children.push(d.tag === 0x01 ? positional(schema, child, i) : child);
    }
    node = leaf(schema?.name ?? type, r.base + start, r.pos - start, type, n, undefined, d.tag === 0x02 ? withScalers(children) : children);
  } else if (d.tag === 0x09 || d.tag === 0x0a || d.tag === 0x0c || d.tag === 0x04) {
    const len = r.derLength(type);
    const b = r.take(d.tag === 0x04 ? Math.ceil(len / 8) : len, type);
    const text = d.tag === 0x09 ? octetText(b, schema?.as) : latin1(b);
    node = leaf(schema?.name ?? type, r.base + start, r.pos - start, type, hex(b), text);
  } else if (d.tag === 0x00) {
    node = leaf(schema?.name ?? type, r.base + start, 0, type, null);
  } else {
    const size = FIXED[d.tag];
    if (size === undefined) r.fail(`compact-array element type 0x${hex2(d.tag)} has no fixed size`);
    const tag = d.tag;
    if (isPlainInteger(tag) && !schema?.values && !schema?.as && schema?.unit === undefined) {
      // As in readData: a plain integer read in place, one object (profile rows hold hundreds).
      const p = r.skip(size!, type);
      node = leaf(schema?.name ?? type, r.base + start, size!, type, numberAt(tag, r.bytes, p));
    } else node = field(schema?.name ?? type, r.base + start, size!, fixedValue(tag, type, r.take(size!, type), schema));
  }
  return schema ? node : markUnnamed(node);
}
