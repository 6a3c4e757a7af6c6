import { createHash, randomBytes } from 'node:crypto';
import { UnauthorizedError, type Party } from '../domain/index.ts';
import type { Store } from '../store/store.ts';

/** API keys are stored only as their SHA-256; the key itself is shown once, when made. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function newApiKey(partyId: string): string {
  return `mo_${partyId}_${randomBytes(18).toString('base64url')}`;
}

/** The party behind a bearer key, and the person (the key's label) using it. */
export async function authenticate(store: Store, authorization: string | undefined): Promise<{ party: Party; person: string }> {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!m) throw new UnauthorizedError();
  const found = await store.read.parties.byApiKeyHash(hashApiKey(m[1]!));
  if (!found) throw new UnauthorizedError('the API key is not recognised');
  return { party: found.party, person: found.label };
}
