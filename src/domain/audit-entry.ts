import { canonicalJson } from './canonical-json.ts';

/** One entry of the audit trail: a leaf of the audit Merkle log once the sequencer has placed it. */
export interface AuditEntry {
  readonly id: number;
  readonly at: Date;
  readonly actorPartyId: string;
  readonly action: string;
  readonly entity: string;
  /** Canonical JSON text (RFC 8785), hashed as stored. */
  readonly details: string;
}

/**
 * The bytes of an entry's leaf: the RFC 8785 canonical JSON of its fields as stored (the details
 * as their stored text; strings exactly as they are, which audit() wrote in NFC), UTF-8. Hashing
 * the stored text byte for byte means any edit changes the leaf, a respelling in another
 * normalisation form included.
 */
export function auditLeafBytes(e: AuditEntry): Uint8Array {
  const text = canonicalJson({ id: e.id, at: e.at.toISOString(), actor: e.actorPartyId, action: e.action, entity: e.entity, details: e.details }, { exact: true });
  return Buffer.from(text, 'utf8');
}
