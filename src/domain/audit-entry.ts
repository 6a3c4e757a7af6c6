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
 * The bytes of an entry's leaf: the RFC 8785 canonical JSON of its fields (the details as their
 * stored text), UTF-8. `strict` refuses a field that is not in canonical form (a verifier reading
 * a stored row: NFC strings only), so that no edit can hide behind normalisation.
 */
export function auditLeafBytes(e: AuditEntry, strict = false): Uint8Array {
  const text = canonicalJson({ id: e.id, at: e.at.toISOString(), actor: e.actorPartyId, action: e.action, entity: e.entity, details: e.details }, { strict });
  return Buffer.from(text, 'utf8');
}
