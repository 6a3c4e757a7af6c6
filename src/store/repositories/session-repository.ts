import type { Kysely } from 'kysely';
import type { SessionRepository } from '../ports.ts';
import type { DB } from '../schema.ts';
import { PARTY_RECORD_COLUMNS, toPartyRecord } from './party-repository.ts';
import { toUser } from './user-repository.ts';

const USER_COLUMNS = ['id', 'party_id', 'username', 'name', 'roles', 'status', 'failed_attempts', 'locked_until', 'created_at', 'updated_at'] as const;

export function sessionRepository(db: Kysely<DB>): SessionRepository {
  return {
    async insert(s) {
      await db
        .insertInto('sessions')
        .values({
          token_hash: s.tokenHash,
          user_id: s.userId,
          csrf_hash: s.csrfHash,
          created_at: s.createdAt,
          expires_at: s.expiresAt,
          idle_expires_at: s.idleExpiresAt,
          revoked_at: s.revokedAt,
        })
        .execute();
    },
    async byToken(tokenHash) {
      const s = await db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      if (!s) return undefined;
      const u = await db.selectFrom('users').select(USER_COLUMNS).where('id', '=', s.user_id).executeTakeFirstOrThrow();
      const p = await db.selectFrom('parties').select(PARTY_RECORD_COLUMNS).where('id', '=', u.party_id).executeTakeFirstOrThrow();
      return {
        session: {
          tokenHash: s.token_hash,
          userId: s.user_id,
          csrfHash: s.csrf_hash,
          createdAt: s.created_at,
          expiresAt: s.expires_at,
          idleExpiresAt: s.idle_expires_at,
          revokedAt: s.revoked_at,
        },
        user: toUser(u),
        party: toPartyRecord(p),
      };
    },
    async touch(tokenHash, idleExpiresAt) {
      await db.updateTable('sessions').set({ idle_expires_at: idleExpiresAt }).where('token_hash', '=', tokenHash).execute();
    },
    async revoke(tokenHash, at) {
      await db.updateTable('sessions').set({ revoked_at: at }).where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).execute();
    },
    async revokeAllOf(userId, at) {
      const r = await db.updateTable('sessions').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    async recordAttempt(a) {
      await db.insertInto('sign_in_attempts').values({ username: a.username, source: a.source, at: a.at, ok: a.ok }).execute();
    },
    async attemptsSince(by, since) {
      const r = await db
        .selectFrom('sign_in_attempts')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('username' in by ? 'username' : 'source', '=', 'username' in by ? by.username : by.source)
        .where('at', '>=', since)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
