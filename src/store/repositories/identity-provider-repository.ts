import type { Kysely } from 'kysely';
import type { IdentityProviderRepository } from '../ports.ts';
import type { DB } from '../schema.ts';

export function identityProviderRepository(db: Kysely<DB>): IdentityProviderRepository {
  return {
    async get(partyId) {
      const r = await db.selectFrom('identity_providers').selectAll().where('party_id', '=', partyId).executeTakeFirst();
      return r && { partyId: r.party_id, issuer: r.issuer, clientId: r.client_id, clientSecret: r.client_secret };
    },
    async upsert(c, at) {
      const values = { issuer: c.issuer, client_id: c.clientId, client_secret: c.clientSecret, updated_at: at };
      await db
        .insertInto('identity_providers')
        .values({ party_id: c.partyId, ...values })
        .onConflict((oc) => oc.column('party_id').doUpdateSet(values))
        .execute();
    },
    async insertLogin(l) {
      await db
        .insertInto('oidc_logins')
        .values({
          state_hash: l.stateHash,
          party_id: l.partyId,
          code_verifier: l.codeVerifier,
          nonce: l.nonce,
          redirect_uri: l.redirectUri,
          created_at: l.createdAt,
          expires_at: l.expiresAt,
          used_at: l.usedAt,
        })
        .execute();
    },
    async loginForUpdate(stateHash) {
      const r = await db.selectFrom('oidc_logins').selectAll().where('state_hash', '=', stateHash).forUpdate().executeTakeFirst();
      return (
        r && {
          stateHash: r.state_hash,
          partyId: r.party_id,
          codeVerifier: r.code_verifier,
          nonce: r.nonce,
          redirectUri: r.redirect_uri,
          createdAt: r.created_at,
          expiresAt: r.expires_at,
          usedAt: r.used_at,
        }
      );
    },
    async markLoginUsed(stateHash, at) {
      await db.updateTable('oidc_logins').set({ used_at: at }).where('state_hash', '=', stateHash).execute();
    },
  };
}
