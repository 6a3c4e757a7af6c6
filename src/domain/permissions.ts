import { ForbiddenError, ValidationError } from './errors.ts';

/** The roles a person (or a system's API key) holds within its party. */
export const PERSON_ROLES = ['administrator', 'operator', 'field_engineer', 'approver', 'auditor'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

/**
 * What may be done. `read` covers every GET of the party's own scope; `operate` every change of
 * operational data (devices, premises, vends, work orders, returns, duties, fleets); the others are
 * the acts the roles keep apart.
 */
export const PERMISSIONS = [
  'read',
  'operate',
  'requests.release',
  'work_orders.pull',
  'work_orders.push',
  'users.read',
  'users.manage',
  'keys.read',
  'keys.manage',
  'parties.manage',
  'audit.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * The permission table. Only approvers release held requests (and never their own: the use case
 * checks the person), only field engineers pull and push work orders, auditors only read (the
 * audit trail included), administrators manage people and keys but do not operate.
 */
export const ROLE_PERMISSIONS: Readonly<Record<PersonRole, readonly Permission[]>> = Object.freeze({
  administrator: ['read', 'users.read', 'users.manage', 'keys.read', 'keys.manage', 'parties.manage', 'audit.read'],
  operator: ['read', 'operate'],
  field_engineer: ['read', 'work_orders.pull', 'work_orders.push'],
  approver: ['read', 'requests.release'],
  auditor: ['read', 'users.read', 'keys.read', 'audit.read'],
});

/** Who is acting: a signed-in person, a system's API key, or the operator's CLI on the database. */
export interface Principal {
  readonly kind: 'user' | 'api_key' | 'cli';
  /** The user's or key's id ('cli' for the command line). */
  readonly id: string;
  /** The person as two-person rules compare them: the username, or the key's name. */
  readonly person: string;
  readonly partyId: string;
  readonly roles: readonly PersonRole[];
}

export function can(principal: Principal, permission: Permission): boolean {
  return principal.roles.some((r) => ROLE_PERMISSIONS[r].includes(permission));
}

/** Refuses, naming the permission and the roles that hold it, unless the principal may. */
export function requirePermission(principal: Principal, permission: Permission): void {
  if (can(principal, permission)) return;
  const holders = PERSON_ROLES.filter((r) => ROLE_PERMISSIONS[r].includes(permission));
  throw new ForbiddenError(
    `permission-${permission.replace('.', '-')}`,
    `${principal.person} (${principal.roles.join(', ') || 'no role'}) may not ${permission}: it needs the role ${holders.join(' or ')}`,
  );
}

/** Checks a list of person roles: at least one, each known, no repeats kept. */
export function parsePersonRoles(roles: unknown, field = 'roles'): PersonRole[] {
  if (!Array.isArray(roles) || roles.length === 0) throw new ValidationError(field, 'person-role', `${field}: at least one role of ${PERSON_ROLES.join(', ')}`);
  const out: PersonRole[] = [];
  for (const r of roles) {
    if (typeof r !== 'string' || !(PERSON_ROLES as readonly string[]).includes(r))
      throw new ValidationError(field, 'person-role', `unknown role "${String(r)}": one of ${PERSON_ROLES.join(', ')}`);
    if (!out.includes(r as PersonRole)) out.push(r as PersonRole);
  }
  return out;
}
