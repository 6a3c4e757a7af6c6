import { createHash } from 'node:crypto';
import { UnauthorizedError, apiKeyState, type Party, type Principal } from '../domain/index.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './deps.ts';

/** API keys are stored only as their SHA-256; the key itself is shown once, when made. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Who a request acts as: the party, the person (for two-person rules) and their roles. */
export interface Authenticated {
  readonly party: Party;
  readonly person: string;
  readonly principal: Principal;
}

/**
 * The party behind a bearer key, and the key's name as the person using it. A revoked or expired
 * key, or one of a suspended party, is refused on the spot; every use and every refused use of a
 * known key is audited (with when it was last used kept on the key).
 */
export async function authenticateApiKey(deps: ServiceDeps, authorization: string | undefined, use: { method: string; url: string }): Promise<Authenticated> {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!m) throw new UnauthorizedError();
  const found = await deps.store.read.apiKeys.byHash(hashApiKey(m[1]!));
  if (!found) throw new UnauthorizedError('the API key is not recognised');
  const { key, party } = found;
  const now = deps.clock();
  const state = apiKeyState(key, now);
  const refusal =
    state === 'revoked'
      ? `API key ${key.id} was revoked at ${key.revokedAt!.toISOString()}`
      : state === 'expired'
        ? `API key ${key.id} expired at ${key.expiresAt!.toISOString()}`
        : party.status !== 'active'
          ? `party ${party.id} is suspended`
          : null;
  const request = `${use.method} ${use.url.split('?')[0]!.slice(0, 200)}`;
  await deps.store.transaction(async (tx) => {
    if (!refusal) await tx.apiKeys.touch(key.id, now);
    await audit(
      tx,
      now,
      party.id,
      refusal ? 'api_key.refused' : 'api_key.used',
      `api-key/${key.id}`,
      refusal ? { request, reason: state === 'active' ? 'party-suspended' : state } : { request },
    );
  });
  if (refusal) throw new UnauthorizedError(refusal);
  return {
    party: { id: party.id, name: party.name, role: party.role, eui: party.eui, distributorId: party.distributorId },
    person: key.name,
    principal: { kind: 'api_key', id: key.id, person: key.name, partyId: party.id, roles: key.roles },
  };
}
