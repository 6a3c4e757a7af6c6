import { sql, type Kysely } from 'kysely';
import type { Eui } from '../../domain/index.ts';
import type { SimFleetRecord, SimulationRepository } from '../ports.ts';
import type { DB, SimFleetsTable } from '../schema.ts';

const FLEET_COLUMNS = ['id', 'seed', 'premises', 'no_wan_rate', 'intermittent_wan_rate', 'prepayment_rate', 'gas_rate'] as const;

function fleetRecord(r: Pick<SimFleetsTable, (typeof FLEET_COLUMNS)[number]>): SimFleetRecord {
  const rates = {
    ...(r.no_wan_rate === null ? {} : { noWanRate: r.no_wan_rate }),
    ...(r.intermittent_wan_rate === null ? {} : { intermittentWanRate: r.intermittent_wan_rate }),
    ...(r.prepayment_rate === null ? {} : { prepaymentRate: r.prepayment_rate }),
    ...(r.gas_rate === null ? {} : { gasRate: r.gas_rate }),
  };
  return { id: r.id, seed: r.seed, premises: r.premises, rates };
}

export function simulationRepository(db: Kysely<DB>): SimulationRepository {
  return {
    async insertFleet(f) {
      await db
        .insertInto('sim_fleets')
        .values({
          id: f.id,
          seed: f.seed,
          premises: f.premises,
          no_wan_rate: f.rates.noWanRate ?? null,
          intermittent_wan_rate: f.rates.intermittentWanRate ?? null,
          prepayment_rate: f.rates.prepaymentRate ?? null,
          gas_rate: f.rates.gasRate ?? null,
        })
        .execute();
    },
    async fleet(id) {
      const r = await db.selectFrom('sim_fleets').select(FLEET_COLUMNS).where('id', '=', id).executeTakeFirst();
      return r && fleetRecord(r);
    },
    async fleets() {
      return (await db.selectFrom('sim_fleets').select(FLEET_COLUMNS).orderBy('created_at').execute()).map(fleetRecord);
    },
    async deviceState(eui) {
      const r = await db.selectFrom('sim_device_state').select('state').where('eui', '=', eui).executeTakeFirst();
      return r?.state;
    },
    async deviceStates(euis) {
      if (!euis.length) return new Map();
      const rows = await db
        .selectFrom('sim_device_state')
        .select(['eui', 'state'])
        .where('eui', 'in', [...euis])
        .execute();
      return new Map(rows.map((r) => [r.eui as Eui, r.state]));
    },
    async saveDeviceStates(rows, fleetId, at) {
      for (let i = 0; i < rows.length; i += 1_000) {
        const part = rows.slice(i, i + 1_000);
        await sql`INSERT INTO sim_device_state (eui, fleet_id, state, updated_at)
          SELECT e, ${fleetId}, s::jsonb, ${at} FROM unnest(${part.map((r) => r.eui)}::text[], ${part.map((r) => JSON.stringify(r.state))}::text[]) AS v(e, s)
          ON CONFLICT (eui) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`.execute(db);
      }
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
