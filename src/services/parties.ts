import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  checkUserRoles,
  parseEui,
  parsePartyId,
  platformRoleFor,
  requirePermission,
  type DccUserRole,
  type OtherUserKind,
  type PartyRecord,
  type PartyRole,
  type PartyStatus,
  OTHER_USER_KINDS,
  DCC_USER_ROLES,
  PARTY_ROLES,
  PARTY_STATUSES,
} from '../domain/index.ts';
import type { StoreTx } from '../store/ports.ts';
import { isPlatform, type Acting } from './acting.ts';
import { audit } from './audit.ts';
import { fetchPage, type Page, type PageRequest } from './cursor-page.ts';
import type { ServiceDeps } from './deps.ts';
import type { KeyUsage } from '../gbcs/key-store.ts';

export interface NewParty {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly eui?: string | null;
  /** A Network Operator's region: the distributor id of its area. */
  readonly distributorId?: number | null;
  /** What an Other User is here (a MAP by default). */
  readonly kind?: string;
}

function name(s: unknown): string {
  const n = typeof s === 'string' ? s.trim() : '';
  if (!n || n.length > 200) throw new ValidationError('name', 'party-name', 'a party name is 1 to 200 characters');
  return n;
}

function kindOf(k: string | undefined): OtherUserKind {
  if (k === undefined) return 'meter_asset_provider';
  if (!(OTHER_USER_KINDS as readonly string[]).includes(k)) throw new ValidationError('kind', 'other-user-kind', `unknown kind "${k}": one of ${OTHER_USER_KINDS.join(', ')}`);
  return k as OtherUserKind;
}

/** Only the platform's administrators register and change parties. */
function requirePlatformAdmin(acting: Acting, act: string): void {
  requirePermission(acting.principal, 'parties.manage');
  if (!isPlatform(acting)) throw new ForbiddenError('platform-party', `only the platform's own (DCC) party ${act}`);
}

async function euiFree(tx: StoreTx, eui: string | null, self: string | null): Promise<void> {
  if (!eui) return;
  const holder = await tx.parties.byEui(eui);
  if (holder && holder.id !== self) throw new ConflictError('party-eui-unique', `EUI ${eui} is already the User ID of party ${holder.id}`, 'eui');
}

/** Registers a party with its DCC User roles (and a Network Operator's region) and its EUI, the User ID. */
export async function registerParty(deps: ServiceDeps, acting: Acting, p: NewParty): Promise<PartyRecord> {
  requirePlatformAdmin(acting, 'registers parties');
  const id = parsePartyId(p.id);
  const partyName = name(p.name);
  const { roles, distributorId } = checkUserRoles(p.roles as string[], p.distributorId);
  if (p.kind !== undefined && !roles.includes('other_user')) throw new ValidationError('kind', 'other-user-kind', 'only an Other User has a kind');
  const eui = p.eui ? parseEui(p.eui, 'eui') : null;
  const role = platformRoleFor(roles, kindOf(p.kind));
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    if (await tx.parties.get(id)) throw new ConflictError('party-id-unique', `party ${id} exists already`, 'id');
    await euiFree(tx, eui, null);
    await tx.parties.insert({ id, name: partyName, role, eui, distributorId, userRoles: roles });
    await audit(tx, now, acting.party.id, 'party.registered', `party/${id}`, { roles, role, eui, distributorId, by: acting.principal.person });
    return (await tx.parties.record(id))!;
  });
}

export interface PartyFilter {
  readonly role?: string;
  readonly userRole?: string;
  readonly status?: string;
}

function oneOf<T extends string>(field: string, v: string | undefined, allowed: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw new ValidationError(field, 'known-value', `${field} "${v}" is not one of ${allowed.join(', ')}`);
  return v as T;
}

/** The party directory: every party sees who the others are (names, roles, User IDs), as the SEC's do. */
export async function listParties(deps: ServiceDeps, acting: Acting, f: PartyFilter & PageRequest): Promise<Page<PartyRecord>> {
  requirePermission(acting.principal, 'read');
  const role = oneOf<PartyRole>('role', f.role, PARTY_ROLES);
  const userRole = oneOf<DccUserRole>('userRole', f.userRole, DCC_USER_ROLES);
  const status = oneOf<PartyStatus>('status', f.status, PARTY_STATUSES);
  return fetchPage(
    f,
    (after, limit) =>
      deps.store.read.parties.page({ ...(role ? { role } : {}), ...(userRole ? { userRole } : {}), ...(status ? { status } : {}), ...(after ? { after } : {}), limit }),
    (p) => p.id,
  );
}

export interface PartyCertificate {
  readonly usage: KeyUsage;
  readonly serialNumber: string;
  readonly notAfter: string;
}

/** A party, and which of its organisation certificates the key source holds (null: it cannot say). */
export async function showParty(deps: ServiceDeps, acting: Acting, id: string): Promise<PartyRecord & { certificates: PartyCertificate[] | null }> {
  requirePermission(acting.principal, 'read');
  const p = await deps.store.read.parties.record(id);
  if (!p) throw new NotFoundError('party', id, 'id');
  let certificates: PartyCertificate[] | null = null;
  if (deps.keySource.partyCertificates) {
    const found = p.eui ? await deps.store.transaction((tx) => deps.keySource.partyCertificates!(tx, p.eui!)) : [];
    certificates =
      found?.map((c) => ({
        usage: c.usage,
        serialNumber: c.certificate.serialNumber,
        notAfter: new Date(c.certificate.validTo).toISOString(),
      })) ?? null;
  }
  return { ...p, certificates };
}

export interface PartyPatch {
  readonly name?: string;
  readonly roles?: readonly string[];
  readonly eui?: string | null;
  readonly distributorId?: number | null;
  readonly kind?: string;
}

/** Changes a party's name, User roles, region or EUI (the platform role follows the User roles). */
export async function updateParty(deps: ServiceDeps, acting: Acting, id: string, patch: PartyPatch): Promise<PartyRecord> {
  requirePlatformAdmin(acting, 'changes parties');
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    const p = await tx.parties.recordForUpdate(id);
    if (!p) throw new NotFoundError('party', id, 'id');
    const newName = patch.name !== undefined ? name(patch.name) : undefined;
    const rolesGiven = patch.roles !== undefined || patch.distributorId !== undefined || patch.kind !== undefined;
    let roleChange: { userRoles: DccUserRole[]; distributorId: number | null; role: PartyRole } | undefined;
    if (rolesGiven) {
      const checked = checkUserRoles((patch.roles ?? p.userRoles) as string[], patch.distributorId !== undefined ? patch.distributorId : p.distributorId);
      const role = patch.roles !== undefined || patch.kind !== undefined ? platformRoleFor(checked.roles, kindOf(patch.kind)) : p.role;
      if (p.id === acting.party.id && role !== 'dcc') throw new ForbiddenError('platform-party', 'the platform party keeps its DCC role');
      roleChange = { userRoles: checked.roles, distributorId: checked.distributorId, role };
    }
    const eui = patch.eui === undefined ? undefined : patch.eui === null ? null : parseEui(patch.eui, 'eui');
    if (eui !== undefined) await euiFree(tx, eui, id);
    await tx.parties.update(
      id,
      {
        ...(newName !== undefined ? { name: newName } : {}),
        ...(eui !== undefined ? { eui } : {}),
        ...(roleChange ?? {}),
      },
      now,
    );
    await audit(tx, now, acting.party.id, 'party.updated', `party/${id}`, { ...patch, by: acting.principal.person });
    return (await tx.parties.record(id))!;
  });
}

/** Suspends a party: its keys and sessions are refused from the next request on. */
export async function suspendParty(deps: ServiceDeps, acting: Acting, id: string, reason: string): Promise<PartyRecord> {
  requirePlatformAdmin(acting, 'suspends parties');
  const why = typeof reason === 'string' ? reason.trim() : '';
  if (!why || why.length > 500) throw new ValidationError('reason', 'suspension-reason', 'say why the party is suspended (1 to 500 characters)');
  if (id === acting.party.id) throw new ForbiddenError('platform-party', 'the platform party cannot suspend itself', 'id');
  return setStatus(deps, acting, id, 'suspended', why);
}

export async function reinstateParty(deps: ServiceDeps, acting: Acting, id: string): Promise<PartyRecord> {
  requirePlatformAdmin(acting, 'reinstates parties');
  return setStatus(deps, acting, id, 'active', null);
}

async function setStatus(deps: ServiceDeps, acting: Acting, id: string, status: PartyStatus, reason: string | null): Promise<PartyRecord> {
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    const p = await tx.parties.recordForUpdate(id);
    if (!p) throw new NotFoundError('party', id, 'id');
    if (p.status === status) throw new ConflictError('party-status', `party ${id} is ${status} already`, 'id');
    await tx.parties.update(id, { status, suspendedReason: reason }, now);
    await audit(tx, now, acting.party.id, status === 'suspended' ? 'party.suspended' : 'party.reinstated', `party/${id}`, { reason, by: acting.principal.person });
    return (await tx.parties.record(id))!;
  });
}
