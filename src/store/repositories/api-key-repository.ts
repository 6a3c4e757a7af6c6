import type { Kysely } from 'kysely';
import type { ApiKeyRecord, PersonRole } from '../../domain/index.ts';
import type { ApiKeyRepository } from '../ports.ts';
import type { DB } from '../schema.ts';
import { PARTY_RECORD_COLUMNS, toPartyRecord } from './party-repository.ts';

const COLUMNS = ['id', 'party_id', 'label', 'roles', 'created_at', 'created_by', 'expires_at', 'revoked_at', 'revoked_reason', 'last_used_at', 'rotated_from'] as const;
interface KeyRow {
  id: string;
  party_id: string;
  label: string;
  roles: string;
  created_at: Date;
  created_by: string | null;
  expires_at: Date | null;
  revoked_at: Date | null;
  revoked_reason: string | null;
  last_used_at: Date | null;
  rotated_from: string | null;
}

function toKey(r: KeyRow): ApiKeyRecord {
  return {
    id: r.id,
    partyId: r.party_id,
    name: r.label,
    roles: JSON.parse(r.roles) as PersonRole[],
    createdAt: r.created_at,
    createdBy: r.created_by,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    revokedReason: r.revoked_reason,
    lastUsedAt: r.last_used_at,
    rotatedFrom: r.rotated_from,
  };
}

export function apiKeyRepository(db: Kysely<DB>): ApiKeyRepository {
  return {
    async insert(k, keyHash) {
      await db
        .insertInto('api_keys')
        .values({
          key_hash: keyHash,
          id: k.id,
          party_id: k.partyId,
          label: k.name,
          roles: JSON.stringify(k.roles),
          created_at: k.createdAt,
          created_by: k.createdBy,
          expires_at: k.expiresAt,
          rotated_from: k.rotatedFrom,
        })
        .execute();
    },
    async byHash(keyHash) {
      const row = await db.selectFrom('api_keys').select(COLUMNS).where('key_hash', '=', keyHash).executeTakeFirst();
      if (!row) return undefined;
      const party = await db.selectFrom('parties').select(PARTY_RECORD_COLUMNS).where('id', '=', row.party_id).executeTakeFirstOrThrow();
      return { key: toKey(row), party: toPartyRecord(party) };
    },
    async get(id) {
      const row = await db.selectFrom('api_keys').select(COLUMNS).where('id', '=', id).executeTakeFirst();
      return row && toKey(row);
    },
    async getForUpdate(id) {
      const row = await db.selectFrom('api_keys').select(COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
      return row && toKey(row);
    },
    async activeNamed(partyId, name, now) {
      const row = await db
        .selectFrom('api_keys')
        .select(COLUMNS)
        .where('party_id', '=', partyId)
        .where('label', '=', name)
        .where('revoked_at', 'is', null)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
        .executeTakeFirst();
      return row && toKey(row);
    },
    async page(f) {
      let q = db.selectFrom('api_keys').select(COLUMNS);
      if (f.partyId) q = q.where('party_id', '=', f.partyId);
      if (f.state === 'revoked') q = q.where('revoked_at', 'is not', null);
      if (f.state === 'expired') q = q.where('revoked_at', 'is', null).where('expires_at', '<=', f.now);
      if (f.state === 'active') q = q.where('revoked_at', 'is', null).where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', f.now)]));
      if (f.after) q = q.where('id', '>', f.after);
      const rows = await q.orderBy('id').limit(f.limit).execute();
      return rows.map(toKey);
    },
    async revoke(id, at, reason) {
      await db.updateTable('api_keys').set({ revoked_at: at, revoked_reason: reason }).where('id', '=', id).where('revoked_at', 'is', null).execute();
    },
    async touch(id, at) {
      await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
    },
  };
}
