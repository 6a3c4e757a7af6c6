import type { Kysely, Selectable } from 'kysely';
import type { Eui, Installation, MpanCore, Mprn } from '../../domain/index.ts';
import type { PremiseRepository } from '../ports.ts';
import type { DB, InstallationsTable } from '../schema.ts';

function toInstallation(r: Selectable<InstallationsTable>): Installation {
  return {
    premiseId: r.premise_id,
    deviceEui: r.device_eui as Eui,
    hubEui: r.hub_eui as Eui | null,
    installedAt: r.installed_at,
  };
}

export function premiseRepository(db: Kysely<DB>): PremiseRepository {
  return {
    async get(id) {
      const r = await db.selectFrom('premises').selectAll().where('id', '=', id).executeTakeFirst();
      return (
        r && {
          id: r.id,
          mpan: r.mpan as MpanCore | null,
          mprn: r.mprn as Mprn | null,
          postcode: r.postcode,
          distributorId: r.distributor_id,
          supplierPartyId: r.supplier_party_id,
          createdAt: r.created_at,
        }
      );
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
    async install(i) {
      await db
        .insertInto('installations')
        .values({ device_eui: i.deviceEui, premise_id: i.premiseId, hub_eui: i.hubEui, installed_at: i.installedAt })
        .execute();
    },
    async uninstall(deviceEui) {
      await db.deleteFrom('installations').where('device_eui', '=', deviceEui).execute();
    },
    async installations(premiseId) {
      const rows = await db
        .selectFrom('installations')
        .selectAll()
        .where('premise_id', '=', premiseId)
        .orderBy('device_eui')
        .execute();
      return rows.map(toInstallation);
    },
    async installationOf(deviceEui) {
      const r = await db.selectFrom('installations').selectAll().where('device_eui', '=', deviceEui).executeTakeFirst();
      return r && toInstallation(r);
    },
  };
}
