// Migration 0009 on a database that already has a hash-chained audit log (0004): the old entries
// become pending, the first sequencer run places them as the first leaves in id order, and the log
// then verifies; entries written after it follow them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { audit, verifyAudit } from '../../src/services/audit.ts';
import { drainAudit } from '../../src/services/audit-sequencer.ts';
import { loadMigrations, migrate } from '../../src/store/migrate.ts';
import { storeOn } from '../../src/store/store.ts';
import { testAuditKey } from '../support/builders.ts';
import { UNMIGRATED_BACKENDS } from '../support/unmigrated-backends.ts';

const backends = UNMIGRATED_BACKENDS;

for (const b of backends) {
  describe(`migration 0009 over an existing audit chain on ${b.name}`, { skip: b.skip }, () => {
    it('places the old entries first, in id order, and the log verifies', async () => {
      const { db, drop } = await b.open();
      try {
        await migrate(
          db,
          loadMigrations().filter((m) => m.version < '0009'),
        );
        // Three entries as 0004's chain wrote them (the chain's hashes do not matter any more), with
        // a gap in the ids where a transaction rolled back.
        for (const [i, entity] of ['duty/1', 'duty/2', 'duty/3'].entries()) {
          if (i === 2) await sql`SELECT nextval('audit_log_id_seq')`.execute(db.db);
          const id = Number((await sql<{ id: string }>`SELECT nextval('audit_log_id_seq') AS id`.execute(db.db)).rows[0]!.id);
          await sql`INSERT INTO audit_log (id, at, actor_party_id, action, entity, details, prev_hash, hash)
                    VALUES (${id}, ${new Date(Date.UTC(2026, 0, 1 + i))}, 'p-a', 'duty.done', ${entity}, ${'{"n":' + i + '}'}, ${'0'.repeat(64)}, ${'1'.repeat(64)})`.execute(
            db.db,
          );
        }
        const report = await migrate(db);
        assert.deepEqual(
          report.applied,
          loadMigrations()
            .filter((m) => m.version >= '0009')
            .map((m) => `${m.version}_${m.name}`),
        );
        const store = storeOn(db);
        const before = await verifyAudit(store, [testAuditKey.publicKey]);
        assert.deepEqual([before.valid, before.pending, before.integrated], [true, 3, 0]);
        await store.transaction((tx) => audit(tx, new Date(Date.UTC(2026, 5, 1)), 'p-b', 'vend.credit', 'vend/1'));
        await drainAudit(store, testAuditKey);
        const v = await verifyAudit(store, [testAuditKey.publicKey]);
        assert.deepEqual([v.valid, v.pending, v.integrated, v.treeSize], [true, 0, 4, 4], JSON.stringify(v.problems));
        const leaves = await store.read.audit.leaves(0, 10);
        assert.deepEqual(
          leaves.map((l) => l.entry?.entity),
          ['duty/1', 'duty/2', 'duty/3', 'vend/1'],
        );
      } finally {
        await drop();
      }
    });
  });
}
