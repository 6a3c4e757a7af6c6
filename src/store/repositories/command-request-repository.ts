import { sql, type Kysely, type Selectable } from 'kysely';
import type { AnomalyAlert, CommandRequest, CommandRequestStatus, SensitiveCommand } from '../../domain/index.ts';
import { keysetPage } from '../keyset-page.ts';
import type { CommandRequestRepository } from '../ports.ts';
import type { CommandRequestsTable, DB } from '../schema.ts';

const toRequest = (r: Selectable<CommandRequestsTable>): CommandRequest => ({
  id: r.id,
  partyId: r.party_id,
  requestedBy: r.requested_by,
  commandType: r.command_type as SensitiveCommand,
  target: r.target,
  status: r.status as CommandRequestStatus,
  requestedAt: r.requested_at,
  releasedBy: r.released_by,
  releasedAt: r.released_at,
});

export function commandRequestRepository(db: Kysely<DB>): CommandRequestRepository {
  return {
    async page(f, page) {
      let q = db.selectFrom('command_requests').selectAll();
      if (f.partyId) q = q.where('party_id', '=', f.partyId);
      if (f.status) q = q.where('status', '=', f.status);
      if (f.commandType) q = q.where('command_type', '=', f.commandType);
      return keysetPage(q, { columns: ['id'], direction: 'desc' }, page, toRequest, (r) => [r.id]);
    },
    async lockWindow(partyId, type) {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`${partyId}/${type}`}))`.execute(db);
    },
    async decide(d) {
      const r = await sql<{ request_id: string; status: CommandRequestStatus; was_held: boolean; in_window: number }>`SELECT * FROM meterops_decide_volume(
        ${d.partyId}, ${d.commandType}, ${d.target}, ${d.requestedBy}, ${d.requestedAt}::timestamptz, ${d.since}::timestamptz, ${d.max}::int)`.execute(db);
      const row = r.rows[0]!;
      return { id: Number(row.request_id), status: row.status, wasHeld: row.was_held, inWindow: row.in_window };
    },
    async countSince(partyId, type, since) {
      const r = await sql<{ n: number }>`SELECT COALESCE(sum(n), 0)::int AS n FROM command_volume
        WHERE party_id = ${partyId} AND command_type = ${type} AND minute >= date_trunc('minute', ${since}::timestamptz)`.execute(db);
      return r.rows[0]!.n;
    },
    async firstHeld(partyId, type) {
      const r = await db
        .selectFrom('command_requests')
        .selectAll()
        .where('party_id', '=', partyId)
        .where('command_type', '=', type)
        .where('status', '=', 'held')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      return (
        r && {
          id: r.id,
          partyId: r.party_id,
          requestedBy: r.requested_by,
          commandType: r.command_type as SensitiveCommand,
          target: r.target,
          status: r.status as CommandRequestStatus,
          requestedAt: r.requested_at,
          releasedBy: r.released_by,
          releasedAt: r.released_at,
        }
      );
    },
    async insert(r) {
      const row = await db
        .insertInto('command_requests')
        .values({ party_id: r.partyId, requested_by: r.requestedBy, command_type: r.commandType, target: r.target, status: r.status, requested_at: r.requestedAt })
        .returning('id')
        .executeTakeFirstOrThrow();
      await sql`INSERT INTO command_volume (party_id, command_type, minute, n) VALUES (${r.partyId}, ${r.commandType}, date_trunc('minute', ${r.requestedAt}::timestamptz), 1)
        ON CONFLICT (party_id, command_type, minute) DO UPDATE SET n = command_volume.n + 1`.execute(db);
      return row.id;
    },
    async releaseHeld(partyId, type, by, at) {
      const res = await db
        .updateTable('command_requests')
        .set({ status: 'released', released_by: by, released_at: at })
        .where('party_id', '=', partyId)
        .where('command_type', '=', type)
        .where('status', '=', 'held')
        .executeTakeFirst();
      return Number(res.numUpdatedRows);
    },
    async takeReleased(partyId, type, target) {
      const row = await db
        .selectFrom('command_requests')
        .select('id')
        .where('party_id', '=', partyId)
        .where('command_type', '=', type)
        .where('target', '=', target)
        .where('status', '=', 'released')
        .orderBy('id')
        .limit(1)
        .forUpdate()
        .executeTakeFirst();
      if (!row) return false;
      await db.updateTable('command_requests').set({ status: 'sent' }).where('id', '=', row.id).execute();
      return true;
    },
    async insertAlert(a) {
      await db
        .insertInto('anomaly_alerts')
        .values({
          party_id: a.partyId,
          command_type: a.commandType,
          raised_at: a.raisedAt,
          due_by: a.dueBy,
          window_count: a.windowCount,
          limit_count: a.limit,
          notified: JSON.stringify(a.notified),
        })
        .execute();
    },
    async alerts(partyId) {
      let q = db.selectFrom('anomaly_alerts').selectAll();
      if (partyId) q = q.where('party_id', '=', partyId);
      return (await q.orderBy('id').execute()).map((r): AnomalyAlert => ({
        partyId: r.party_id,
        commandType: r.command_type as SensitiveCommand,
        raisedAt: r.raised_at,
        dueBy: r.due_by,
        windowCount: r.window_count,
        limit: r.limit_count,
        notified: JSON.parse(r.notified),
      }));
    },
  };
}
