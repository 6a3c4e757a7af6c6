import { sql, type Kysely } from 'kysely';
import type { AuditEntry, AuditRepository, RetentionAnchor, SignedTreeHead, StoredLeaf } from '../ports.ts';
import type { DB } from '../schema.ts';

// The advisory lock held by whichever process is sequencing the audit log (one at a time). Writers
// of entries never take it.
const SEQUENCER_LOCK = 5_318_008_009;

type EntryRow = { id: number; at: Date; actor_party_id: string; action: string; entity: string; details: string };
const toEntry = (r: EntryRow): AuditEntry => ({ id: r.id, at: r.at, actorPartyId: r.actor_party_id, action: r.action, entity: r.entity, details: r.details });
type HeadRow = { tree_size: number; root_hash: string; signed_at: Date; key_id: string; signature: string };
const toHead = (r: HeadRow): SignedTreeHead => ({ treeSize: r.tree_size, rootHash: r.root_hash, timestamp: r.signed_at, keyId: r.key_id, signature: r.signature });

function chunks<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

export function auditRepository(db: Kysely<DB>): AuditRepository {
  return {
    async append(e) {
      const r = await sql<{ id: number }>`
        WITH e AS (
          INSERT INTO audit_log (at, actor_party_id, action, entity, details)
          VALUES (${e.at}, ${e.actorPartyId}, ${e.action}, ${e.entity}, ${e.details})
          RETURNING id)
        INSERT INTO audit_pending (entry_id) SELECT id FROM e RETURNING entry_id AS id`.execute(db);
      return r.rows[0]!.id;
    },
    async page(afterId, limit, actorPartyId) {
      let q = db.selectFrom('audit_log').select(['id', 'at', 'actor_party_id', 'action', 'entity', 'details']).where('id', '>', afterId);
      if (actorPartyId !== undefined) q = q.where('actor_party_id', '=', actorPartyId);
      const rows = await q.orderBy('id').limit(limit).execute();
      return rows.map(toEntry);
    },
    async entry(id) {
      const r = await db.selectFrom('audit_log').select(['id', 'at', 'actor_party_id', 'action', 'entity', 'details']).where('id', '=', id).executeTakeFirst();
      return r ? toEntry(r) : undefined;
    },
    async tryLockSequencer() {
      const r = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${SEQUENCER_LOCK}) AS ok`.execute(db);
      return r.rows[0]!.ok === true;
    },
    async lockSequencer() {
      await sql`SELECT pg_advisory_xact_lock(${SEQUENCER_LOCK})`.execute(db);
    },
    async pendingBatch(limit) {
      const rows = await db
        .selectFrom('audit_pending as p')
        .innerJoin('audit_log as l', 'l.id', 'p.entry_id')
        .select(['l.id', 'l.at', 'l.actor_party_id', 'l.action', 'l.entity', 'l.details'])
        .orderBy('p.entry_id')
        .limit(limit)
        .execute();
      return rows.map(toEntry);
    },
    async pendingStats() {
      const r = await sql<{ n: number; oldest: Date | null }>`
        SELECT count(*) AS n, min(l.at) AS oldest FROM audit_pending p LEFT JOIN audit_log l ON l.id = p.entry_id`.execute(db);
      return { count: Number(r.rows[0]?.n ?? 0), oldest: r.rows[0]?.oldest ?? null };
    },
    async nodes(coords) {
      const out = new Map<string, string>();
      for (const part of chunks(coords, 1_000)) {
        if (part.length === 0) continue;
        const r = await sql<{ level: number; idx: number; hash: string }>`
          SELECT level, idx, hash FROM audit_nodes
          WHERE (level, idx) IN (${sql.join(part.map((c) => sql`(${c.level}::smallint, ${c.idx}::bigint)`))})`.execute(db);
        for (const n of r.rows) out.set(`${n.level}/${n.idx}`, n.hash);
      }
      return out;
    },
    async integrate(leaves, nodes) {
      for (const part of chunks(leaves, 5_000))
        await db
          .insertInto('audit_leaves')
          .values(part.map((l) => ({ position: l.position, entry_id: l.entryId })))
          .execute();
      for (const part of chunks(nodes, 5_000))
        await db
          .insertInto('audit_nodes')
          .values(part.map((n) => ({ level: n.level, idx: n.idx, hash: n.hash })))
          .execute();
      for (const part of chunks(leaves, 5_000))
        await db
          .deleteFrom('audit_pending')
          .where(
            'entry_id',
            'in',
            part.map((l) => l.entryId),
          )
          .execute();
    },
    async insertHead(h) {
      await db.insertInto('audit_heads').values({ tree_size: h.treeSize, root_hash: h.rootHash, signed_at: h.timestamp, key_id: h.keyId, signature: h.signature }).execute();
    },
    async latestHead() {
      const r = await db.selectFrom('audit_heads').selectAll().orderBy('tree_size', 'desc').limit(1).executeTakeFirst();
      return r ? toHead(r) : undefined;
    },
    async head(treeSize) {
      const r = await db.selectFrom('audit_heads').selectAll().where('tree_size', '=', treeSize).executeTakeFirst();
      return r ? toHead(r) : undefined;
    },
    async heads(afterSize, limit) {
      const rows = await db.selectFrom('audit_heads').selectAll().where('tree_size', '>', afterSize).orderBy('tree_size').limit(limit).execute();
      return rows.map(toHead);
    },
    async positionOf(entryId) {
      const r = await db.selectFrom('audit_leaves').select('position').where('entry_id', '=', entryId).executeTakeFirst();
      return r?.position;
    },
    async leaves(fromPosition, limit) {
      const rows = await db
        .selectFrom('audit_leaves as v')
        .leftJoin('audit_log as l', 'l.id', 'v.entry_id')
        .leftJoin('audit_nodes as n', (j) => j.on('n.level', '=', 0).onRef('n.idx', '=', 'v.position'))
        .select(['v.position', 'v.entry_id', 'l.id', 'l.at', 'l.actor_party_id', 'l.action', 'l.entity', 'l.details', 'n.hash'])
        .where('v.position', '>=', fromPosition)
        .orderBy('v.position')
        .limit(limit)
        .execute();
      return rows.map((r): StoredLeaf => ({
        position: r.position,
        entryId: r.entry_id,
        entry: r.id === null ? null : toEntry(r as EntryRow),
        hash: r.hash,
      }));
    },
    async orphans(limit) {
      const r = await sql<{ id: number }>`
        SELECT l.id FROM audit_log l
        WHERE NOT EXISTS (SELECT 1 FROM audit_leaves v WHERE v.entry_id = l.id)
          AND NOT EXISTS (SELECT 1 FROM audit_pending p WHERE p.entry_id = l.id)
        ORDER BY l.id LIMIT ${limit}`.execute(db);
      return r.rows.map((x) => x.id);
    },
    async anchor() {
      const a = await db.selectFrom('audit_anchor').selectAll().executeTakeFirst();
      return a ? { position: a.position, frontier: JSON.parse(a.frontier) as string[], prunedAt: a.pruned_at, keyId: a.key_id, signature: a.signature } : null;
    },
    async setAnchor(a: RetentionAnchor) {
      const row = { position: a.position, frontier: JSON.stringify(a.frontier), pruned_at: a.prunedAt, key_id: a.keyId, signature: a.signature };
      await db
        .insertInto('audit_anchor')
        .values({ id: 1, ...row })
        .onConflict((oc) => oc.column('id').doUpdateSet(row))
        .execute();
    },
    async firstLeafNotBefore(from, before) {
      const r = await db
        .selectFrom('audit_leaves as v')
        .innerJoin('audit_log as l', 'l.id', 'v.entry_id')
        .select((eb) => eb.fn.min('v.position').as('p'))
        .where('v.position', '>=', from)
        .where('l.at', '>=', before)
        .executeTakeFirst();
      return r?.p ?? null;
    },
    async removeEntries(from, to) {
      if (to <= from) return 0;
      await sql`SET LOCAL meterops.audit_retention = 'on'`.execute(db);
      const res = await sql`DELETE FROM audit_log WHERE id IN (SELECT entry_id FROM audit_leaves WHERE position >= ${from} AND position < ${to})`.execute(db);
      await sql`SET LOCAL meterops.audit_retention = 'off'`.execute(db);
      return Number(res.numAffectedRows ?? 0);
    },
  };
}
