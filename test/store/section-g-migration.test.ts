// Migration 0019 on a database that already holds vulnerabilities and duties (0004): each recorder
// becomes aware from its stated time ("recorded"), old duties keep their rows with no G3.18(c)
// steps, and the new columns refuse steps without a completion time or on another duty.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { loadMigrations, migrate } from '../../src/store/migrate.ts';
import { storeOn } from '../../src/store/store.ts';
import { aParty, withParties } from '../support/builders.ts';
import { UNMIGRATED_BACKENDS } from '../support/unmigrated-backends.ts';

const backends = UNMIGRATED_BACKENDS;

for (const b of backends) {
  describe(`migration 0019 over existing Section G records on ${b.name}`, { skip: b.skip }, () => {
    it('makes each recorder aware from its stated time and leaves old duties without steps', async () => {
      const { db, drop } = await b.open();
      try {
        await migrate(
          db,
          loadMigrations().filter((m) => m.version < '0019'),
        );
        const supplier = aParty({ role: 'supplier' });
        await withParties(storeOn(db), supplier);
        const awareAt = new Date('2026-03-01T08:00:00Z');
        const recordedAt = new Date('2026-03-02T08:00:00Z');
        await sql`INSERT INTO vulnerabilities (id, title, manufacturer, models, firmware_versions, component, device_types, aware_party_id, aware_at, manufacturer_aware, description, recorded_at)
                  VALUES ('vuln-old', 'Old', 'M', '[]', '[]', 'user_systems_software', '[]', ${supplier.id}, ${awareAt}, false, null, ${recordedAt})`.execute(db.db);
        for (const duty of ['notify_ssc', 'rectify_or_mitigate'])
          await sql`INSERT INTO duties (id, vulnerability_id, party_id, duty, clause, device_count, state, deadline, created_at)
                    VALUES (${`duty-${duty}`}, 'vuln-old', ${supplier.id}, ${duty}, 'G3.18', 0, 'open', ${recordedAt}, ${recordedAt})`.execute(db.db);
        const report = await migrate(db);
        assert.deepEqual(
          report.applied,
          loadMigrations()
            .filter((m) => m.version >= '0019')
            .map((m) => `${m.version}_${m.name}`),
        );
        const store = storeOn(db);
        const a = await store.transaction((tx) => tx.obligations.awareness('vuln-old', supplier.id));
        assert.deepEqual(a, { vulnerabilityId: 'vuln-old', partyId: supplier.id, awareAt, basis: 'recorded', recordedBy: supplier.id, recordedAt, materiality: null });
        const ssc = await store.transaction((tx) => tx.obligations.duty('duty-notify_ssc'));
        assert.deepEqual([ssc?.sscSteps, ssc?.stepsCompleteBy], [null, null]);
        await assert.rejects(sql`UPDATE duties SET ssc_steps = 'patch' WHERE id = 'duty-notify_ssc'`.execute(db.db), /duties_ssc_steps/);
        await assert.rejects(sql`UPDATE duties SET ssc_steps = 'patch', steps_complete_by = now() WHERE id = 'duty-rectify_or_mitigate'`.execute(db.db), /duties_ssc_steps/);
        await assert.rejects(
          sql`INSERT INTO vulnerability_awareness (vulnerability_id, party_id, aware_at, basis, recorded_by, recorded_at) VALUES ('vuln-old', ${supplier.id}, now(), 'rumour', ${supplier.id}, now())`.execute(
            db.db,
          ),
          /vulnerability_awareness_basis_check/,
        );
      } finally {
        await drop();
      }
    });
  });
}
