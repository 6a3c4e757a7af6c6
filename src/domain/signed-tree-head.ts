import { createHash, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';

/** What a log's signing key does: sign bytes (Ed25519). The private key stays behind the verb. */
export interface AuditKey {
  /** SHA-256 of the public key's SubjectPublicKeyInfo (DER), hex. */
  readonly keyId: string;
  readonly publicKey: KeyObject;
  sign(data: Uint8Array): Uint8Array;
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/** The log's commitment to its first treeSize leaves: RFC 9162's tree head (size, root, time), signed. */
export interface SignedTreeHead {
  readonly treeSize: number;
  /** MTH of the first treeSize leaves, hex. */
  readonly rootHash: string;
  readonly timestamp: Date;
  readonly keyId: string;
  /** Ed25519 over treeHeadBytes, base64. */
  readonly signature: string;
}

/** The signed text of a tree head: canonical JSON naming the log, so no other signed text passes for one. */
export function treeHeadBytes(h: Pick<SignedTreeHead, 'treeSize' | 'rootHash' | 'timestamp'>): Uint8Array {
  return Buffer.from(canonicalJson({ log: 'meterops-audit/v1', kind: 'tree-head', treeSize: h.treeSize, rootHash: h.rootHash, timestamp: h.timestamp.getTime() }), 'utf8');
}

/**
 * Retention's anchor: the leaves before `position` were removed on purpose, and these are the
 * complete subtrees of those leaves (rangeNodes(0, position)), from which the rest still verifies.
 */
export interface RetentionAnchor {
  readonly position: number;
  /** Hashes of rangeNodes(0, position), hex. */
  readonly frontier: readonly string[];
  readonly prunedAt: Date;
  readonly keyId: string;
  readonly signature: string;
}

export function anchorBytes(a: Pick<RetentionAnchor, 'position' | 'frontier' | 'prunedAt'>): Uint8Array {
  return Buffer.from(canonicalJson({ log: 'meterops-audit/v1', kind: 'retention-anchor', position: a.position, frontier: a.frontier, prunedAt: a.prunedAt.getTime() }), 'utf8');
}

/** Whether `signature` (base64) is the key's Ed25519 signature over `data`. */
export function signatureValid(data: Uint8Array, signature: string, publicKey: KeyObject): boolean {
  try {
    return verify(null, data, publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
