import { sql, type Kysely, type Selectable } from 'kysely';
import { assertCommandCountersFit, type Eui } from '../../domain/index.ts';
import { dateKey, keysetPage } from '../keyset-page.ts';
import type { Vend, VendRepository } from '../ports.ts';
import type { DB, VendsTable } from '../schema.ts';

const toVend = (r: Selectable<VendsTable>): Vend => ({
  id: r.id,
  supplierPartyId: r.supplier_party_id,
  idempotencyKey: r.idempotency_key,
  deviceEui: r.device_eui as Eui,
  kind: r.kind as Vend['kind'],
  request: r.request,
  counter: BigInt(r.counter),
  code: r.code,
  pence: r.pence,
  requestedBy: r.requested_by,
  createdAt: r.created_at,
});

export function vendRepository(db: Kysely<DB>): VendRepository {
  return {
    async page(f, page) {
      let q = db.selectFrom('vends').selectAll();
      if (f.supplierPartyId) q = q.where('supplier_party_id', '=', f.supplierPartyId);
      if (f.deviceEui) q = q.where('device_eui', '=', f.deviceEui);
      if (f.kind) q = q.where('kind', '=', f.kind);
      return keysetPage(q, { columns: ['created_at', 'id'], direction: 'desc' }, page, toVend, (r) => [dateKey(r.created_at), r.id]);
    },
    async byKey(supplier, key) {
      const r = await db.selectFrom('vends').selectAll().where('supplier_party_id', '=', supplier).where('idempotency_key', '=', key).executeTakeFirst();
      return r && toVend(r);
    },
    async lockCounter(supplier, eui) {
      await sql`INSERT INTO vend_counters (supplier_party_id, device_eui, last_counter) VALUES (${supplier}, ${eui}, 0) ON CONFLICT DO NOTHING`.execute(db);
      const r = await sql<{ c: string }>`SELECT last_counter::text AS c FROM vend_counters WHERE supplier_party_id = ${supplier} AND device_eui = ${eui} FOR UPDATE`.execute(db);
      return BigInt(r.rows[0]!.c);
    },
    async setCounter(supplier, eui, counter) {
      await sql`UPDATE vend_counters SET last_counter = ${counter.toString()}::numeric WHERE supplier_party_id = ${supplier} AND device_eui = ${eui}`.execute(db);
    },
    async penceSince(eui, since) {
      // Every route counts: codes vended, and top-ups issued in HHT work orders.
      const r = await sql<{ p: number }>`SELECT ((SELECT COALESCE(sum(pence), 0) FROM vends WHERE device_eui = ${eui} AND created_at >= ${since})
        + (SELECT COALESCE(sum(c.pence), 0) FROM work_order_commands c JOIN work_orders o ON o.id = c.order_id
           WHERE c.device_eui = ${eui} AND c.pence > 0 AND c.state <> 'expired' AND o.created_at >= ${since}))::int AS p`.execute(db);
      return r.rows[0]!.p;
    },
    async allocateCommandCounters(supplier, eui, n) {
      await sql`INSERT INTO vend_counters (supplier_party_id, device_eui, last_counter) VALUES (${supplier}, ${eui}, 0) ON CONFLICT DO NOTHING`.execute(db);
      const r = await sql<{ u: string; c: string }>`SELECT last_counter::text AS u, last_command_counter::text AS c FROM vend_counters
        WHERE supplier_party_id = ${supplier} AND device_eui = ${eui} FOR UPDATE`.execute(db);
      const utrn = BigInt(r.rows[0]!.u);
      const last = BigInt(r.rows[0]!.c);
      const base = last > utrn ? last : utrn;
      assertCommandCountersFit(eui, utrn, base, n);
      await sql`UPDATE vend_counters SET last_command_counter = ${(base + BigInt(n)).toString()}::numeric WHERE supplier_party_id = ${supplier} AND device_eui = ${eui}`.execute(
        db,
      );
      return Array.from({ length: n }, (_, i) => base + BigInt(i + 1));
    },
    async allocateCommandCountersMany(party, euis, n) {
      if (!euis.length) return new Map();
      // Row locks in EUI order; commands count on from the higher of the UTRN and command counters.
      const sorted = [...euis].sort();
      const r = await sql<{ e: string; c: string; u: string }>`INSERT INTO vend_counters AS v (supplier_party_id, device_eui, last_counter, last_command_counter)
          SELECT ${party}, e, 0, ${n} FROM unnest(${sorted}::text[]) AS e
        ON CONFLICT (supplier_party_id, device_eui) DO UPDATE SET last_command_counter = GREATEST(v.last_counter, v.last_command_counter) + ${n}
        RETURNING device_eui AS e, (last_command_counter - ${n} + 1)::text AS c, last_counter::text AS u`.execute(db);
      // The same bound as one device's allocation; a refusal rolls the caller's transaction back.
      for (const x of r.rows) assertCommandCountersFit(x.e, BigInt(x.u), BigInt(x.c) - 1n, n);
      return new Map(r.rows.map((x) => [x.e as Eui, BigInt(x.c)]));
    },
    async insert(v) {
      await sql`INSERT INTO vends (id, supplier_party_id, idempotency_key, device_eui, kind, request, counter, code, pence, requested_by, created_at)
        VALUES (${v.id}, ${v.supplierPartyId}, ${v.idempotencyKey}, ${v.deviceEui}, ${v.kind}, ${v.request}, ${v.counter.toString()}::numeric, ${v.code}, ${v.pence}, ${v.requestedBy}, ${v.createdAt})`.execute(
        db,
      );
    },
  };
}
