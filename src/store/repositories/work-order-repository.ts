import { sql, type Kysely, type Selectable } from 'kysely';
import type { Eui, HhtUseCase, OrderCommand, WorkOrder } from '../../domain/index.ts';
import { dateKey, keysetPage } from '../keyset-page.ts';
import type { WorkOrderRepository } from '../ports.ts';
import type { DB, WorkOrderCommandsTable, WorkOrdersTable } from '../schema.ts';

const toOrder = (r: Selectable<WorkOrdersTable>): WorkOrder => ({
  id: r.id,
  supplierPartyId: r.supplier_party_id,
  premiseId: r.premise_id,
  state: r.state as WorkOrder['state'],
  createdBy: r.created_by,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  pulledBy: r.pulled_by,
  pulledAt: r.pulled_at,
  closedAt: r.closed_at,
  assignedTo: r.assigned_to,
  assignedAt: r.assigned_at,
  assignedBy: r.assigned_by,
});
const toCommand = (r: Selectable<WorkOrderCommandsTable>): OrderCommand => ({
  orderId: r.order_id,
  seq: r.seq,
  deviceEui: r.device_eui as Eui,
  useCase: r.use_case as HhtUseCase,
  variant: r.variant as 2 | 6,
  counter: BigInt(r.counter),
  frame: r.frame,
  pence: r.pence,
  state: r.state as OrderCommand['state'],
  response: r.response,
  responseKind: r.response_kind as OrderCommand['responseKind'],
  outcome: r.outcome,
  deliveredAt: r.delivered_at,
  uploadedAt: r.uploaded_at,
});
const CHUNK = 1_000;

export function workOrderRepository(db: Kysely<DB>): WorkOrderRepository {
  return {
    async insert(o, commands) {
      await db
        .insertInto('work_orders')
        .values({
          id: o.id,
          supplier_party_id: o.supplierPartyId,
          premise_id: o.premiseId,
          state: o.state,
          created_by: o.createdBy,
          created_at: o.createdAt,
          expires_at: o.expiresAt,
          pulled_by: o.pulledBy,
          pulled_at: o.pulledAt,
          closed_at: o.closedAt,
          assigned_to: o.assignedTo,
          assigned_at: o.assignedAt,
          assigned_by: o.assignedBy,
        })
        .execute();
      if (!commands.length) return;
      await db
        .insertInto('work_order_commands')
        .values(
          commands.map((c) => ({
            order_id: c.orderId,
            seq: c.seq,
            device_eui: c.deviceEui,
            use_case: c.useCase,
            variant: c.variant,
            counter: c.counter.toString(),
            frame: c.frame,
            pence: c.pence,
            state: c.state,
            response: c.response,
            response_kind: c.responseKind,
            outcome: c.outcome,
            delivered_at: c.deliveredAt,
            uploaded_at: c.uploadedAt,
          })),
        )
        .execute();
    },
    async get(id) {
      const r = await db.selectFrom('work_orders').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toOrder(r);
    },
    async getForUpdate(id) {
      const r = await db.selectFrom('work_orders').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      return r && toOrder(r);
    },
    async getManyForUpdate(ids) {
      const out: WorkOrder[] = [];
      const sorted = [...ids].sort();
      for (let i = 0; i < sorted.length; i += CHUNK) {
        const rows = await db
          .selectFrom('work_orders')
          .selectAll()
          .where('id', 'in', sorted.slice(i, i + CHUNK))
          .orderBy('id')
          .forUpdate()
          .execute();
        out.push(...rows.map(toOrder));
      }
      return out;
    },
    async commands(orderId) {
      return (await db.selectFrom('work_order_commands').selectAll().where('order_id', '=', orderId).orderBy('seq').execute()).map(toCommand);
    },
    async commandsForUpdate(orderIds) {
      const out: OrderCommand[] = [];
      for (let i = 0; i < orderIds.length; i += CHUNK) {
        const ids = orderIds.slice(i, i + CHUNK);
        const rows = await db.selectFrom('work_order_commands').selectAll().where('order_id', 'in', ids).orderBy('order_id').orderBy('seq').forUpdate().execute();
        out.push(...rows.map(toCommand));
      }
      return out;
    },
    async page(f, page) {
      let q = db.selectFrom('work_orders').selectAll();
      if (f.supplierPartyId) q = q.where('supplier_party_id', '=', f.supplierPartyId);
      if (f.state) q = q.where('state', '=', f.state);
      if (f.premiseId) q = q.where('premise_id', '=', f.premiseId);
      if (f.assignees) {
        const named = f.assignees.filter((a): a is string => a !== null);
        const unassigned = f.assignees.includes(null);
        q = q.where((eb) => eb.or([...(named.length ? [eb('assigned_to', 'in', named)] : []), ...(unassigned ? [eb('assigned_to', 'is', null)] : [])]));
      }
      // Newest first, as the list has always been; the id breaks ties within a millisecond.
      return keysetPage(q, { columns: ['created_at', 'id'], direction: 'desc' }, page, toOrder, (r) => [dateKey(r.created_at), r.id]);
    },
    async list(f) {
      let q = db.selectFrom('work_orders').selectAll().orderBy('created_at', 'desc').orderBy('id').limit(f.limit);
      if (f.supplierPartyId) q = q.where('supplier_party_id', '=', f.supplierPartyId);
      if (f.state) q = q.where('state', '=', f.state);
      return (await q.execute()).map(toOrder);
    },
    async setState(id, p) {
      await db
        .updateTable('work_orders')
        .set({
          state: p.state,
          ...(p.pulledBy !== undefined ? { pulled_by: p.pulledBy } : {}),
          ...(p.pulledAt !== undefined ? { pulled_at: p.pulledAt } : {}),
          ...(p.closedAt !== undefined ? { closed_at: p.closedAt } : {}),
        })
        .where('id', '=', id)
        .execute();
    },
    async assign(id, a) {
      await db.updateTable('work_orders').set({ assigned_to: a.assignedTo, assigned_at: a.assignedAt, assigned_by: a.assignedBy }).where('id', '=', id).execute();
    },
    async recordResponses(rows) {
      // One UPDATE per chunk: an HHT's day of responses is thousands of rows.
      for (let i = 0; i < rows.length; i += CHUNK) {
        const values = sql.join(
          rows
            .slice(i, i + CHUNK)
            .map(
              (r) => sql`(${r.orderId}, ${r.seq}::int, ${r.state}, ${r.response}, ${r.responseKind}, ${r.outcome}, ${r.deliveredAt}::timestamptz, ${r.uploadedAt}::timestamptz)`,
            ),
        );
        await sql`UPDATE work_order_commands AS c SET state = v.state, response = v.response, response_kind = v.kind, outcome = v.outcome,
            delivered_at = v.delivered_at, uploaded_at = v.uploaded_at
          FROM (VALUES ${values}) AS v(order_id, seq, state, response, kind, outcome, delivered_at, uploaded_at)
          WHERE c.order_id = v.order_id AND c.seq = v.seq AND c.response IS NULL`.execute(db);
      }
    },
    async confirmedLatencies(limit) {
      const r = await sql<{ use_case: string; s: number }>`SELECT c.use_case, EXTRACT(EPOCH FROM c.uploaded_at - o.created_at)::float8 AS s
        FROM work_order_commands c JOIN work_orders o ON o.id = c.order_id WHERE c.uploaded_at IS NOT NULL ORDER BY c.uploaded_at DESC LIMIT ${limit}`.execute(db);
      return r.rows.map((x) => ({ useCase: x.use_case, seconds: Number(x.s) }));
    },
    async expire(now) {
      const orders = await db
        .updateTable('work_orders')
        .set({ state: 'expired', closed_at: now })
        .where('state', 'in', ['open', 'pulled'])
        .where('expires_at', '<=', now)
        .returning('id')
        .execute();
      if (orders.length) {
        await db
          .updateTable('work_order_commands')
          .set({ state: 'expired' })
          .where('state', '=', 'pending')
          .where(
            'order_id',
            'in',
            orders.map((o) => o.id),
          )
          .execute();
      }
      return orders.map((o) => o.id);
    },
  };
}
