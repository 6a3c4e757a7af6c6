import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { MeteropsError, SIGN_IN_POLICY, UnauthorizedError, ValidationError, type Party, type Principal, type User } from '../domain/index.ts';
import type { StoreTx } from '../store/ports.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './deps.ts';
import { verifyPassword } from './passwords.ts';
import { parseUsername } from './users.ts';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** Too many sign-in attempts in the window (HTTP 429). */
export class SignInRateError extends MeteropsError {
  constructor(what: string) {
    super('TOO_MANY_REQUESTS', 429, `too many sign-in attempts for ${what}; try again in ${SIGN_IN_POLICY.windowMinutes} minutes`, { rule: 'sign-in-rate' });
  }
}

/** The account is locked after repeated wrong passwords (HTTP 403): an administrator unlocks it, or the lock runs out. */
export class AccountLockedError extends MeteropsError {
  constructor(until: Date) {
    super('ACCOUNT_LOCKED', 403, `the account is locked after ${SIGN_IN_POLICY.lockAfterFailures} wrong passwords until ${until.toISOString()}`, {
      field: 'username',
      rule: 'account-locked',
    });
  }
}

export interface SignedIn {
  /** The session cookie's value: shown to the client once, kept here only as its SHA-256. */
  readonly token: string;
  /** Sent back in X-CSRF-Token with every changing request made with the cookie. */
  readonly csrfToken: string;
  readonly expiresAt: Date;
  readonly user: User;
}

/** A well-formed hash that no password matches (its salt and hash are zeros), for unknown usernames. */
const NO_SUCH_USER = `scrypt$${2 ** 17}$8$1$${'A'.repeat(22)}$${'A'.repeat(43)}`;

// One answer for an unknown username and a wrong password, so that sign-in does not tell which.
// What a refused sign-in or session names: the credentials given, or the session cookie.
const SIGN_IN = { field: 'password', rule: 'sign-in' } as const;
const SESSION = { field: 'meterops_session', rule: 'session' } as const;
const wrong = () => new UnauthorizedError('the username or password is wrong', SIGN_IN);

/**
 * Password sign-in into a database-held session. Attempts are counted per username and per
 * client address over a window (rate limit); consecutive wrong passwords lock the account. The
 * attempt and the failure count are committed even when sign-in is refused.
 */
export async function signIn(deps: ServiceDeps, input: { username: unknown; password: unknown; source: string }): Promise<SignedIn> {
  const username = typeof input.username === 'string' ? input.username.trim().toLowerCase() : '';
  if (!username) throw new ValidationError('username', 'required', 'username is required');
  if (typeof input.password !== 'string' || !input.password) throw new ValidationError('password', 'required', 'password is required');
  const password = input.password;
  const source = input.source.slice(0, 100) || 'unknown';
  const now = deps.clock();
  const since = new Date(now.getTime() - SIGN_IN_POLICY.windowMinutes * 60_000);
  const outcome = await deps.store.transaction(async (tx) => {
    if ((await tx.sessions.attemptsSince({ source }, since)) >= SIGN_IN_POLICY.attemptsPerSource) return { error: new SignInRateError(`address ${source}`) };
    if ((await tx.sessions.attemptsSince({ username }, since)) >= SIGN_IN_POLICY.attemptsPerUsername) return { error: new SignInRateError(`user ${username}`) };
    const found = /^[a-z0-9][a-z0-9._@-]{1,99}$/.test(username) ? await tx.users.byUsernameForUpdate(parseUsername(username)) : undefined;
    // An unknown username costs the same scrypt as a known one, so timing does not tell them apart.
    const ok = await verifyPassword(password, found?.passwordHash ?? NO_SUCH_USER);
    await tx.sessions.recordAttempt({ username, source, at: now, ok });
    if (!found) return { error: wrong() };
    const u = found.user;
    if (u.lockedUntil && u.lockedUntil.getTime() > now.getTime()) {
      await audit(tx, now, u.partyId, 'user.sign_in_refused', `user/${u.id}`, { reason: 'locked', source });
      return { error: new AccountLockedError(u.lockedUntil) };
    }
    if (!ok) {
      const failures = u.failedAttempts + 1;
      const lock = failures >= SIGN_IN_POLICY.lockAfterFailures ? new Date(now.getTime() + SIGN_IN_POLICY.lockMinutes * 60_000) : null;
      await tx.users.update(u.id, { failedAttempts: lock ? 0 : failures, lockedUntil: lock }, now);
      await audit(tx, now, u.partyId, lock ? 'user.locked' : 'user.sign_in_failed', `user/${u.id}`, { failures, source });
      return { error: lock ? new AccountLockedError(lock) : wrong() };
    }
    if (u.status !== 'active') return { error: new UnauthorizedError(`user ${u.username} is disabled`, SIGN_IN) };
    const party = await tx.parties.record(u.partyId);
    if (party?.status !== 'active') return { error: new UnauthorizedError(`party ${u.partyId} is suspended`, SIGN_IN) };
    if (u.failedAttempts || u.lockedUntil) await tx.users.update(u.id, { failedAttempts: 0, lockedUntil: null }, now);
    return { signedIn: await openSession(tx, u, now, { source, method: 'password' }) };
  });
  if ('error' in outcome) throw outcome.error;
  return outcome.signedIn;
}

/** A new session for a person who proved who they are (password, or their identity provider). */
export async function openSession(tx: StoreTx, u: User, now: Date, how: { source: string; method: 'password' | 'oidc' }): Promise<SignedIn> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SIGN_IN_POLICY.sessionHours * 3_600_000);
  await tx.sessions.insert({
    tokenHash: sha256(token),
    userId: u.id,
    csrfHash: sha256(csrfToken),
    createdAt: now,
    expiresAt,
    idleExpiresAt: new Date(now.getTime() + SIGN_IN_POLICY.idleMinutes * 60_000),
    revokedAt: null,
  });
  await audit(tx, now, u.partyId, 'user.signed_in', `user/${u.id}`, how);
  return { token, csrfToken, expiresAt, user: u };
}

/**
 * The person behind a session cookie. A request that changes anything must also carry the
 * session's CSRF token (the synchroniser-token pattern): a page on another site can make the
 * browser send the cookie, but cannot read the token.
 */
export async function authenticateSession(
  deps: ServiceDeps,
  token: string,
  req: { method: string; csrfToken: string | undefined },
): Promise<{ party: Party; principal: Principal }> {
  const now = deps.clock();
  const found = await deps.store.read.sessions.byToken(sha256(token));
  if (!found) throw new UnauthorizedError('the session is not recognised: sign in again', SESSION);
  const { session, user, party } = found;
  if (session.revokedAt) throw new UnauthorizedError('the session was ended: sign in again', SESSION);
  if (session.expiresAt.getTime() <= now.getTime() || session.idleExpiresAt.getTime() <= now.getTime()) throw new UnauthorizedError('the session expired: sign in again', SESSION);
  if (user.status !== 'active') throw new UnauthorizedError(`user ${user.username} is disabled`, SESSION);
  if (party.status !== 'active') throw new UnauthorizedError(`party ${party.id} is suspended`, SESSION);
  if (!['GET', 'HEAD', 'OPTIONS'].includes(req.method.toUpperCase())) {
    const given = Buffer.from(sha256(req.csrfToken ?? ''), 'hex');
    if (!req.csrfToken || !timingSafeEqual(given, Buffer.from(session.csrfHash, 'hex')))
      throw new MeteropsError('CSRF_FAILED', 403, 'a request with the session cookie that changes anything carries the X-CSRF-Token given at sign-in', {
        field: 'x-csrf-token',
        rule: 'csrf-token',
      });
  }
  await deps.store.read.sessions.touch(session.tokenHash, new Date(now.getTime() + SIGN_IN_POLICY.idleMinutes * 60_000));
  return {
    party: { id: party.id, name: party.name, role: party.role, eui: party.eui, distributorId: party.distributorId },
    principal: { kind: 'user', id: user.id, person: user.username, partyId: party.id, roles: user.roles },
  };
}

/** Ends a session (sign-out). */
export async function signOut(deps: ServiceDeps, token: string): Promise<void> {
  const now = deps.clock();
  await deps.store.transaction(async (tx) => {
    const found = await tx.sessions.byToken(sha256(token));
    if (!found || found.session.revokedAt) return;
    await tx.sessions.revoke(found.session.tokenHash, now);
    await audit(tx, now, found.user.partyId, 'user.signed_out', `user/${found.user.id}`, {});
  });
}
