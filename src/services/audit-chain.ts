import { createHash } from 'node:crypto';

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level: one text per value, so one hash. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

export interface AuditFields {
  readonly id: number;
  readonly at: Date;
  readonly actorPartyId: string;
  readonly action: string;
  readonly entity: string;
  /** Canonical JSON text. */
  readonly details: string;
}

/** Each entry's hash covers the previous hash and every field of the entry, its id included. */
export function auditHash(prevHash: string, e: AuditFields): string {
  return createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(canonicalJson({ id: e.id, at: e.at.toISOString(), actor: e.actorPartyId, action: e.action, entity: e.entity, details: e.details }))
    .digest('hex');
}
