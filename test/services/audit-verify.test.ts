// verifyAudit and pruneAudit on one embedded database per test: paging through the chain, the
// retention rules (who, how many days), and verification from the retention anchor.
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { sql } from 'kysely';
import { ForbiddenError, ValidationError } from '../../src/domain/index.ts';
import { audit, pruneAudit, verifyAudit } from '../../src/services/audit.ts';
import { storeOn, type Store } from '../../src/store/store.ts';
import { freshPglite } from '../support/backends.ts';
import { aParty, depsFor } from '../support/builders.ts';

const DAY = 86_400_000;
const t0 = new Date('2026-01-01T00:00:00Z');

async function withEntries(t: TestContext, n: number, everyDays = 1): Promise<Store> {
  const store = storeOn(await freshPglite());
  t.after(() => store.close());
  for (let i = 0; i < n; i++) await store.transaction((tx) => audit(tx, new Date(t0.getTime() + i * everyDays * DAY), 'p-a', 'duty.done', `duty/${i}`, { i }));
  return store;
}

describe('verifying and pruning the audit chain', () => {
  it('verifies an empty log, and a log of any length in pages of any size', async (t) => {
    const empty = storeOn(await freshPglite());
    t.after(() => empty.close());
    assert.deepEqual(await verifyAudit(empty), { entries: 0, valid: true, firstBroken: null });
    const store = await withEntries(t, 7);
    for (const pageSize of [1, 2, 3, 6, 7, 8, 5_000]) assert.deepEqual(await verifyAudit(store, pageSize), { entries: 7, valid: true, firstBroken: null }, `page size ${pageSize}`);
  });

  it('names the first broken entry however the pages fall, and counts the entries it read', async (t) => {
    const store = await withEntries(t, 6);
    const ids = (await store.read.audit.page(0, 10)).map((e) => e.id);
    const db = store.database.db;
    await sql.raw('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only').execute(db);
    await sql`UPDATE audit_log SET entity = 'duty/x' WHERE id = ${ids[3]!}`.execute(db);
    await sql.raw('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only').execute(db);
    for (const pageSize of [1, 2, 4, 5_000]) {
      const v = await verifyAudit(store, pageSize);
      assert.deepEqual([v.valid, v.entries, v.firstBroken?.id], [false, 4, ids[3]], `page size ${pageSize}`);
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
  });

  it('removes entries older than the retention, then verifies from the anchor', async (t) => {
    // Ten entries a day apart (days 0..9); pruning 5 days at day 12 removes days 0..6.
    const store = await withEntries(t, 10);
    const before = await store.read.audit.page(0, 20);
    const dcc = aParty({ role: 'dcc' });
    const now = new Date(t0.getTime() + 12 * DAY);
    assert.equal(
      await pruneAudit(
        depsFor(store, () => now),
        dcc,
        5,
      ),
      7,
    );
    const anchor = await store.read.audit.anchor();
    assert.deepEqual(anchor, { lastPrunedId: before[6]!.id, lastPrunedHash: before[6]!.hash });
    const left = await store.read.audit.page(0, 20);
    assert.deepEqual(
      left.map((e) => e.entity),
      ['duty/7', 'duty/8', 'duty/9', 'audit'],
    );
    assert.deepEqual(left.at(-1)!.details, '{"days":5,"removed":7}');
    assert.deepEqual(await verifyAudit(store), { entries: 4, valid: true, firstBroken: null });
    // Removing the first entry after the anchor is found.
    await sql.raw('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only').execute(store.database.db);
    await sql`DELETE FROM audit_log WHERE id = ${left[0]!.id}`.execute(store.database.db);
    const v = await verifyAudit(store);
    assert.deepEqual([v.valid, v.entries, v.firstBroken?.id], [false, 1, left[1]!.id]);
    assert.equal(v.firstBroken!.reason, `entry ${left[0]!.id} is missing before entry ${left[1]!.id}`);
  });

  it('finds an entry whose previous hash was rewritten to match a forged chain', async (t) => {
    const store = await withEntries(t, 3);
    const ids = (await store.read.audit.page(0, 10)).map((e) => e.id);
    await sql.raw('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only').execute(store.database.db);
    await sql`UPDATE audit_log SET prev_hash = repeat('b', 64) WHERE id = ${ids[1]!}`.execute(store.database.db);
    const v = await verifyAudit(store);
    assert.deepEqual([v.valid, v.entries, v.firstBroken?.id], [false, 2, ids[1]]);
    assert.equal(v.firstBroken!.reason, 'its previous-hash does not match the entry before it (an entry was removed or changed)');
  });
});
