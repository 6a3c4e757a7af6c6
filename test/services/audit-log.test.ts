// The hash chain itself: each entry's hash is SHA-256 over the previous hash and every field, as
// computed here independently of src/services/audit-chain.ts; editing any field is found; 100
// appends from concurrent transactions keep one valid chain.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { audit, verifyAudit } from '../../src/services/audit.ts';
import type { Store } from '../../src/store/store.ts';
import { BACKENDS } from '../support/backends.ts';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
/** The entry's hash by hand: the previous hash, a newline, then the fields as JSON with sorted keys. */
const byHand = (prev: string, e: { id: number; at: string; actor: string; action: string; entity: string; details: string }) =>
  sha256(
    `${prev}\n{"action":${JSON.stringify(e.action)},"actor":${JSON.stringify(e.actor)},"at":${JSON.stringify(e.at)},"details":${JSON.stringify(e.details)},"entity":${JSON.stringify(e.entity)},"id":${e.id}}`,
  );

for (const backend of BACKENDS) {
  describe(`the audit hash chain on ${backend.name}`, { skip: backend.skip ?? false }, () => {
    let store: Store;
    before(async () => {
      store = await backend.open();
    });
    after(async () => store?.close());

    it('chains from the genesis hash, each hash over the previous one and every field', async () => {
      const fresh = await backend.open();
      try {
        const at1 = new Date('2026-11-01T09:00:00.000Z');
        const at2 = new Date('2026-11-01T09:00:01.500Z');
        await fresh.transaction((tx) => audit(tx, at1, 'p-a', 'duty.done', 'duty/1', { evidence: 'ref 1', n: 2 }));
        await fresh.transaction((tx) => audit(tx, at2, 'p-b', 'vend.credit', 'vend/2', {}));
        const [e1, e2] = await fresh.read.audit.page(0, 10);
        assert.ok(e1 && e2);
        assert.equal(e1.prevHash, '0'.repeat(64));
        assert.equal(e1.details, '{"evidence":"ref 1","n":2}');
        assert.equal(
          e1.hash,
          byHand('0'.repeat(64), { id: e1.id, at: '2026-11-01T09:00:00.000Z', actor: 'p-a', action: 'duty.done', entity: 'duty/1', details: '{"evidence":"ref 1","n":2}' }),
        );
        assert.equal(e2.id, e1.id + 1);
        assert.equal(e2.prevHash, e1.hash);
        assert.equal(e2.hash, byHand(e1.hash, { id: e2.id, at: '2026-11-01T09:00:01.500Z', actor: 'p-b', action: 'vend.credit', entity: 'vend/2', details: '{}' }));
        assert.deepEqual(await verifyAudit(fresh), { entries: 2, valid: true, firstBroken: null });
        // Paging through the chain gives the same answer as one page.
        assert.deepEqual(await verifyAudit(fresh, 1), { entries: 2, valid: true, firstBroken: null });
      } finally {
        await fresh.close();
      }
    });

    const edits: ReadonlyArray<[string, string]> = [
      ['at', `UPDATE audit_log SET at = at + interval '1 second' WHERE id = $1`],
      ['actor', `UPDATE audit_log SET actor_party_id = 'someone-else' WHERE id = $1`],
      ['action', `UPDATE audit_log SET action = 'duty.exempt' WHERE id = $1`],
      ['entity', `UPDATE audit_log SET entity = 'duty/999' WHERE id = $1`],
      ['details', `UPDATE audit_log SET details = '{"evidence":"forged"}' WHERE id = $1`],
      ['hash', `UPDATE audit_log SET hash = repeat('a', 64) WHERE id = $1`],
    ];
    for (const [field, statement] of edits) {
      it(`finds an entry whose ${field} was edited behind the append-only trigger`, async () => {
        const fresh = await backend.open();
        try {
          for (let i = 0; i < 3; i++) await fresh.transaction((tx) => audit(tx, new Date(Date.UTC(2026, 10, 1, 9, i)), 'p-a', 'duty.done', `duty/${i}`, { i }));
          const ids = (await fresh.read.audit.page(0, 10)).map((e) => e.id);
          assert.equal(ids.length, 3);
          const victim = ids[1]!;
          const db = fresh.database.db;
          await sql.raw('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only').execute(db);
          await sql.raw(statement.replace('$1', String(victim))).execute(db);
          await sql.raw('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only').execute(db);
          const v = await verifyAudit(fresh);
          assert.equal(v.valid, false);
          // A changed hash shows at the entry after it, whose previous-hash no longer matches... or at itself.
          assert.equal(v.firstBroken?.id, victim, JSON.stringify(v));
          assert.match(v.firstBroken!.reason, /edited/);
        } finally {
          await fresh.close();
        }
      });
    }

    it('finds an entry removed from the middle of the chain', async () => {
      const fresh = await backend.open();
      try {
        for (let i = 0; i < 3; i++) await fresh.transaction((tx) => audit(tx, new Date(Date.UTC(2026, 10, 1, 9, i)), 'p-a', 'duty.done', `duty/${i}`, {}));
        const ids = (await fresh.read.audit.page(0, 10)).map((e) => e.id);
        const db = fresh.database.db;
        await sql.raw('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only').execute(db);
        await sql`DELETE FROM audit_log WHERE id = ${ids[1]!}`.execute(db);
        await sql.raw('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only').execute(db);
        const v = await verifyAudit(fresh);
        assert.deepEqual([v.valid, v.firstBroken?.id], [false, ids[2]]);
        assert.match(v.firstBroken!.reason, new RegExp(`entry ${ids[1]} is missing`));
      } finally {
        await fresh.close();
      }
    });

    it('keeps one valid chain through 100 appends from concurrent transactions', async () => {
      const N = 100;
      const before = (await store.read.audit.page(0, 100_000)).length;
      const at = new Date('2026-11-01T12:00:00Z');
      await Promise.all(Array.from({ length: N }, (_, i) => store.transaction((tx) => audit(tx, at, `p-${i % 7}`, 'request.sent', `request/${i}`, { i }))));
      const entries = await store.read.audit.page(0, 100_000);
      assert.equal(entries.length, before + N);
      const mine = entries.filter((e) => e.action === 'request.sent');
      assert.equal(mine.length, N);
      assert.deepEqual(new Set(mine.map((e) => e.entity)).size, N, 'every append is there once');
      for (let k = 1; k < entries.length; k++) {
        assert.equal(entries[k]!.id, entries[k - 1]!.id + 1, 'ids without a gap');
        assert.equal(entries[k]!.prevHash, entries[k - 1]!.hash, `entry ${entries[k]!.id} follows entry ${entries[k - 1]!.id}`);
      }
      assert.deepEqual(await verifyAudit(store), { entries: before + N, valid: true, firstBroken: null });
    });
  });
}
