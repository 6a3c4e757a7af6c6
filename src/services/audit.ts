import { ForbiddenError, ValidationError, type Party } from '../domain/index.ts';
import type { StoreTx } from '../store/ports.ts';
import type { Store } from '../store/store.ts';
import { auditHash, canonicalJson, GENESIS_HASH } from './audit-chain.ts';
import type { ServiceDeps } from './deps.ts';

/**
 * Appends one entry to the hash-chained audit log, in the caller's transaction, so the entry
 * exists exactly when the change it records does.
 */
export async function audit(tx: StoreTx, at: Date, actorPartyId: string, action: string, entity: string, details: Record<string, unknown> = {}): Promise<void> {
  const prevHash = (await tx.audit.lockHead()) ?? GENESIS_HASH;
  const id = await tx.audit.nextId();
  const fields = { id, at, actorPartyId, action, entity, details: canonicalJson(details) };
  await tx.audit.insert({ ...fields, prevHash, hash: auditHash(prevHash, fields) });
}

export interface AuditVerification {
  readonly entries: number;
  readonly valid: boolean;
  /** The first entry that does not fit the chain, and why. */
  readonly firstBroken: { readonly id: number; readonly reason: string } | null;
}

/** Walks the chain from its anchor (genesis, or the last entry retention removed) to its head. */
export async function verifyAudit(store: Store, pageSize = 5_000): Promise<AuditVerification> {
  const anchor = await store.read.audit.anchor();
  let prev = anchor?.lastPrunedHash ?? GENESIS_HASH;
  let expectedId = anchor ? anchor.lastPrunedId + 1 : null;
  let after = anchor?.lastPrunedId ?? 0;
  let n = 0;
  for (;;) {
    const page = await store.read.audit.page(after, pageSize);
    for (const e of page) {
      n++;
      if (expectedId !== null && e.id !== expectedId) {
        return { entries: n, valid: false, firstBroken: { id: e.id, reason: `entry ${expectedId} is missing before entry ${e.id}` } };
      }
      if (e.prevHash !== prev)
        return { entries: n, valid: false, firstBroken: { id: e.id, reason: 'its previous-hash does not match the entry before it (an entry was removed or changed)' } };
      if (auditHash(prev, e) !== e.hash) return { entries: n, valid: false, firstBroken: { id: e.id, reason: 'its contents do not match its hash (the entry was edited)' } };
      prev = e.hash;
      expectedId = e.id + 1;
      after = e.id;
    }
    if (page.length < pageSize) return { entries: n, valid: true, firstBroken: null };
  }
}

/** Retention: removes entries older than `days`, keeping the chain verifiable from the last one removed. */
export async function pruneAudit(deps: ServiceDeps, actor: Party, days: number): Promise<number> {
  if (actor.role !== 'dcc') throw new ForbiddenError('audit-retention', 'only the DCC party applies audit retention');
  if (!Number.isInteger(days) || days < 1 || days > 36_500) throw new ValidationError('days', 'retention-days', 'retention is a whole number of days from 1 to 36500');
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    await tx.audit.lockHead();
    const removed = await tx.audit.prune(new Date(now.getTime() - days * 86_400_000), now);
    await audit(tx, now, actor.id, 'audit.pruned', `audit`, { days, removed });
    return removed;
  });
}
