// Checking an audit inclusion proof in the browser, with the log's public key and nothing else:
// the same checks as meterops' own checker (docs/audit-log.md), re-done here with Web Crypto so that
// a security officer need not trust the server's word. The hashing is RFC 9162 section 2.1 (SHA-256,
// a leaf is HASH(0x00 || entry), a node HASH(0x01 || left || right)); the leaf's bytes are the RFC
// 8785 canonical JSON of {id, at, actor, action, entity, details} (strings exactly as stored); a
// tree head is signed with Ed25519 over the canonical JSON
// {"kind":"tree-head","log":"meterops-audit/v1","rootHash":…,"timestamp":<ms>,"treeSize":…}, and
// its keyId is the SHA-256 of the key's SubjectPublicKeyInfo.

/** A signed tree head as GET /v1/audit/heads/latest answers it. */
export interface TreeHead {
  readonly treeSize: number;
  readonly rootHash: string;
  readonly timestamp: string;
  readonly keyId: string;
  readonly signature: string;
}

/** GET /v1/audit/entries/:id/inclusion. */
export interface InclusionProof {
  readonly entry: { readonly id: number; readonly at: string; readonly actorPartyId: string; readonly action: string; readonly entity: string; readonly details: string };
  readonly leafIndex: number;
  readonly path: string[];
  readonly head: TreeHead;
}

/** GET /v1/audit/key. */
export interface LogKey {
  readonly keyId: string;
  readonly publicKey: string;
}

export interface Check {
  readonly valid: boolean;
  readonly reason: string;
}

const subtle = () => globalThis.crypto.subtle;
const HEX64 = /^[0-9a-f]{64}$/;
const utf8 = (s: string) => new TextEncoder().encode(s);

export function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function bytesToHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function sha256(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await subtle().digest('SHA-256', data));
}

/** HASH(0x00 || d): a leaf (RFC 9162 section 2.1.1). */
export const leafHash = (data: Uint8Array) => sha256(concat(Uint8Array.of(0x00), data));
/** HASH(0x01 || left || right): an interior node. */
export const nodeHash = (left: Uint8Array, right: Uint8Array) => sha256(concat(Uint8Array.of(0x01), left, right));

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * RFC 8785 canonical JSON of a flat object of strings and integers: members sorted by their names'
 * UTF-16 code units, no whitespace, strings as ECMAScript's JSON.stringify writes them (which is
 * what RFC 8785 section 3.2.2.2 specifies), no normalisation. A lone surrogate is refused (I-JSON).
 */
export function canonicalJson(o: Readonly<Record<string, string | number>>): string {
  const keys = Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys
    .map((k) => {
      const v = o[k]!;
      if (typeof v === 'string' && LONE_SURROGATE.test(v)) throw new Error(`${k} is not well-formed Unicode`);
      if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`${k} is not a finite number`);
      return `${JSON.stringify(k)}:${JSON.stringify(v)}`;
    })
    .join(',')}}`;
}

/** The bytes of an entry's leaf (as src/domain/audit-entry.ts writes them, re-done here). */
export function entryLeafBytes(e: InclusionProof['entry']): Uint8Array {
  const at = new Date(e.at);
  if (Number.isNaN(at.getTime())) throw new Error('the entry has no valid time');
  return utf8(canonicalJson({ id: e.id, at: at.toISOString(), actor: e.actorPartyId, action: e.action, entity: e.entity, details: e.details }));
}

/** The signed text of a tree head. */
export function treeHeadBytes(h: Pick<TreeHead, 'treeSize' | 'rootHash' | 'timestamp'>): Uint8Array<ArrayBuffer> {
  return utf8(canonicalJson({ log: 'meterops-audit/v1', kind: 'tree-head', treeSize: h.treeSize, rootHash: h.rootHash, timestamp: new Date(h.timestamp).getTime() }));
}

function pemToDer(pem: string): Uint8Array<ArrayBuffer> {
  const body = pem
    .replace(/-----BEGIN PUBLIC KEY-----/, '')
    .replace(/-----END PUBLIC KEY-----/, '')
    .replace(/\s+/g, '');
  return base64ToBytes(body);
}

/** The log's public key imported for Web Crypto, and its keyId recomputed from its SPKI bytes. */
export async function importLogKey(k: LogKey): Promise<{ key: CryptoKey; keyId: string }> {
  const der = pemToDer(k.publicKey);
  const key = await subtle().importKey('spki', der, { name: 'Ed25519' }, false, ['verify']);
  return { key, keyId: bytesToHex(await sha256(der)) };
}

/** RFC 9162 section 2.1.3.2: the root `path` gives for the leaf at `index` of a tree of `size`, or null when it cannot. */
export async function rootFromInclusion(index: number, size: number, leaf: Uint8Array, path: readonly Uint8Array[]): Promise<Uint8Array | null> {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/** Is the head well formed, signed by this key (its keyId and its Ed25519 signature)? */
export async function checkTreeHead(h: TreeHead, logKey: { key: CryptoKey; keyId: string }): Promise<Check> {
  if (!Number.isSafeInteger(h.treeSize) || h.treeSize < 1) return { valid: false, reason: 'the tree head has no valid size' };
  if (!HEX64.test(h.rootHash)) return { valid: false, reason: 'the tree head root is not 32 bytes of hex' };
  if (Number.isNaN(new Date(h.timestamp).getTime())) return { valid: false, reason: 'the tree head has no valid timestamp' };
  if (h.keyId !== logKey.keyId) return { valid: false, reason: `the tree head was signed by key ${h.keyId}, not by the published key ${logKey.keyId}` };
  let ok = false;
  try {
    ok = await subtle().verify({ name: 'Ed25519' }, logKey.key, base64ToBytes(h.signature), treeHeadBytes(h));
  } catch {
    ok = false;
  }
  if (!ok) return { valid: false, reason: `the Ed25519 signature of the tree head of size ${h.treeSize} is not valid` };
  return { valid: true, reason: `the tree head of size ${h.treeSize} is signed by the log's key` };
}

/**
 * Checks an inclusion proof: the head is signed by the published key, the leaf is recomputed from
 * the entry, and the path leads from it to the head's root.
 */
export async function checkInclusionProof(p: InclusionProof, logKey: { key: CryptoKey; keyId: string }): Promise<Check> {
  const head = await checkTreeHead(p.head, logKey);
  if (!head.valid) return head;
  if (!p.path.every((h) => HEX64.test(h))) return { valid: false, reason: 'a path element is not 32 bytes of hex' };
  let leaf: Uint8Array;
  try {
    leaf = await leafHash(entryLeafBytes(p.entry));
  } catch (e) {
    return { valid: false, reason: `the entry cannot be hashed: ${(e as Error).message}` };
  }
  const root = await rootFromInclusion(p.leafIndex, p.head.treeSize, leaf, p.path.map(hexToBytes));
  if (root === null || bytesToHex(root) !== p.head.rootHash)
    return { valid: false, reason: `entry ${p.entry.id} is not leaf ${p.leafIndex} of the signed tree of ${p.head.treeSize} leaves: the path does not lead to the signed root` };
  return { valid: true, reason: `entry ${p.entry.id} is leaf ${p.leafIndex} of the signed tree of ${p.head.treeSize} leaves (signature and path checked in this browser)` };
}

/** A copy of the proof with one thing changed, to show that the check notices. */
export function tampered(p: InclusionProof): InclusionProof {
  return { ...p, entry: { ...p.entry, details: p.entry.details.replace(/^\{/, '{"tampered":true,').replace(/,\}$/, '}') } };
}
