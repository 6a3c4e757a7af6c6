import { type Kysely, type Selectable } from 'kysely';
import type { HubWan } from '../../domain/index.ts';
import type { NoWanPremiseRow, PremiseWanStatus, WanRepository } from '../ports.ts';
import type { DB, PremiseWanStatusTable } from '../schema.ts';

const toStatus = (r: Selectable<PremiseWanStatusTable>): PremiseWanStatus => ({
  premiseId: r.premise_id,
  hubWan: r.hub_wan as HubWan,
  wanLostAt: r.wan_lost_at,
  paymentMode: r.payment_mode as PremiseWanStatus['paymentMode'],
  creditPence: r.credit_pence,
  supply: r.supply as PremiseWanStatus['supply'],
  statusAt: r.status_at,
  updatedAt: r.updated_at,
});
const CHUNK = 1_000;

export function wanRepository(db: Kysely<DB>): WanRepository {
  return {
    async upsertCoverage(rows, at) {
      for (let i = 0; i < rows.length; i += CHUNK) {
        await db
          .insertInto('wan_coverage')
          .values(rows.slice(i, i + CHUNK).map((r) => ({ postcode: r.postcode, coverage: r.coverage, anticipated_at: r.anticipatedAt, updated_at: at })))
          .onConflict((oc) =>
            oc
              .column('postcode')
              .doUpdateSet((eb) => ({ coverage: eb.ref('excluded.coverage'), anticipated_at: eb.ref('excluded.anticipated_at'), updated_at: eb.ref('excluded.updated_at') })),
          )
          .execute();
      }
    },
    async coverage(postcode) {
      const r = await db.selectFrom('wan_coverage').select(['coverage', 'anticipated_at']).where('postcode', '=', postcode).executeTakeFirst();
      return r && { coverage: r.coverage as 'covered' | 'partial' | 'not-covered', anticipatedAt: r.anticipated_at };
    },
    async status(premiseId) {
      const r = await db.selectFrom('premise_wan_status').selectAll().where('premise_id', '=', premiseId).executeTakeFirst();
      return r && toStatus(r);
    },
    async statuses(ids) {
      const out: PremiseWanStatus[] = [];
      for (let i = 0; i < ids.length; i += CHUNK) {
        out.push(
          ...(
            await db
              .selectFrom('premise_wan_status')
              .selectAll()
              .where('premise_id', 'in', ids.slice(i, i + CHUNK))
              .execute()
          ).map(toStatus),
        );
      }
      return out;
    },
    async upsertStatus(rows) {
      for (let i = 0; i < rows.length; i += CHUNK) {
        await db
          .insertInto('premise_wan_status')
          .values(
            rows.slice(i, i + CHUNK).map((s) => ({
              premise_id: s.premiseId,
              hub_wan: s.hubWan,
              wan_lost_at: s.wanLostAt,
              payment_mode: s.paymentMode,
              credit_pence: s.creditPence,
              supply: s.supply,
              status_at: s.statusAt,
              updated_at: s.updatedAt,
            })),
          )
          .onConflict((oc) =>
            oc.column('premise_id').doUpdateSet((eb) => ({
              hub_wan: eb.ref('excluded.hub_wan'),
              wan_lost_at: eb.ref('excluded.wan_lost_at'),
              payment_mode: eb.ref('excluded.payment_mode'),
              credit_pence: eb.ref('excluded.credit_pence'),
              supply: eb.ref('excluded.supply'),
              status_at: eb.ref('excluded.status_at'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .execute();
      }
    },
    async noWanPrepayment(supplier) {
      let q = db
        .selectFrom('premise_wan_status as w')
        .innerJoin('premises as p', 'p.id', 'w.premise_id')
        .selectAll('w')
        .select(['p.postcode', 'p.supplier_party_id', 'p.distributor_id'])
        .where('w.hub_wan', '=', 'no-wan')
        .where('w.payment_mode', '=', 'prepayment');
      if (supplier) q = q.where('p.supplier_party_id', '=', supplier);
      const rows = await q.execute();
      return rows.map((r): NoWanPremiseRow => ({ ...toStatus(r), postcode: r.postcode, supplierPartyId: r.supplier_party_id, distributorId: r.distributor_id }));
    },
  };
}
