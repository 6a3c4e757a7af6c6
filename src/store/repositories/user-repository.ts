import type { Kysely } from 'kysely';
import type { PersonRole, User, UserStatus } from '../../domain/index.ts';
import type { UserRepository } from '../ports.ts';
import type { DB } from '../schema.ts';

const COLUMNS = ['id', 'party_id', 'username', 'name', 'roles', 'status', 'failed_attempts', 'locked_until', 'created_at', 'updated_at'] as const;
interface UserRow {
  id: string;
  party_id: string;
  username: string;
  name: string;
  roles: string;
  status: string;
  failed_attempts: number;
  locked_until: Date | null;
  created_at: Date;
  updated_at: Date;
}

export function toUser(r: UserRow): User {
  return {
    id: r.id,
    partyId: r.party_id,
    username: r.username,
    name: r.name,
    roles: JSON.parse(r.roles) as PersonRole[],
    status: r.status as UserStatus,
    failedAttempts: r.failed_attempts,
    lockedUntil: r.locked_until,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function userRepository(db: Kysely<DB>): UserRepository {
  return {
    async insert(u, passwordHash) {
      await db
        .insertInto('users')
        .values({
          id: u.id,
          party_id: u.partyId,
          username: u.username,
          name: u.name,
          roles: JSON.stringify(u.roles),
          status: u.status,
          password_hash: passwordHash,
          failed_attempts: u.failedAttempts,
          locked_until: u.lockedUntil,
          created_at: u.createdAt,
          updated_at: u.updatedAt,
        })
        .execute();
    },
    async get(id) {
      const row = await db.selectFrom('users').select(COLUMNS).where('id', '=', id).executeTakeFirst();
      return row && toUser(row);
    },
    async getForUpdate(id) {
      const row = await db.selectFrom('users').select(COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
      return row && toUser(row);
    },
    async byUsernameForUpdate(username) {
      const row = await db
        .selectFrom('users')
        .select([...COLUMNS, 'password_hash'])
        .where('username', '=', username)
        .forUpdate()
        .executeTakeFirst();
      return row && { user: toUser(row), passwordHash: row.password_hash };
    },
    async byUsername(username) {
      const row = await db.selectFrom('users').select(COLUMNS).where('username', '=', username).executeTakeFirst();
      return row && toUser(row);
    },
    async page(f) {
      let q = db.selectFrom('users').select(COLUMNS);
      if (f.partyId) q = q.where('party_id', '=', f.partyId);
      if (f.status) q = q.where('status', '=', f.status);
      if (f.role) q = q.where('roles', 'like', `%"${f.role}"%`);
      if (f.after) q = q.where('id', '>', f.after);
      const rows = await q.orderBy('id').limit(f.limit).execute();
      return rows.map(toUser);
    },
    async byOidcSubject(partyId, subject) {
      const row = await db.selectFrom('users').select(COLUMNS).where('party_id', '=', partyId).where('oidc_subject', '=', subject).executeTakeFirst();
      return row && toUser(row);
    },
    async oidcSubjectOf(id) {
      const row = await db.selectFrom('users').select('oidc_subject').where('id', '=', id).executeTakeFirst();
      return row?.oidc_subject ?? null;
    },
    async setOidcSubject(id, subject) {
      await db.updateTable('users').set({ oidc_subject: subject }).where('id', '=', id).execute();
    },
    async update(id, patch, at) {
      await db
        .updateTable('users')
        .set({
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.roles !== undefined ? { roles: JSON.stringify(patch.roles) } : {}),
          ...(patch.status !== undefined ? { status: patch.status } : {}),
          ...(patch.passwordHash !== undefined ? { password_hash: patch.passwordHash } : {}),
          ...(patch.failedAttempts !== undefined ? { failed_attempts: patch.failedAttempts } : {}),
          ...(patch.lockedUntil !== undefined ? { locked_until: patch.lockedUntil } : {}),
          updated_at: at,
        })
        .where('id', '=', id)
        .execute();
    },
  };
}
