// Migration 0018: a facility's secure status is granted by another party, never declared by its
// owner, so a status an owner declared before it lapses, and the store refuses a secure facility
// with no grant recorded.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../../src/store/database.ts';
import { loadMigrations, migrate } from '../../src/store/migrate.ts';

describe('migration 0018: facility grants', () => {
  it('lapses a self-declared secure status, and refuses a secure facility without a grant', async () => {
    const database = await openDatabase({ kind: 'pglite', dataDir: null });
    try {
      const all = loadMigrations();
      await migrate(
        database,
        all.filter((m) => m.version < '0018'),
      );
      const db = database.db;
      await sql`INSERT INTO parties (id, name, role) VALUES ('mig-supplier', 'S', 'supplier')`.execute(db);
      await sql`INSERT INTO facilities (id, party_id, name, secure, smets2_triage, created_at) VALUES
        ('declared', 'mig-supplier', 'Self-declared lab', true, true, now()), ('plain', 'mig-supplier', 'Stores', false, false, now())`.execute(db);
      const report = await migrate(database, all);
      assert.ok(
        report.applied.some((v) => v.startsWith('0018')),
        JSON.stringify(report.applied),
      );
      const rows = await sql<{ id: string; secure: boolean; smets2_triage: boolean; secure_granted_by: string | null }>`
        SELECT id, secure, smets2_triage, secure_granted_by FROM facilities ORDER BY id`.execute(db);
      assert.deepEqual(rows.rows, [
        { id: 'declared', secure: false, smets2_triage: false, secure_granted_by: null },
        { id: 'plain', secure: false, smets2_triage: false, secure_granted_by: null },
      ]);
      await assert.rejects(sql`UPDATE facilities SET secure = true WHERE id = 'plain'`.execute(db), /facilities_secure_granted/);
      await assert.rejects(sql`UPDATE facilities SET smets2_triage = true WHERE id = 'plain'`.execute(db), /facilities_smets2_needs_secure/);
    } finally {
      await database.close();
    }
  });
});
