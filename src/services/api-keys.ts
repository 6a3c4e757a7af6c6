import { randomBytes, randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError, apiKeyState, parsePersonRoles, requirePermission, type ApiKeyRecord, type ApiKeyState } from '../domain/index.ts';
import type { StoreTx } from '../store/ports.ts';
import { requireInScope, type Acting } from './acting.ts';
import { audit } from './audit.ts';
import { hashApiKey } from './authenticate.ts';
import { fetchPage, type Page, type PageRequest } from './cursor-page.ts';
import type { ServiceDeps } from './deps.ts';

/** The longest a key may live: two years (a meterops default; rotate before then). */
export const MAX_KEY_DAYS = 730;

export interface NewApiKey {
  readonly partyId?: string;
  readonly name: string;
  readonly roles: readonly string[];
  /** When the key stops working; at most MAX_KEY_DAYS ahead. None: it works until revoked. */
  readonly expiresAt?: Date | null;
}

export interface IssuedKey {
  readonly key: ApiKeyRecord;
  /** The secret, shown this once: meterops keeps only its SHA-256. */
  readonly secret: string;
}

function keyName(s: unknown): string {
  const n = typeof s === 'string' ? s.trim() : '';
  if (!/^[\w .@:-]{1,100}$/.test(n)) throw new ValidationError('name', 'key-name', 'a key name is 1 to 100 letters, digits, spaces or . _ - @ :');
  return n;
}

function expiry(at: Date | null | undefined, now: Date): Date | null {
  if (at === undefined || at === null) return null;
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new ValidationError('expiresAt', 'date-time', 'expiresAt is an ISO 8601 date-time');
  if (at.getTime() <= now.getTime()) throw new ValidationError('expiresAt', 'key-expiry', 'expiresAt is in the future');
  if (at.getTime() > now.getTime() + MAX_KEY_DAYS * 86_400_000) throw new ValidationError('expiresAt', 'key-expiry', `a key lives at most ${MAX_KEY_DAYS} days`);
  return at;
}

/** The secret: `mo_` then 32 random bytes in base64url (256 bits: the hash need not be slow). */
function newSecret(): string {
  return `mo_${randomBytes(32).toString('base64url')}`;
}

async function insertKey(tx: StoreTx, acting: Acting, k: Omit<ApiKeyRecord, 'id' | 'createdBy' | 'revokedAt' | 'revokedReason' | 'lastUsedAt'>): Promise<IssuedKey> {
  const secret = newSecret();
  const key: ApiKeyRecord = { ...k, id: `key-${randomUUID()}`, createdBy: acting.principal.person, revokedAt: null, revokedReason: null, lastUsedAt: null };
  await tx.apiKeys.insert(key, hashApiKey(secret));
  await audit(tx, k.createdAt, acting.party.id, 'api_key.issued', `api-key/${key.id}`, {
    partyId: key.partyId,
    name: key.name,
    roles: key.roles,
    expiresAt: key.expiresAt?.toISOString() ?? null,
    rotatedFrom: key.rotatedFrom,
    by: acting.principal.person,
  });
  return { key, secret };
}

/** Issues a key to a party and its roles; the name is unique among the party's working keys. */
export async function issueApiKey(deps: ServiceDeps, acting: Acting, req: NewApiKey): Promise<IssuedKey> {
  const partyId = req.partyId ?? acting.party.id;
  requireInScope(acting, 'keys.manage', partyId, 'party', partyId, 'partyId');
  const name = keyName(req.name);
  const roles = parsePersonRoles(req.roles);
  const now = deps.clock();
  const expiresAt = expiry(req.expiresAt, now);
  return deps.store.transaction(async (tx) => {
    const party = await tx.parties.record(partyId);
    if (!party) throw new NotFoundError('party', partyId, 'partyId');
    if (party.status !== 'active') throw new ValidationError('partyId', 'party-active', `party ${partyId} is suspended: it is issued no keys`);
    if (await tx.apiKeys.activeNamed(partyId, name, now)) throw new ConflictError('key-name-unique', `${partyId} has a working key named "${name}" already`, 'name');
    return insertKey(tx, acting, { partyId, name, roles, createdAt: now, expiresAt, rotatedFrom: null });
  });
}

export interface KeyFilter {
  readonly partyId?: string;
  readonly state?: string;
}

const STATES: readonly ApiKeyState[] = ['active', 'expired', 'revoked'];

/** A party's keys (never their secrets); the platform's administrators and auditors see every party's. */
export async function listApiKeys(deps: ServiceDeps, acting: Acting, f: KeyFilter & PageRequest): Promise<Page<ApiKeyRecord & { state: ApiKeyState }>> {
  const partyId = f.partyId ?? (acting.party.role === 'dcc' ? undefined : acting.party.id);
  if (partyId) requireInScope(acting, 'keys.read', partyId, 'party', partyId, 'partyId');
  else requirePermission(acting.principal, 'keys.read');
  if (f.state !== undefined && !(STATES as readonly string[]).includes(f.state))
    throw new ValidationError('state', 'key-state', `unknown state "${f.state}": one of ${STATES.join(', ')}`);
  const now = deps.clock();
  const page = await fetchPage(
    f,
    (after, limit) =>
      deps.store.read.apiKeys.page({ ...(partyId ? { partyId } : {}), ...(f.state ? { state: f.state as ApiKeyState } : {}), now, ...(after ? { after } : {}), limit }),
    (k) => k.id,
  );
  return { items: page.items.map((k) => ({ ...k, state: apiKeyState(k, now) })), next: page.next };
}

async function visibleKey(tx: StoreTx, acting: Acting, id: string, permission: 'keys.read' | 'keys.manage', forUpdate = false): Promise<ApiKeyRecord> {
  requirePermission(acting.principal, permission);
  const k = forUpdate ? await tx.apiKeys.getForUpdate(id) : await tx.apiKeys.get(id);
  if (!k) throw new NotFoundError('API key', id, 'id');
  requireInScope(acting, permission, k.partyId, 'API key', id, 'id');
  return k;
}

export async function showApiKey(deps: ServiceDeps, acting: Acting, id: string): Promise<ApiKeyRecord & { state: ApiKeyState }> {
  const k = await visibleKey(deps.store.read, acting, id, 'keys.read');
  return { ...k, state: apiKeyState(k, deps.clock()) };
}

/** Revokes a key: refused from the next request on. */
export async function revokeApiKey(deps: ServiceDeps, acting: Acting, id: string, reason = 'revoked'): Promise<ApiKeyRecord & { state: ApiKeyState }> {
  const why = reason.trim();
  if (!why || why.length > 500) throw new ValidationError('reason', 'revocation-reason', 'a revocation reason is 1 to 500 characters');
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    const k = await visibleKey(tx, acting, id, 'keys.manage', true);
    if (k.revokedAt) throw new ConflictError('key-revoked', `API key ${id} was revoked at ${k.revokedAt.toISOString()}`, 'id');
    await tx.apiKeys.revoke(id, now, why);
    await audit(tx, now, acting.party.id, 'api_key.revoked', `api-key/${id}`, { partyId: k.partyId, name: k.name, reason: why, by: acting.principal.person });
    const after = (await tx.apiKeys.get(id))!;
    return { ...after, state: apiKeyState(after, now) };
  });
}

/**
 * Rotation: a new secret under the same name and roles (and a new expiry, as long as the old one
 * had left, unless one is given), and the old key revoked in the same transaction.
 */
export async function rotateApiKey(deps: ServiceDeps, acting: Acting, id: string, opts: { expiresAt?: Date | null } = {}): Promise<IssuedKey> {
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    const old = await visibleKey(tx, acting, id, 'keys.manage', true);
    const state = apiKeyState(old, now);
    if (state !== 'active') throw new ConflictError(`key-${state}`, `API key ${id} is ${state}: issue a new key instead`, 'id');
    const lifetime = old.expiresAt ? old.expiresAt.getTime() - old.createdAt.getTime() : null;
    const expiresAt =
      opts.expiresAt !== undefined ? expiry(opts.expiresAt, now) : lifetime !== null ? new Date(now.getTime() + Math.min(lifetime, MAX_KEY_DAYS * 86_400_000)) : null;
    await tx.apiKeys.revoke(id, now, 'rotated');
    await audit(tx, now, acting.party.id, 'api_key.revoked', `api-key/${id}`, { partyId: old.partyId, name: old.name, reason: 'rotated', by: acting.principal.person });
    return insertKey(tx, acting, { partyId: old.partyId, name: old.name, roles: old.roles, createdAt: now, expiresAt, rotatedFrom: id });
  });
}
