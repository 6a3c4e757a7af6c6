import type { KeyObject } from 'node:crypto';
import { auditLeafBytes } from './audit-entry.ts';
import { leafHash, verifyConsistency, verifyInclusion } from './merkle-tree.ts';
import { keyIdOf, signatureValid, treeHeadBytes } from './signed-tree-head.ts';

/** A signed tree head as JSON carries it. */
export interface TreeHeadJson {
  readonly treeSize: number;
  readonly rootHash: string;
  readonly timestamp: string;
  readonly keyId: string;
  readonly signature: string;
}

/** An entry, where it sits in the tree, the path to the root, and the signed head of that tree. */
export interface InclusionProofJson {
  readonly entry: { readonly id: number; readonly at: string; readonly actorPartyId: string; readonly action: string; readonly entity: string; readonly details: string };
  readonly leafIndex: number;
  readonly path: string[];
  readonly head: TreeHeadJson;
}

/** Two signed heads and the proof (RFC 9162 section 2.1.4) that the first tree is a prefix of the second. */
export interface ConsistencyProofJson {
  readonly first: TreeHeadJson;
  readonly second: TreeHeadJson;
  readonly path: string[];
}

export interface ProofCheck {
  readonly valid: boolean;
  readonly reason: string;
}

const HEX64 = /^[0-9a-f]{64}$/;
const bytes = (hex: string) => Buffer.from(hex, 'hex');

function headProblem(h: TreeHeadJson, publicKey: KeyObject): string | null {
  if (!Number.isSafeInteger(h.treeSize) || h.treeSize < 1) return 'the tree head has no valid size';
  if (!HEX64.test(h.rootHash)) return 'the tree head root is not 32 bytes of hex';
  const t = new Date(h.timestamp);
  if (Number.isNaN(t.getTime())) return 'the tree head has no valid timestamp';
  if (h.keyId !== keyIdOf(publicKey)) return `the tree head was signed by key ${h.keyId}, not by the key given`;
  if (!signatureValid(treeHeadBytes({ treeSize: h.treeSize, rootHash: h.rootHash, timestamp: t }), h.signature, publicKey))
    return `the signature of the tree head of size ${h.treeSize} is not valid`;
  return null;
}

/**
 * Checks an inclusion proof with nothing but the log's public key: the leaf is recomputed from
 * the entry, the path leads to the head's root (RFC 9162 section 2.1.3.2), and the head is signed.
 */
export function checkInclusionProof(p: InclusionProofJson, publicKey: KeyObject): ProofCheck {
  const bad = headProblem(p.head, publicKey);
  if (bad) return { valid: false, reason: bad };
  if (!p.path.every((h) => HEX64.test(h))) return { valid: false, reason: 'a path element is not 32 bytes of hex' };
  const at = new Date(p.entry.at);
  if (Number.isNaN(at.getTime())) return { valid: false, reason: 'the entry has no valid time' };
  let leaf: Uint8Array;
  try {
    leaf = leafHash(auditLeafBytes({ ...p.entry, at }));
  } catch (e) {
    return { valid: false, reason: `the entry is not in canonical form: ${(e as Error).message}` };
  }
  if (!verifyInclusion(p.leafIndex, p.head.treeSize, leaf, p.path.map(bytes), bytes(p.head.rootHash)))
    return { valid: false, reason: `entry ${p.entry.id} is not leaf ${p.leafIndex} of the signed tree of ${p.head.treeSize} leaves` };
  return { valid: true, reason: `entry ${p.entry.id} is leaf ${p.leafIndex} of the signed tree of ${p.head.treeSize} leaves` };
}

/** Checks a consistency proof between two signed heads (RFC 9162 section 2.1.4.2), both signatures included. */
export function checkConsistencyProof(p: ConsistencyProofJson, publicKey: KeyObject): ProofCheck {
  for (const h of [p.first, p.second]) {
    const bad = headProblem(h, publicKey);
    if (bad) return { valid: false, reason: bad };
  }
  if (!p.path.every((h) => HEX64.test(h))) return { valid: false, reason: 'a proof element is not 32 bytes of hex' };
  if (!verifyConsistency(p.first.treeSize, p.second.treeSize, p.path.map(bytes), bytes(p.first.rootHash), bytes(p.second.rootHash)))
    return { valid: false, reason: `the tree of ${p.first.treeSize} leaves is not shown to be a prefix of the tree of ${p.second.treeSize}` };
  return { valid: true, reason: `the tree of ${p.first.treeSize} leaves is a prefix of the tree of ${p.second.treeSize}` };
}
