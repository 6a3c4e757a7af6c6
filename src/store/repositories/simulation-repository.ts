import type { Kysely } from 'kysely';
import type { SimulationRepository } from '../ports.ts';
import type { DB } from '../schema.ts';

export function simulationRepository(db: Kysely<DB>): SimulationRepository {
  return {
    async insertFleet(f) {
      await db.insertInto('sim_fleets').values({ id: f.id, seed: f.seed, premises: f.premises }).execute();
    },
    async fleet(id) {
      return db.selectFrom('sim_fleets').select(['id', 'seed', 'premises']).where('id', '=', id).executeTakeFirst();
    },
    async fleets() {
      return db.selectFrom('sim_fleets').select(['id', 'seed', 'premises']).orderBy('created_at').execute();
    },
    async deviceState(eui) {
      const r = await db.selectFrom('sim_device_state').select('state').where('eui', '=', eui).executeTakeFirst();
      return r?.state;
    },
    async saveDeviceState(eui, fleetId, state, at) {
      const json = JSON.stringify(state);
      await db
        .insertInto('sim_device_state')
        .values({ eui, fleet_id: fleetId, state: json, updated_at: at })
        .onConflict((oc) => oc.column('eui').doUpdateSet({ state: json, updated_at: at }))
        .execute();
    },
  };
}
