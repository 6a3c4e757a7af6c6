// The audit Merkle log on each backend: each leaf is SHA-256(0x00 || the entry's RFC 8785 JSON),
// computed here by hand; entries are pending until the sequencer places them and signs a head;
// editing any field, deleting, reordering a leaf or forging a head is found, every one of them
// (verification does not stop at the first); ids with gaps (a rolled-back transaction) are no
// fault; 100 concurrent appends and concurrent sequencers keep one valid log.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { audit, verifyAudit } from '../../src/services/audit.ts';
import { drainAudit, sequenceAudit } from '../../src/services/audit-sequencer.ts';
import { treeHeadBytes, signatureValid } from '../../src/domain/index.ts';
import { auditKeyFromSeed } from '../../src/keys/audit-key-file.ts';
import type { Store } from '../../src/store/store.ts';
import { BACKENDS } from '../support/backends.ts';
import { testAuditKey } from '../support/builders.ts';

const sha256 = (...parts: Array<string | Uint8Array>) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};
/** The leaf hash by hand: 0x00, then the fields as JSON with sorted keys, no spaces. */
const leafByHand = (e: { id: number; at: string; actor: string; action: string; entity: string; details: string }) =>
  sha256(
    Uint8Array.of(0),
    `{"action":${JSON.stringify(e.action)},"actor":${JSON.stringify(e.actor)},"at":${JSON.stringify(e.at)},"details":${JSON.stringify(e.details)},"entity":${JSON.stringify(e.entity)},"id":${e.id}}`,
  );
const node = (l: string, r: string) => sha256(Uint8Array.of(1), Buffer.from(l, 'hex'), Buffer.from(r, 'hex'));
const keys = [testAuditKey.publicKey];

async function withTriggerOff(store: Store, table: string, statement: string): Promise<void> {
  const db = store.database.db;
  const trigger = table === 'audit_log' ? 'audit_log_append_only' : `${table}_append_only`;
  await sql.raw(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`).execute(db);
  await sql.raw(statement).execute(db);
  await sql.raw(`ALTER TABLE ${table} ENABLE TRIGGER ${trigger}`).execute(db);
}

async function threeEntries(store: Store): Promise<number[]> {
  for (let i = 0; i < 3; i++) await store.transaction((tx) => audit(tx, new Date(Date.UTC(2026, 10, 1, 9, i)), 'p-a', 'duty.done', `duty/${i}`, { i }));
  await drainAudit(store, testAuditKey);
  return (await store.read.audit.page(0, 10)).map((e) => e.id);
}

for (const backend of BACKENDS) {
  describe(`the audit Merkle log on ${backend.name}`, { skip: backend.skip ?? false }, () => {
    let store: Store;
    before(async () => {
      store = await backend.open();
    });
    after(async () => store?.close());

    const fresh = async (fn: (s: Store) => Promise<void>) => {
      const s = await backend.open();
      try {
        await fn(s);
      } finally {
        await s.close();
      }
    };

    it('hashes each leaf over its canonical JSON, roots by RFC 9162, and signs the head with the key', () =>
      fresh(async (s) => {
        await s.transaction((tx) => audit(tx, new Date('2026-11-01T09:00:00.000Z'), 'p-a', 'duty.done', 'duty/1', { n: 2, evidence: 'ref 1' }));
        await s.transaction((tx) => audit(tx, new Date('2026-11-01T09:00:01.500Z'), 'p-b', 'vend.credit', 'vend/2', {}));
        const [e1, e2] = await s.read.audit.page(0, 10);
        assert.ok(e1 && e2);
        assert.equal(e1.details, '{"evidence":"ref 1","n":2}');
        // Pending until the sequencer runs: counted, not faulted.
        const before = await verifyAudit(s, keys);
        assert.deepEqual([before.valid, before.entries, before.pending, before.integrated, before.treeSize], [true, 2, 2, 0, 0]);
        const run = await sequenceAudit(s, testAuditKey, () => new Date('2026-11-01T09:00:02.000Z'));
        assert.deepEqual([run.leader, run.integrated, run.head?.treeSize], [true, 2, 2]);
        const l1 = leafByHand({ id: e1.id, at: '2026-11-01T09:00:00.000Z', actor: 'p-a', action: 'duty.done', entity: 'duty/1', details: '{"evidence":"ref 1","n":2}' });
        const l2 = leafByHand({ id: e2.id, at: '2026-11-01T09:00:01.500Z', actor: 'p-b', action: 'vend.credit', entity: 'vend/2', details: '{}' });
        const head = (await s.read.audit.latestHead())!;
        assert.equal(head.rootHash, node(l1, l2));
        assert.equal(head.timestamp.toISOString(), '2026-11-01T09:00:02.000Z');
        assert.equal(head.keyId, sha256(testAuditKey.publicKey.export({ type: 'spki', format: 'der' })));
        // The signed text, by hand, and Ed25519 over it.
        const text = `{"kind":"tree-head","log":"meterops-audit/v1","rootHash":"${node(l1, l2)}","timestamp":${Date.parse('2026-11-01T09:00:02.000Z')},"treeSize":2}`;
        assert.equal(Buffer.from(treeHeadBytes(head)).toString(), text);
        assert.equal(signatureValid(Buffer.from(text), head.signature, testAuditKey.publicKey), true);
        assert.equal(signatureValid(Buffer.from(text), head.signature, auditKeyFromSeed(new Uint8Array(32).fill(8)).publicKey), false);
        const v = await verifyAudit(s, keys);
        assert.deepEqual([v.valid, v.entries, v.pending, v.integrated, v.heads, v.treeSize], [true, 2, 0, 2, 1, 2]);
        // Page size does not change the answer.
        assert.deepEqual(await verifyAudit(s, keys, 1), v);
        // Nothing pending: a run signs nothing new.
        assert.equal((await sequenceAudit(s, testAuditKey)).integrated, 0);
        assert.equal((await s.read.audit.heads(0, 10)).length, 1);
      }));

    const edits: ReadonlyArray<[string, string]> = [
      ['at', `UPDATE audit_log SET at = at + interval '1 second' WHERE id = $1`],
      ['actor', `UPDATE audit_log SET actor_party_id = 'someone-else' WHERE id = $1`],
      ['action', `UPDATE audit_log SET action = 'duty.exempt' WHERE id = $1`],
      ['entity', `UPDATE audit_log SET entity = 'duty/999' WHERE id = $1`],
      ['details', `UPDATE audit_log SET details = '{"evidence":"forged"}' WHERE id = $1`],
      ['details, to an NFD spelling', `UPDATE audit_log SET details = '{"m":"Cafe' || chr(769) || '"}' WHERE id = $1`],
    ];
    for (const [field, statement] of edits) {
      it(`finds an entry whose ${field} was edited behind the append-only trigger`, () =>
        fresh(async (s) => {
          const ids = await threeEntries(s);
          await withTriggerOff(s, 'audit_log', statement.replace('$1', String(ids[1])));
          const v = await verifyAudit(s, keys);
          assert.equal(v.valid, false);
          assert.equal(v.firstBroken?.id, ids[1], JSON.stringify(v.problems));
          assert.match(v.firstBroken!.reason, /edited/);
          assert.equal(v.integrated, 3, 'every leaf was read');
        }));
    }

    it('finds a leaf edited together with its stored hash, by the signed root', () =>
      fresh(async (s) => {
        const ids = await threeEntries(s);
        await withTriggerOff(s, 'audit_log', `UPDATE audit_log SET entity = 'duty/x' WHERE id = ${ids[0]}`);
        const e = (await s.read.audit.entry(ids[0]!))!;
        const forged = leafByHand({ id: e.id, at: e.at.toISOString(), actor: e.actorPartyId, action: e.action, entity: e.entity, details: e.details });
        await withTriggerOff(s, 'audit_nodes', `UPDATE audit_nodes SET hash = '${forged}' WHERE level = 0 AND idx = 0`);
        const v = await verifyAudit(s, keys);
        assert.equal(v.valid, false);
        assert.match(v.problems.map((p) => p.reason).join('\n'), /do not give the signed root of the tree of 3 leaves/);
      }));

    it('finds an entry deleted from the middle, and checks every entry after it', () =>
      fresh(async (s) => {
        const ids = await threeEntries(s);
        await withTriggerOff(s, 'audit_log', `DELETE FROM audit_log WHERE id = ${ids[1]}`);
        await withTriggerOff(s, 'audit_log', `UPDATE audit_log SET entity = 'duty/x' WHERE id = ${ids[2]}`);
        const v = await verifyAudit(s, keys);
        assert.deepEqual(
          v.problems.map((p) => [p.id, p.position]),
          [
            [ids[1], 1],
            [ids[2], 2],
          ],
        );
        assert.match(v.problems[0]!.reason, /missing \(it was deleted\)/);
        assert.match(v.problems[1]!.reason, /edited/);
      }));

    it('finds two leaves swapped (reordered), and a leaf removed from the tree', () =>
      fresh(async (s) => {
        const ids = await threeEntries(s);
        await withTriggerOff(s, 'audit_leaves', `UPDATE audit_leaves SET entry_id = -1 WHERE position = 0`);
        await withTriggerOff(s, 'audit_leaves', `UPDATE audit_leaves SET entry_id = ${ids[0]} WHERE position = 1`);
        await withTriggerOff(s, 'audit_leaves', `UPDATE audit_leaves SET entry_id = ${ids[1]} WHERE position = 0`);
        let v = await verifyAudit(s, keys);
        assert.deepEqual(
          v.problems.map((p) => p.position),
          [0, 1],
        );
        await withTriggerOff(s, 'audit_leaves', `DELETE FROM audit_leaves WHERE position = 2`);
        v = await verifyAudit(s, keys);
        assert.ok(
          v.problems.some((p) => p.position === 2 && /leaves 2 to 2 are missing/.test(p.reason)),
          JSON.stringify(v.problems),
        );
        assert.ok(v.problems.some((p) => p.id === ids[2] && /neither in the tree nor pending/.test(p.reason)));
      }));

    it('finds a forged head, a head by another key, and a head whose signed root was changed', () =>
      fresh(async (s) => {
        await threeEntries(s);
        await withTriggerOff(s, 'audit_heads', `UPDATE audit_heads SET root_hash = repeat('a', 64)`);
        let v = await verifyAudit(s, keys);
        assert.match(v.problems.map((p) => p.reason).join('\n'), /signature of the tree head of size 3 is not valid/);
        v = await verifyAudit(s, [auditKeyFromSeed(new Uint8Array(32).fill(9)).publicKey]);
        assert.match(v.firstBroken!.reason, /signed by key [0-9a-f]{64}, which is not trusted/);
      }));

    it('is not troubled by gaps in the entry ids (a transaction rolled back after taking an id)', () =>
      fresh(async (s) => {
        await s.transaction((tx) => audit(tx, new Date(), 'p-a', 'duty.done', 'duty/1'));
        await assert.rejects(
          s.transaction(async (tx) => {
            await audit(tx, new Date(), 'p-a', 'duty.done', 'duty/rolled-back');
            throw new Error('the change failed after its audit entry');
          }),
          /the change failed/,
        );
        await s.transaction((tx) => audit(tx, new Date(), 'p-a', 'duty.done', 'duty/3'));
        await drainAudit(s, testAuditKey);
        const ids = (await s.read.audit.page(0, 10)).map((e) => e.id);
        assert.equal(ids.length, 2);
        assert.equal(ids[1]! - ids[0]!, 2, 'the rolled-back entry left a gap');
        const v = await verifyAudit(s, keys);
        assert.deepEqual([v.valid, v.integrated, v.treeSize], [true, 2, 2]);
      }));

    it('refuses an entry whose text is not well-formed, and writes nothing', () =>
      fresh(async (s) => {
        await assert.rejects(
          s.transaction((tx) => audit(tx, new Date(), 'p-a', 'arrangement.recorded', 'arrangement/x', { manufacturer: '\ud800' })),
          (e: unknown) => (e as { field?: string; rule?: string }).field === 'manufacturer' && (e as { rule?: string }).rule === 'well-formed-unicode',
        );
        await assert.rejects(
          s.transaction((tx) => audit(tx, new Date(), 'p-a', 'x', 'entity\u0000')),
          (e: unknown) => (e as { rule?: string }).rule === 'no-nul',
        );
        assert.equal((await s.read.audit.page(0, 10)).length, 0);
      }));

    it('keeps one valid log through 100 concurrent appends and concurrent sequencer runs', async () => {
      const N = 100;
      const at = new Date('2026-11-01T12:00:00Z');
      const writes = Promise.all(Array.from({ length: N }, (_, i) => store.transaction((tx) => audit(tx, at, `p-${i % 7}`, 'request.sent', `request/${i}`, { i }))));
      const runs: Array<Promise<{ leader: boolean; integrated: number }>> = [];
      for (let i = 0; i < 10; i++) runs.push(sequenceAudit(store, testAuditKey, () => at, 7));
      await writes;
      const results = await Promise.all(runs);
      await drainAudit(store, testAuditKey);
      const entries = await store.read.audit.page(0, 100_000);
      assert.equal(entries.filter((e) => e.action === 'request.sent').length, N);
      assert.equal(new Set(entries.map((e) => e.entity)).size, N, 'every append is there once');
      const v = await verifyAudit(store, keys);
      assert.deepEqual([v.valid, v.integrated, v.pending, v.treeSize], [true, N, 0, N], JSON.stringify(v.problems));
      assert.ok(v.heads >= 1);
      assert.ok(results.some((r) => r.leader));
      if (backend.name === 'postgres') assert.ok(results.reduce((n, r) => n + r.integrated, 0) <= N);
    });
  });
}
