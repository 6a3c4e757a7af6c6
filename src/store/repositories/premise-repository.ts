import { sql, type Kysely, type Selectable } from 'kysely';
import type { Eui, Installation, MpanCore, Mprn, Premise } from '../../domain/index.ts';
import { keysetPage } from '../keyset-page.ts';
import type { PremiseRepository } from '../ports.ts';
import type { DB, InstallationsTable, PremisesTable } from '../schema.ts';

function toInstallation(r: Selectable<InstallationsTable>): Installation {
  return {
    premiseId: r.premise_id,
    deviceEui: r.device_eui as Eui,
    hubEui: r.hub_eui as Eui | null,
    installedAt: r.installed_at,
  };
}

const toPremise = (r: Selectable<PremisesTable>): Premise => ({
  id: r.id,
  mpan: r.mpan as MpanCore | null,
  mprn: r.mprn as Mprn | null,
  postcode: r.postcode,
  distributorId: r.distributor_id,
  supplierPartyId: r.supplier_party_id,
  createdAt: r.created_at,
});

export function premiseRepository(db: Kysely<DB>): PremiseRepository {
  return {
    async get(id) {
      const r = await db.selectFrom('premises').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toPremise(r);
    },
    async page(f, page) {
      let q = db.selectFrom('premises').selectAll();
      const v = f.visibleTo;
      if (v)
        q = q.where((eb) =>
          v.distributorId === null ? eb('supplier_party_id', '=', v.partyId) : eb.or([eb('supplier_party_id', '=', v.partyId), eb('distributor_id', '=', v.distributorId)]),
        );
      if (f.supplierPartyId) q = q.where('supplier_party_id', '=', f.supplierPartyId);
      if (f.distributorId !== undefined) q = q.where('distributor_id', '=', f.distributorId);
      if (f.postcode) q = q.where('postcode', '=', f.postcode);
      return keysetPage(q, { columns: ['id'], direction: 'asc' }, page, toPremise, (r) => [r.id]);
    },
    async insert(p) {
      await db
        .insertInto('premises')
        .values({
          id: p.id,
          mpan: p.mpan,
          mprn: p.mprn,
          postcode: p.postcode,
          distributor_id: p.distributorId,
          supplier_party_id: p.supplierPartyId,
          created_at: p.createdAt,
        })
        .execute();
    },
    async insertMany(ps) {
      if (ps.length === 0) return;
      const col = <K extends keyof (typeof ps)[number]>(k: K) => ps.map((p) => p[k]);
      await sql`
        INSERT INTO premises (id, mpan, mprn, postcode, distributor_id, supplier_party_id, created_at)
        SELECT * FROM unnest(${col('id')}::text[], ${col('mpan')}::text[], ${col('mprn')}::text[], ${col('postcode')}::text[],
          ${col('distributorId')}::int[], ${col('supplierPartyId')}::text[], ${ps.map((p) => p.createdAt.toISOString())}::timestamptz[])`.execute(db);
    },
    async installMany(is) {
      if (is.length === 0) return;
      await sql`
        INSERT INTO installations (device_eui, premise_id, hub_eui, installed_at)
        SELECT * FROM unnest(${is.map((i) => i.deviceEui)}::text[], ${is.map((i) => i.premiseId)}::text[],
          ${is.map((i) => i.hubEui)}::text[], ${is.map((i) => i.installedAt.toISOString())}::timestamptz[])`.execute(db);
    },
    async install(i) {
      await db.insertInto('installations').values({ device_eui: i.deviceEui, premise_id: i.premiseId, hub_eui: i.hubEui, installed_at: i.installedAt }).execute();
    },
    async uninstall(deviceEui) {
      await db.deleteFrom('installations').where('device_eui', '=', deviceEui).execute();
    },
    async installations(premiseId) {
      const rows = await db.selectFrom('installations').selectAll().where('premise_id', '=', premiseId).orderBy('device_eui').execute();
      return rows.map(toInstallation);
    },
    async uninstallMany(euis) {
      if (euis.length)
        await db
          .deleteFrom('installations')
          .where('device_eui', 'in', [...euis])
          .execute();
    },
    async installationsOf(euis) {
      if (!euis.length) return [];
      return (
        await db
          .selectFrom('installations')
          .selectAll()
          .where('device_eui', 'in', [...euis])
          .execute()
      ).map(toInstallation);
    },
    async hubsAt(ids) {
      if (!ids.length) return new Map();
      const rows = await db
        .selectFrom('installations')
        .select(['premise_id', 'device_eui'])
        .where('premise_id', 'in', [...ids])
        .where('hub_eui', 'is', null)
        .execute();
      return new Map(rows.map((r) => [r.premise_id, r.device_eui as Eui]));
    },
    async getMany(ids) {
      if (!ids.length) return [];
      return (
        await db
          .selectFrom('premises')
          .selectAll()
          .where('id', 'in', [...ids])
          .execute()
      ).map(toPremise);
    },
    async installationOf(deviceEui) {
      const r = await db.selectFrom('installations').selectAll().where('device_eui', '=', deviceEui).executeTakeFirst();
      return r && toInstallation(r);
    },
  };
}
