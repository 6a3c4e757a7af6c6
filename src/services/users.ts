import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  parsePersonRoles,
  requirePermission,
  PERSON_ROLES,
  USER_STATUSES,
  type PersonRole,
  type User,
  type UserStatus,
} from '../domain/index.ts';
import { requireInScope, type Acting } from './acting.ts';
import { audit } from './audit.ts';
import { fetchPage, type Page, type PageRequest } from './cursor-page.ts';
import type { ServiceDeps } from './deps.ts';
import { checkPassword, generatePassword, hashPassword } from './passwords.ts';

export interface NewUser {
  /** The party the person belongs to; the acting party's by default. */
  readonly partyId?: string;
  readonly username: string;
  readonly name: string;
  readonly roles: readonly string[];
  /** Without one, a password is generated and returned once. */
  readonly password?: string;
  /** Their subject at the party's OpenID Connect identity provider, if they sign in there. */
  readonly oidcSubject?: string;
}

function subject(s: unknown): string | null {
  if (s === null) return null;
  if (typeof s !== 'string' || !s.trim() || s.length > 255) throw new ValidationError('oidcSubject', 'oidc-subject', 'an identity provider subject is 1 to 255 characters');
  return s.trim();
}

export function parseUsername(s: unknown): string {
  const u = typeof s === 'string' ? s.trim().toLowerCase() : '';
  if (!/^[a-z0-9][a-z0-9._@-]{1,99}$/.test(u))
    throw new ValidationError('username', 'username', 'a username is 2 to 100 letters, digits, dots, dashes, underscores or @, starting with a letter or digit');
  return u;
}

function personName(s: unknown): string {
  const n = typeof s === 'string' ? s.trim() : '';
  if (!n || n.length > 200) throw new ValidationError('name', 'person-name', "a person's name is 1 to 200 characters");
  return n;
}

/** Adds a person to a party: its administrators may, and the platform's for any party. */
export async function addUser(deps: ServiceDeps, acting: Acting, u: NewUser): Promise<{ user: User; password: string | null }> {
  const partyId = u.partyId ?? acting.party.id;
  requireInScope(acting, 'users.manage', partyId, 'party', partyId, 'partyId');
  const username = parseUsername(u.username);
  const name = personName(u.name);
  const roles = parsePersonRoles(u.roles);
  if (u.password !== undefined) checkPassword(u.password);
  const sub = u.oidcSubject !== undefined ? subject(u.oidcSubject) : null;
  const password = u.password ?? generatePassword();
  const hash = await hashPassword(password);
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    const party = await tx.parties.record(partyId);
    if (!party) throw new NotFoundError('party', partyId, 'partyId');
    if (await tx.users.byUsername(username)) throw new ConflictError('username-unique', `username ${username} is taken`, 'username');
    const user: User = { id: `usr-${randomUUID()}`, partyId, username, name, roles, status: 'active', failedAttempts: 0, lockedUntil: null, createdAt: now, updatedAt: now };
    if (sub && (await tx.users.byOidcSubject(partyId, sub))) throw new ConflictError('oidc-subject-unique', `a person of ${partyId} signs in as ${sub} already`, 'oidcSubject');
    await tx.users.insert(user, hash);
    if (sub) await tx.users.setOidcSubject(user.id, sub);
    await audit(tx, now, acting.party.id, 'user.created', `user/${user.id}`, { partyId, username, roles, oidcSubject: sub, by: acting.principal.person });
    return { user, password: u.password === undefined ? password : null };
  });
}

export interface UserFilter {
  readonly partyId?: string;
  readonly role?: string;
  readonly status?: string;
}

/** A party's people (the platform's administrators and auditors may name any party, or all). */
export async function listUsers(deps: ServiceDeps, acting: Acting, f: UserFilter & PageRequest): Promise<Page<User>> {
  const partyId = f.partyId ?? (acting.party.role === 'dcc' ? undefined : acting.party.id);
  if (partyId) requireInScope(acting, 'users.read', partyId, 'party', partyId, 'partyId');
  else requirePermission(acting.principal, 'users.read');
  if (f.role !== undefined && !(PERSON_ROLES as readonly string[]).includes(f.role))
    throw new ValidationError('role', 'person-role', `unknown role "${f.role}": one of ${PERSON_ROLES.join(', ')}`);
  if (f.status !== undefined && !(USER_STATUSES as readonly string[]).includes(f.status))
    throw new ValidationError('status', 'user-status', `unknown status "${f.status}": one of ${USER_STATUSES.join(', ')}`);
  return fetchPage(
    f,
    (after, limit) =>
      deps.store.read.users.page({
        ...(partyId ? { partyId } : {}),
        ...(f.role ? { role: f.role as PersonRole } : {}),
        ...(f.status ? { status: f.status as UserStatus } : {}),
        ...(after ? { after } : {}),
        limit,
      }),
    (u) => u.id,
  );
}

async function visibleUser(deps: ServiceDeps, acting: Acting, id: string, permission: 'users.read' | 'users.manage'): Promise<User> {
  requirePermission(acting.principal, permission);
  const u = await deps.store.read.users.get(id);
  if (!u) throw new NotFoundError('user', id, 'id');
  requireInScope(acting, permission, u.partyId, 'user', id, 'id');
  return u;
}

export async function showUser(deps: ServiceDeps, acting: Acting, id: string): Promise<User> {
  if (acting.principal.kind === 'user' && acting.principal.id === id) return (await deps.store.read.users.get(id))!;
  return visibleUser(deps, acting, id, 'users.read');
}

export interface UserPatch {
  readonly name?: string;
  readonly roles?: readonly string[];
  /** 'disabled' ends the person's sessions and refuses sign-in. */
  readonly status?: string;
  /** Their subject at the party's identity provider; null to stop them signing in there. */
  readonly oidcSubject?: string | null;
}

export async function updateUser(deps: ServiceDeps, acting: Acting, id: string, patch: UserPatch): Promise<User> {
  const target = await visibleUser(deps, acting, id, 'users.manage');
  const sub = patch.oidcSubject !== undefined ? subject(patch.oidcSubject) : undefined;
  const name = patch.name !== undefined ? personName(patch.name) : undefined;
  const roles = patch.roles !== undefined ? parsePersonRoles(patch.roles) : undefined;
  if (patch.status !== undefined && !(USER_STATUSES as readonly string[]).includes(patch.status))
    throw new ValidationError('status', 'user-status', `unknown status "${patch.status}": one of ${USER_STATUSES.join(', ')}`);
  const status = patch.status as UserStatus | undefined;
  if (acting.principal.kind === 'user' && acting.principal.id === id && (status === 'disabled' || (roles && !roles.includes('administrator'))))
    throw new ValidationError('id', 'own-account', 'an administrator cannot disable themselves or give up their own administrator role');
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    if (!(await tx.users.getForUpdate(id))) throw new NotFoundError('user', id, 'id');
    if (sub) {
      const holder = await tx.users.byOidcSubject(target.partyId, sub);
      if (holder && holder.id !== id) throw new ConflictError('oidc-subject-unique', `a person of ${target.partyId} signs in as ${sub} already`, 'oidcSubject');
    }
    if (sub !== undefined) await tx.users.setOidcSubject(id, sub);
    await tx.users.update(id, { ...(name !== undefined ? { name } : {}), ...(roles ? { roles } : {}), ...(status ? { status } : {}) }, now);
    if (status === 'disabled' || roles) await tx.sessions.revokeAllOf(id, now);
    await audit(tx, now, acting.party.id, 'user.updated', `user/${id}`, {
      ...(name !== undefined ? { name } : {}),
      ...(roles ? { roles } : {}),
      ...(status ? { status } : {}),
      by: acting.principal.person,
    });
    return (await tx.users.get(id))!;
  });
}

/** Lifts a lock after repeated wrong passwords. */
export async function unlockUser(deps: ServiceDeps, acting: Acting, id: string): Promise<User> {
  await visibleUser(deps, acting, id, 'users.manage');
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    await tx.users.update(id, { failedAttempts: 0, lockedUntil: null }, now);
    await audit(tx, now, acting.party.id, 'user.unlocked', `user/${id}`, { by: acting.principal.person });
    return (await tx.users.get(id))!;
  });
}

/** Sets a password: the person's own, or by an administrator; every session of the person ends. */
export async function setPassword(deps: ServiceDeps, acting: Acting, id: string, password: string): Promise<void> {
  const own = acting.principal.kind === 'user' && acting.principal.id === id;
  if (!own) await visibleUser(deps, acting, id, 'users.manage');
  const hash = await hashPassword(password);
  const now = deps.clock();
  await deps.store.transaction(async (tx) => {
    if (!(await tx.users.getForUpdate(id))) throw new NotFoundError('user', id, 'id');
    await tx.users.update(id, { passwordHash: hash, failedAttempts: 0, lockedUntil: null }, now);
    await tx.sessions.revokeAllOf(id, now);
    await audit(tx, now, acting.party.id, 'user.password_set', `user/${id}`, { by: acting.principal.person });
  });
}
