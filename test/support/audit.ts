import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { verifyAudit } from '../../src/services/audit.ts';
import { drainAudit } from '../../src/services/audit-sequencer.ts';
import { testAuditKey } from './builders.ts';
import type { AuditEntry } from '../../src/store/ports.ts';
import type { Store } from '../../src/store/store.ts';

export interface ExpectedEntry {
  readonly action: string;
  /** The exact entity, or a pattern where the id is not returned to the caller. */
  readonly entity: string | RegExp;
  readonly actor: string;
}

async function headId(store: Store): Promise<number> {
  const r = await sql<{ id: number | null }>`SELECT max(id) AS id FROM audit_log`.execute(store.database.db);
  return Number(r.rows[0]?.id ?? 0);
}

/**
 * Runs `op` and returns what it did and the audit entries it appended, after asserting that they
 * are exactly `expected` (action, entity, actor, in order), that they were pending until the
 * sequencer ran, and that the log then verifies with every entry in the signed tree.
 */
export async function auditedBy<T>(
  store: Store,
  expected: readonly ExpectedEntry[] | ((result: T) => readonly ExpectedEntry[]),
  op: () => Promise<T>,
): Promise<{ result: T; entries: AuditEntry[] }> {
  const before = await headId(store);
  const result = await op();
  const entries = await store.read.audit.page(before, 1_000);
  const want = typeof expected === 'function' ? expected(result) : expected;
  assert.equal(entries.length, want.length, `expected ${want.length} audit entries, got ${entries.length}: ${entries.map((e) => e.action).join(', ')}`);
  want.forEach((w, i) => {
    const e = entries[i]!;
    assert.equal(e.action, w.action, `entry ${i + 1}'s action`);
    if (typeof w.entity === 'string') assert.equal(e.entity, w.entity, `entry ${i + 1}'s entity`);
    else assert.match(e.entity, w.entity, `entry ${i + 1}'s entity`);
    assert.equal(e.actorPartyId, w.actor, `entry ${i + 1}'s actor`);
  });
  for (const e of entries) assert.equal(await store.read.audit.positionOf(e.id), undefined, `entry ${e.id} is pending until the sequencer runs`);
  await drainAudit(store, testAuditKey);
  const v = await verifyAudit(store, [testAuditKey.publicKey]);
  assert.equal(v.valid, true, JSON.stringify(v.problems));
  assert.equal(v.pending, 0, 'the sequencer placed every entry');
  return { result, entries };
}

/** Asserts that `op` is refused (as `refusal` says) and appends no audit entry. */
export async function refusedUnaudited(store: Store, op: () => Promise<unknown>, refusal: (e: unknown) => boolean): Promise<void> {
  const before = await headId(store);
  await assert.rejects(op(), refusal);
  assert.equal(await headId(store), before, 'a refused operation writes no audit entry');
}
