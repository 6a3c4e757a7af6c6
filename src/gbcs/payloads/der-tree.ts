import { ByteReader, hex2, latin1 } from '../byte-reader.ts';
import { CERTIFICATE } from './credential-schemas.ts';
import { field, leaf, hex, hexRange, markUnnamed, unnamedBecause, type PayloadNode } from './payload-tree.ts';

/**
 * ASN.1 DER read as a tree: every TLV to its end (long-form lengths accepted even when not
 * minimal, as devices write them), named by a schema where one applies.
 */
export interface DerSchema {
  readonly name: string;
  /** The tag expected; a member whose tag does not match is taken as absent when optional. */
  readonly tag?: number;
  readonly optional?: boolean;
  /** SEQUENCE / SET / context-constructed: members in order. */
  readonly members?: readonly DerSchema[];
  /** SEQUENCE OF / SET OF: every element. */
  readonly each?: DerSchema;
  readonly values?: Readonly<Record<number, string>>;
  /** A value whose content is itself DER (EXPLICIT tagging, OCTET STRING wrapping). */
  readonly inner?: DerSchema;
  /** An implicitly tagged INTEGER (context tags [3], [4] of CS02b): read its value as one. */
  readonly integer?: boolean;
  /** Why a TLV whose place is known is still not named (see DataSchema.unknown): kept not named, with this note. */
  readonly unknown?: string;
}

const UNIVERSAL: Readonly<Record<number, string>> = {
  0x01: 'BOOLEAN',
  0x02: 'INTEGER',
  0x03: 'BIT STRING',
  0x04: 'OCTET STRING',
  0x05: 'NULL',
  0x06: 'OBJECT IDENTIFIER',
  0x0a: 'ENUMERATED',
  0x0c: 'UTF8String',
  0x13: 'PrintableString',
  0x16: 'IA5String',
  0x17: 'UTCTime',
  0x18: 'GeneralizedTime',
  0x30: 'SEQUENCE',
  0x31: 'SET',
};
const MAX_DEPTH = 20;

function makeTagName(tag: number): string {
  if (UNIVERSAL[tag]) return UNIVERSAL[tag]!;
  const cls = ['universal', 'application', 'context', 'private'][tag >> 6]!;
  return `[${cls === 'context' ? '' : `${cls} `}${tag & 0x1f}]${tag & 0x20 ? ' constructed' : ''}`;
}
// One name per tag byte, made once: a certificate holds dozens of TLVs.
const TAG_NAMES: readonly string[] = Array.from({ length: 256 }, (_, t) => makeTagName(t));

export function tagName(tag: number): string {
  return TAG_NAMES[tag & 0xff]!;
}

export const OID_NAMES: ReadonlyMap<string, string> = new Map([
  ['1.2.840.10045.4.3.2', 'ecdsa-with-SHA256'],
  ['1.2.840.10045.2.1', 'id-ecPublicKey'],
  ['1.2.840.10045.3.1.7', 'prime256v1 (P-256)'],
  ['2.5.4.3', 'commonName'],
  ['2.5.4.6', 'countryName'],
  ['2.5.4.10', 'organizationName'],
  ['2.5.4.11', 'organizationalUnitName'],
  ['2.5.4.45', 'x500UniqueIdentifier'],
  ['2.5.29.14', 'subjectKeyIdentifier'],
  ['2.5.29.15', 'keyUsage'],
  ['2.5.29.17', 'subjectAltName'],
  ['2.5.29.19', 'basicConstraints'],
  ['2.5.29.32', 'certificatePolicies'],
  ['2.5.29.35', 'authorityKeyIdentifier'],
  ['2.5.29.37', 'extKeyUsage'],
  ['1.3.6.1.5.5.7.8.4', 'hardwareModuleName'],
]);

function oidText(b: Uint8Array): string {
  if (b.length === 0) return '';
  const first = Math.min(2, Math.floor(b[0]! / 40));
  let s = `${first}.${b[0]! - first * 40}`;
  let v = 0;
  for (let i = 1; i < b.length; i++) {
    const x = b[i]!;
    v = v * 128 + (x & 0x7f);
    if (!(x & 0x80)) {
      s += `.${v}`;
      v = 0;
    }
  }
  return s;
}

function intText(b: Uint8Array): number | string {
  if (b.length <= 6) {
    // Up to 48 bits fit a double exactly: no BigInt on the common path.
    let v = 0;
    for (let i = 0; i < b.length; i++) v = v * 256 + b[i]!;
    if (b.length && b[0]! & 0x80) v -= 2 ** (8 * b.length);
    return v;
  }
  // Longer ones (certificate serial numbers): one parse of their hex, not a BigInt step per byte.
  let n = BigInt(`0x${hex(b)}`);
  if (b[0]! & 0x80) n -= 1n << BigInt(b.length * 8);
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
}

function leafNode(name: string, at: number, length: number, tag: number, bytes: Uint8Array, from: number, to: number, schema?: DerSchema): PayloadNode {
  const type = tagName(tag);
  // Most leaves are shown as hex, read in place; only the others need their bytes as an array.
  if (
    tag !== 0x02 &&
    tag !== 0x0a &&
    !schema?.integer &&
    tag !== 0x06 &&
    tag !== 0x01 &&
    tag !== 0x05 &&
    tag !== 0x0c &&
    tag !== 0x13 &&
    tag !== 0x16 &&
    tag !== 0x17 &&
    tag !== 0x18
  )
    return leaf(name, at, length, type, hexRange(bytes, from, to));
  const b = bytes.subarray(from, to);
  if (tag === 0x02 || tag === 0x0a || schema?.integer) {
    const v = intText(b);
    const named = typeof v === 'number' ? schema?.values?.[v] : undefined;
    return leaf(name, at, length, type, v, named || undefined);
  }
  if (tag === 0x06) {
    const o = oidText(b);
    return leaf(name, at, length, type, o, OID_NAMES.get(o) ?? o);
  }
  if (tag === 0x01) return leaf(name, at, length, type, b[0] !== 0);
  if (tag === 0x05) return leaf(name, at, length, type, null);
  return leaf(name, at, length, type, latin1(b));
}

/** Reads one TLV and everything inside it; `schema` names it and its parts where it fits. */
export function readDer(r: ByteReader, schema?: DerSchema, depth = 0): PayloadNode {
  if (depth > MAX_DEPTH) r.fail('ASN.1 nested too deeply');
  const at = r.offset();
  const start = r.pos;
  const tag = r.u8('ASN.1 tag');
  if ((tag & 0x1f) === 0x1f) r.fail(`multi-byte ASN.1 tag 0x${hex2(tag)} is not used by GBCS`, start);
  const len = r.derLength('ASN.1 value');
  const vAt = r.skip(len, 'ASN.1 value');
  const fits = schema !== undefined && (schema.tag === undefined || schema.tag === tag);
  // An X.509 certificate is recognised by its shape wherever it stands (CS03, CS06, device certificates).
  const s = fits ? schema : tag === 0x30 && certificateAt(r.bytes, vAt, vAt + len) ? CERTIFICATE : undefined;
  const name = s?.name ?? UNIVERSAL[tag] ?? tagName(tag);
  let node: PayloadNode;
  if (tag & 0x20) {
    const inner = new ByteReader(r.bytes, r.pos - len, r.pos, r.base);
    const kids: PayloadNode[] = [];
    const members = s?.members;
    let next = 0;
    for (let i = 0; inner.remaining > 0; i++) {
      const nextTag = inner.bytes[inner.pos]!;
      let m: DerSchema | undefined;
      if (members) {
        while (next < members.length && members[next]!.tag !== undefined && members[next]!.tag !== nextTag && members[next]!.optional) next++;
        m = members[next++];
      } else if (s?.each) m = eachSchema(s.each, i);
      else if (s?.inner && i === 0) m = s.inner;
      kids.push(readDer(inner, m, depth + 1));
    }
    node = leaf(name, at, r.pos - start, tagName(tag), kids.length, undefined, kids);
  } else if (tag === 0x04 && s?.inner && len > 1 && r.bytes[vAt]! & 0x20) {
    // An OCTET STRING that wraps DER (X.509 extension values): read inside it.
    const inner = new ByteReader(r.bytes, r.pos - len, r.pos, r.base);
    const kids: PayloadNode[] = [];
    while (inner.remaining > 0) kids.push(readDer(inner, kids.length === 0 ? s.inner : undefined, depth + 1));
    node = field(name, at, r.pos - start, { type: tagName(tag), children: kids });
  } else {
    node = leafNode(name, at, r.pos - start, tag, r.bytes, vAt, vAt + len, s);
  }
  if (!s) return markUnnamed(node);
  return s.unknown === undefined ? node : unnamedBecause(node, s.unknown);
}

const EACH = new WeakMap<DerSchema, DerSchema[]>();
function eachSchema(each: DerSchema, i: number): DerSchema {
  let made = EACH.get(each);
  if (!made) EACH.set(each, (made = []));
  return (made[i] ??= { ...each, name: `${each.name} ${i + 1}` });
}

/** SEQUENCE { SEQUENCE { [0] { INTEGER version } ...: the start of a certificate's tbsCertificate. */
export function looksLikeCertificate(value: Uint8Array): boolean {
  return certificateAt(value, 0, value.length);
}

/** looksLikeCertificate over bytes[from, to), read in place. */
function certificateAt(b: Uint8Array, from: number, to: number): boolean {
  if (b[from] !== 0x30 || to - from < 8) return false;
  const l = b[from + 1]!;
  const tbs = from + (l < 0x80 ? 2 : 2 + (l & 0x7f));
  // Bytes past `to` belong to what follows the value: they must not be read as its own.
  if (tbs + 3 >= to) return false;
  return b[tbs] === 0xa0 && b[tbs + 1] === 0x03 && b[tbs + 2] === 0x02 && b[tbs + 3] === 0x01;
}

export { oidText, intText };
