// Migration 0009 on a database that already has a hash-chained audit log (0004): the old entries
// become pending, the first sequencer run places them as the first leaves in id order, and the log
// then verifies; entries written after it follow them.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import pg from 'pg';
import { audit, verifyAudit } from '../../src/services/audit.ts';
import { drainAudit } from '../../src/services/audit-sequencer.ts';
import { fromPglite, openDatabase, type Database } from '../../src/store/database.ts';
import { INT8_OID, parseInt8 } from '../../src/store/int8.ts';
import { loadMigrations, migrate } from '../../src/store/migrate.ts';
import { storeOn } from '../../src/store/store.ts';
import { PG_URL } from '../support/backends.ts';
import { testAuditKey } from '../support/builders.ts';
import { skipBecause } from '../support/skips.ts';

const backends: ReadonlyArray<{ name: string; skip: string | false; open(): Promise<{ db: Database; drop(): Promise<void> }> }> = [
  {
    name: 'pglite',
    skip: false,
    open: async () => {
      const db = fromPglite(await PGlite.create({ parsers: { [INT8_OID]: parseInt8 } }));
      return { db, drop: () => db.close() };
    },
  },
  {
    name: 'postgres',
    skip: PG_URL ? false : skipBecause('postgres', 'PostgreSQL suite skipped: set METEROPS_TEST_DATABASE_URL to run it'),
    open: async () => {
      const schema = `t_${randomBytes(6).toString('hex')}`;
      const db = await openDatabase({ kind: 'postgres', url: PG_URL!, schema, poolSize: 2 });
      return {
        db,
        async drop() {
          await db.close();
          const c = new pg.Client({ connectionString: PG_URL });
          await c.connect();
          await c.query(`DROP SCHEMA ${schema} CASCADE`);
          await c.end();
        },
      };
    },
  },
];

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
