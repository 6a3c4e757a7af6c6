import type { Kysely } from 'kysely';
import type { Eui, Party, PartyRole } from '../../domain/index.ts';
import type { PartyRepository } from '../ports.ts';
import type { DB, PartiesTable } from '../schema.ts';

type PartyRow = Omit<PartiesTable, 'created_at'>;

function toParty(row: PartyRow): Party {
  return {
    id: row.id,
    name: row.name,
    role: row.role as PartyRole,
    eui: row.eui as Eui | null,
    distributorId: row.distributor_id,
  };
}

const COLUMNS = ['id', 'name', 'role', 'eui', 'distributor_id'] as const;

export function partyRepository(db: Kysely<DB>): PartyRepository {
  return {
    async get(id) {
      const row = await db.selectFrom('parties').select(COLUMNS).where('id', '=', id).executeTakeFirst();
      return row && toParty(row);
    },
    async byApiKeyHash(keyHash) {
      const row = await db
        .selectFrom('api_keys')
        .innerJoin('parties', 'parties.id', 'api_keys.party_id')
        .select([...COLUMNS.map((c) => `parties.${c}` as const), 'api_keys.label'])
        .where('api_keys.key_hash', '=', keyHash)
        .executeTakeFirst();
      return row && { party: toParty(row), label: row.label };
    },
    async list() {
      const rows = await db.selectFrom('parties').select(COLUMNS).orderBy('id').execute();
      return rows.map(toParty);
    },
    async insert(p) {
      await db.insertInto('parties').values({ id: p.id, name: p.name, role: p.role, eui: p.eui, distributor_id: p.distributorId }).execute();
    },
    async addApiKey(partyId, keyHash, label) {
      await db.insertInto('api_keys').values({ party_id: partyId, key_hash: keyHash, label }).execute();
    },
  };
}
