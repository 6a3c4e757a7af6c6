import { sql, type Kysely } from 'kysely';
import type { AuditEntry, AuditRepository } from '../ports.ts';
import type { DB } from '../schema.ts';

// The advisory lock that serialises appends to the chain (PGlite has one session anyway).
const AUDIT_LOCK = 5_318_008_004;

export function auditRepository(db: Kysely<DB>): AuditRepository {
  return {
    async lockHead() {
      await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(db);
      const last = await db.selectFrom('audit_log').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
      if (last) return last.hash;
      const anchor = await db.selectFrom('audit_anchor').select('last_pruned_hash').executeTakeFirst();
      return anchor?.last_pruned_hash ?? null;
    },
    async nextId() {
      const r = await sql<{ id: number }>`SELECT nextval('audit_log_id_seq') AS id`.execute(db);
      return r.rows[0]!.id;
    },
    async insert(e) {
      await db
        .insertInto('audit_log')
        .values({ id: e.id, at: e.at, actor_party_id: e.actorPartyId, action: e.action, entity: e.entity, details: e.details, prev_hash: e.prevHash, hash: e.hash })
        .execute();
    },
    async page(afterId, limit) {
      const rows = await db.selectFrom('audit_log').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute();
      return rows.map((r): AuditEntry => ({
        id: r.id,
        at: r.at,
        actorPartyId: r.actor_party_id,
        action: r.action,
        entity: r.entity,
        details: r.details,
        prevHash: r.prev_hash,
        hash: r.hash,
      }));
    },
    async anchor() {
      const a = await db.selectFrom('audit_anchor').select(['last_pruned_id', 'last_pruned_hash']).executeTakeFirst();
      return a ? { lastPrunedId: a.last_pruned_id, lastPrunedHash: a.last_pruned_hash } : null;
    },
    async prune(before, at) {
      const last = await db.selectFrom('audit_log').select(['id', 'hash']).where('at', '<', before).orderBy('id', 'desc').limit(1).executeTakeFirst();
      if (!last) return 0;
      await sql`SET LOCAL meterops.audit_retention = 'on'`.execute(db);
      const res = await db.deleteFrom('audit_log').where('id', '<=', last.id).executeTakeFirst();
      await sql`SET LOCAL meterops.audit_retention = 'off'`.execute(db);
      await db
        .insertInto('audit_anchor')
        .values({ id: 1, last_pruned_id: last.id, last_pruned_hash: last.hash, pruned_at: at })
        .onConflict((oc) => oc.column('id').doUpdateSet({ last_pruned_id: last.id, last_pruned_hash: last.hash, pruned_at: at }))
        .execute();
      return Number(res.numDeletedRows);
    },
  };
}
