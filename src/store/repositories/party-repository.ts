import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { userRolesOf, type DccUserRole, type Eui, type Party, type PartyRecord, type PartyRole, type PartyStatus } from '../../domain/index.ts';
import type { PartyRepository } from '../ports.ts';
import type { DB, PartiesTable } from '../schema.ts';

type PartyRow = Pick<PartiesTable, 'id' | 'name' | 'role' | 'eui' | 'distributor_id'>;
type RecordRow = PartyRow & { user_roles: string; status: string; suspended_reason: string | null; created_at: Date; updated_at: Date };

function toParty(row: PartyRow): Party {
  return {
    id: row.id,
    name: row.name,
    role: row.role as PartyRole,
    eui: row.eui as Eui | null,
    distributorId: row.distributor_id,
  };
}

export function toPartyRecord(row: RecordRow): PartyRecord {
  return {
    ...toParty(row),
    userRoles: JSON.parse(row.user_roles) as DccUserRole[],
    status: row.status as PartyStatus,
    suspendedReason: row.suspended_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const COLUMNS = ['id', 'name', 'role', 'eui', 'distributor_id'] as const;
export const PARTY_RECORD_COLUMNS = [...COLUMNS, 'user_roles', 'status', 'suspended_reason', 'created_at', 'updated_at'] as const;

export function partyRepository(db: Kysely<DB>): PartyRepository {
  return {
    async get(id) {
      const row = await db.selectFrom('parties').select(COLUMNS).where('id', '=', id).executeTakeFirst();
      return row && toParty(row);
    },
    async record(id) {
      const row = await db.selectFrom('parties').select(PARTY_RECORD_COLUMNS).where('id', '=', id).executeTakeFirst();
      return row && toPartyRecord(row);
    },
    async recordForUpdate(id) {
      const row = await db.selectFrom('parties').select(PARTY_RECORD_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
      return row && toPartyRecord(row);
    },
    async byEui(eui) {
      const row = await db.selectFrom('parties').select(PARTY_RECORD_COLUMNS).where('eui', '=', eui).executeTakeFirst();
      return row && toPartyRecord(row);
    },
    async list() {
      const rows = await db.selectFrom('parties').select(COLUMNS).orderBy('id').execute();
      return rows.map(toParty);
    },
    async page(f) {
      let q = db.selectFrom('parties').select(PARTY_RECORD_COLUMNS);
      if (f.role) q = q.where('role', '=', f.role);
      if (f.status) q = q.where('status', '=', f.status);
      // The roles are a JSON array of known words, so a quoted match is exact.
      if (f.userRole) q = q.where('user_roles', 'like', `%"${f.userRole}"%`);
      if (f.after) q = q.where('id', '>', f.after);
      const rows = await q.orderBy('id').limit(f.limit).execute();
      return rows.map(toPartyRecord);
    },
    async insert(p) {
      const roles = 'userRoles' in p && Array.isArray(p.userRoles) ? p.userRoles : userRolesOf(p.role);
      await db
        .insertInto('parties')
        .values({ id: p.id, name: p.name, role: p.role, eui: p.eui, distributor_id: p.distributorId, user_roles: JSON.stringify(roles) })
        .execute();
    },
    async update(id, patch, at) {
      await db
        .updateTable('parties')
        .set({
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.role !== undefined ? { role: patch.role } : {}),
          ...(patch.eui !== undefined ? { eui: patch.eui } : {}),
          ...(patch.distributorId !== undefined ? { distributor_id: patch.distributorId } : {}),
          ...(patch.userRoles !== undefined ? { user_roles: JSON.stringify(patch.userRoles) } : {}),
          ...(patch.status !== undefined ? { status: patch.status } : {}),
          ...(patch.suspendedReason !== undefined ? { suspended_reason: patch.suspendedReason } : {}),
          updated_at: at,
        })
        .where('id', '=', id)
        .execute();
    },
    async addApiKey(partyId, keyHash, label) {
      await db
        .insertInto('api_keys')
        .values({ id: `key-${randomUUID()}`, party_id: partyId, key_hash: keyHash, label })
        .execute();
    },
  };
}
