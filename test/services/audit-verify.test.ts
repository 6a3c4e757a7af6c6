// verifyAudit and pruneAudit on one embedded database per test: paging through the log, the
// retention rules (who, how many days), the signed anchor retention keeps, and verification of
// what remains from it.
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { sql } from 'kysely';
import { anchorBytes, ForbiddenError, signatureValid, ValidationError } from '../../src/domain/index.ts';
import { audit, pruneAudit, verifyAudit } from '../../src/services/audit.ts';
import { drainAudit } from '../../src/services/audit-sequencer.ts';
import { auditConsistencyProof } from '../../src/services/audit-proofs.ts';
import { checkConsistencyProof } from '../../src/domain/index.ts';
import { storeOn, type Store } from '../../src/store/store.ts';
import { freshPglite } from '../support/backends.ts';
import { aParty, depsFor, testAuditKey } from '../support/builders.ts';

const DAY = 86_400_000;
const t0 = new Date('2026-01-01T00:00:00Z');
const keys = [testAuditKey.publicKey];

/** n entries a day apart, each placed by the sequencer on its day (one signed head each). */
async function withEntries(t: TestContext, n: number): Promise<Store> {
  const store = storeOn(await freshPglite());
  t.after(() => store.close());
  for (let i = 0; i < n; i++) {
    const at = new Date(t0.getTime() + i * DAY);
    await store.transaction((tx) => audit(tx, at, 'p-a', 'duty.done', `duty/${i}`, { i }));
    await drainAudit(store, testAuditKey, () => at);
  }
  return store;
}

describe('verifying and pruning the audit log', () => {
  it('verifies an empty log, and a log of any length in pages of any size', async (t) => {
    const empty = storeOn(await freshPglite());
    t.after(() => empty.close());
    const v0 = await verifyAudit(empty, keys);
    assert.deepEqual([v0.entries, v0.valid, v0.firstBroken, v0.treeSize, v0.heads], [0, true, null, 0, 0]);
    const store = await withEntries(t, 7);
    for (const pageSize of [1, 2, 3, 6, 7, 8, 5_000]) {
      const v = await verifyAudit(store, keys, pageSize);
      assert.deepEqual([v.entries, v.valid, v.heads, v.treeSize], [7, true, 7, 7], `page size ${pageSize}`);
    }
  });

  it('names every broken entry however the pages fall, reading them all', async (t) => {
    const store = await withEntries(t, 6);
    const ids = (await store.read.audit.page(0, 10)).map((e) => e.id);
    const db = store.database.db;
    await sql.raw('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only').execute(db);
    await sql`UPDATE audit_log SET entity = 'duty/x' WHERE id IN (${ids[1]!}, ${ids[3]!})`.execute(db);
    await sql.raw('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only').execute(db);
    for (const pageSize of [1, 2, 4, 5_000]) {
      const v = await verifyAudit(store, keys, pageSize);
      assert.deepEqual([v.valid, v.entries, v.problemCount, v.problems.map((p) => p.id)], [false, 6, 2, [ids[1], ids[3]]], `page size ${pageSize}`);
      assert.equal(v.firstBroken!.reason, 'its contents do not match its hash (the entry was edited)');
    }
  });

  it('lets only the DCC prune, by a whole number of days from 1 to 36500', async (t) => {
    const store = await withEntries(t, 2);
    const dcc = aParty({ role: 'dcc' });
    const deps = depsFor(store, () => new Date(t0.getTime() + 400 * DAY));
    await assert.rejects(pruneAudit(deps, aParty({ role: 'supplier' }), 30), (e: unknown) => e instanceof ForbiddenError && e.rule === 'audit-retention');
    for (const days of [0, -1, 1.5, 36_501, Number.NaN])
      await assert.rejects(pruneAudit(deps, dcc, days), (e: unknown) => e instanceof ValidationError && e.rule === 'retention-days', String(days));
    assert.equal(await pruneAudit(deps, dcc, 36_500), 0, 'nothing is 100 years old');
    assert.equal((await store.read.audit.page(0, 10)).length, 3, 'the two entries and the prune entry');
    assert.equal(await store.read.audit.anchor(), null, 'nothing removed, no anchor');
  });

  it('removes entries older than the retention, keeps a signed anchor, then verifies from it', async (t) => {
    // Ten entries a day apart (days 0..9); pruning 5 days at day 12 removes days 0..6.
    const store = await withEntries(t, 10);
    const dcc = aParty({ role: 'dcc' });
    const now = new Date(t0.getTime() + 12 * DAY);
    const deps = depsFor(store, () => now);
    assert.equal(await pruneAudit(deps, dcc, 5), 7);
    const anchor = (await store.read.audit.anchor())!;
    assert.deepEqual([anchor.position, anchor.frontier.length, anchor.prunedAt.toISOString()], [7, 3, now.toISOString()], 'leaves 0..6: subtrees of 4, 2 and 1');
    assert.equal(signatureValid(anchorBytes(anchor), anchor.signature, testAuditKey.publicKey), true);
    const left = await store.read.audit.page(0, 20);
    assert.deepEqual(
      left.map((e) => e.entity),
      ['duty/7', 'duty/8', 'duty/9', 'audit'],
    );
    assert.deepEqual(left.at(-1)!.details, '{"days":5,"removed":7}');
    let v = await verifyAudit(store, keys);
    assert.deepEqual([v.valid, v.entries, v.integrated, v.pending, v.retainedFrom, v.treeSize], [true, 4, 3, 1, 7, 10], JSON.stringify(v.problems));
    await drainAudit(store, testAuditKey, () => now);
    v = await verifyAudit(store, keys);
    assert.deepEqual([v.valid, v.integrated, v.treeSize], [true, 4, 11]);
    // The heads of the pruned days still prove themselves prefixes of today's tree.
    const p = await auditConsistencyProof(deps, 3, 11);
    assert.equal(checkConsistencyProof(p, testAuditKey.publicKey).valid, true);
    // Removing the first entry after the anchor is found; a forged anchor too.
    await sql.raw('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only').execute(store.database.db);
    await sql`DELETE FROM audit_log WHERE id = ${left[0]!.id}`.execute(store.database.db);
    v = await verifyAudit(store, keys);
    assert.deepEqual([v.valid, v.firstBroken?.id, v.firstBroken?.position], [false, left[0]!.id, 7]);
    assert.match(v.firstBroken!.reason, /is missing \(it was deleted\)/);
    await sql`UPDATE audit_anchor SET position = 8`.execute(store.database.db);
    v = await verifyAudit(store, keys);
    assert.match(v.firstBroken!.reason, /retention anchor at leaf 8 is not signed by a trusted key/);
  });
});
