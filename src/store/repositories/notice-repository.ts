import { sql, type Kysely, type Selectable } from 'kysely';
import type { DeliveryState, Notice, NoticeAttempt, NoticeDelivery, NoticeEventType, WebhookEndpoint } from '../../domain/index.ts';
import { keysetPage } from '../keyset-page.ts';
import type { NoticeRepository } from '../ports.ts';
import type { DB, NoticeAttemptsTable, NoticeDeliveriesTable, WebhookEndpointsTable } from '../schema.ts';

const toEndpoint = (r: Selectable<WebhookEndpointsTable>): WebhookEndpoint => ({
  id: r.id,
  partyId: r.party_id,
  url: r.url,
  eventTypes: r.event_types as NoticeEventType[],
  enabled: r.enabled,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toDelivery = (r: Selectable<NoticeDeliveriesTable>): NoticeDelivery => ({
  id: Number(r.id),
  noticeId: r.notice_id,
  endpointId: r.endpoint_id,
  partyId: r.party_id,
  state: r.state as DeliveryState,
  attempts: r.attempts,
  maxAttempts: r.max_attempts,
  nextAttemptAt: r.next_attempt_at,
  jobId: r.job_id,
  deliveredAt: r.delivered_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toAttempt = (r: Selectable<NoticeAttemptsTable>): NoticeAttempt => ({
  deliveryId: Number(r.delivery_id),
  attempt: r.attempt,
  at: r.at,
  statusCode: r.status_code,
  error: r.error,
  latencyMs: r.latency_ms,
  replay: r.replay,
});

export function noticeRepository(db: Kysely<DB>): NoticeRepository {
  return {
    async insertEndpoint(e, sealed) {
      await db
        .insertInto('webhook_endpoints')
        .values({
          id: e.id,
          party_id: e.partyId,
          url: e.url,
          event_types: JSON.stringify(e.eventTypes),
          secret_sealed: sealed,
          enabled: e.enabled,
          created_at: e.createdAt,
          updated_at: e.updatedAt,
        })
        .execute();
    },
    async endpoint(id) {
      const r = await db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
      return r && { endpoint: toEndpoint(r), secretSealed: r.secret_sealed };
    },
    async endpointsOf(partyId) {
      return (await db.selectFrom('webhook_endpoints').selectAll().where('party_id', '=', partyId).orderBy('id').execute()).map(toEndpoint);
    },
    async updateEndpoint(id, p, at) {
      await db
        .updateTable('webhook_endpoints')
        .set({
          ...(p.url !== undefined ? { url: p.url } : {}),
          ...(p.eventTypes !== undefined ? { event_types: JSON.stringify(p.eventTypes) } : {}),
          ...(p.enabled !== undefined ? { enabled: p.enabled } : {}),
          updated_at: at,
        })
        .where('id', '=', id)
        .execute();
    },
    async subscribers(partyIds, eventType) {
      if (partyIds.length === 0) return [];
      const rows = await db
        .selectFrom('webhook_endpoints')
        .selectAll()
        .where('party_id', 'in', [...partyIds])
        .where('enabled', '=', true)
        .where(sql<boolean>`event_types @> ${JSON.stringify([eventType])}::jsonb`)
        .orderBy('id')
        .execute();
      return rows.map(toEndpoint);
    },
    async insertNotices(ns) {
      if (ns.length === 0) return;
      await db
        .insertInto('notices')
        .values(ns.map((n) => ({ id: n.id, event_type: n.eventType, party_id: n.partyId, data: JSON.stringify(n.data), created_at: n.createdAt })))
        .execute();
    },
    async notice(id) {
      const r = await db.selectFrom('notices').selectAll().where('id', '=', id).executeTakeFirst();
      return (
        r && ({ id: r.id, eventType: r.event_type as NoticeEventType, partyId: r.party_id, data: r.data as Record<string, unknown>, createdAt: r.created_at } satisfies Notice)
      );
    },
    async insertDeliveries(ds) {
      if (ds.length === 0) return [];
      const rows = await db
        .insertInto('notice_deliveries')
        .values(
          ds.map((d) => ({
            notice_id: d.noticeId,
            endpoint_id: d.endpointId,
            party_id: d.partyId,
            state: 'pending',
            max_attempts: d.maxAttempts,
            next_attempt_at: d.nextAttemptAt,
            created_at: d.createdAt,
            updated_at: d.createdAt,
          })),
        )
        .returning(['id', 'notice_id', 'endpoint_id'])
        .execute();
      // RETURNING's order is not promised: matched back by (notice, endpoint), which is unique.
      const ids = new Map(rows.map((r) => [`${r.notice_id} ${r.endpoint_id}`, Number(r.id)]));
      return ds.map((d) => ids.get(`${d.noticeId} ${d.endpointId}`)!);
    },
    async delivery(id) {
      const r = await db.selectFrom('notice_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toDelivery(r);
    },
    async deliveryForUpdate(id) {
      const r = await db.selectFrom('notice_deliveries').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      return r && toDelivery(r);
    },
    async updateDelivery(id, p, at) {
      await db
        .updateTable('notice_deliveries')
        .set({
          ...(p.state !== undefined ? { state: p.state } : {}),
          ...(p.attempts !== undefined ? { attempts: p.attempts } : {}),
          ...(p.maxAttempts !== undefined ? { max_attempts: p.maxAttempts } : {}),
          ...(p.nextAttemptAt !== undefined ? { next_attempt_at: p.nextAttemptAt } : {}),
          ...(p.jobId !== undefined ? { job_id: p.jobId } : {}),
          ...(p.deliveredAt !== undefined ? { delivered_at: p.deliveredAt } : {}),
          updated_at: at,
        })
        .where('id', '=', id)
        .execute();
    },
    deliveryPage(f, page) {
      let q = db.selectFrom('notice_deliveries').selectAll();
      if (f.partyId !== undefined) q = q.where('party_id', '=', f.partyId);
      if (f.state !== undefined) q = q.where('state', '=', f.state);
      if (f.endpointId !== undefined) q = q.where('endpoint_id', '=', f.endpointId);
      if (f.noticeId !== undefined) q = q.where('notice_id', '=', f.noticeId);
      return keysetPage(q, { columns: ['id'], direction: 'desc' }, page, toDelivery, (r) => [Number(r.id)]);
    },
    async unqueued(limit) {
      const rows = await db
        .selectFrom('notice_deliveries')
        .selectAll()
        .where('state', '=', 'pending')
        .where('job_id', 'is', null)
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(limit)
        // Two workers sweeping at once take different rows (the caller's transaction holds them).
        .forUpdate()
        .skipLocked()
        .execute();
      return rows.map(toDelivery);
    },
    async appendAttempt(a) {
      await db
        .insertInto('notice_attempts')
        .values({ delivery_id: a.deliveryId, attempt: a.attempt, at: a.at, status_code: a.statusCode, error: a.error, latency_ms: a.latencyMs, replay: a.replay })
        .execute();
    },
    async attempts(deliveryId) {
      return (await db.selectFrom('notice_attempts').selectAll().where('delivery_id', '=', deliveryId).orderBy('attempt').orderBy('id').execute()).map(toAttempt);
    },
  };
}
