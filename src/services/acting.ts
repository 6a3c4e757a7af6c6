import { NotFoundError, PERSON_ROLES, requirePermission, type Party, type Permission, type Principal } from '../domain/index.ts';

/** Who acts: the party, and the person or system within it (whose roles the use case checks). */
export interface Acting {
  readonly party: Party;
  readonly principal: Principal;
}

/**
 * The command line works on the database directly, so whoever runs it holds the database's
 * credentials already: it acts as the console of its `--as` party, with every role.
 */
export function cliActing(party: Party): Acting {
  return { party, principal: { kind: 'cli', id: 'cli', person: 'cli', partyId: party.id, roles: PERSON_ROLES } };
}

/** The platform's own party (the DCC) sees and manages every party; others only themselves. */
export function isPlatform(acting: Acting): boolean {
  return acting.party.role === 'dcc';
}

/**
 * The permission, then the scope: another party's people or keys answer as missing ones do, so
 * a probe learns nothing of what exists.
 */
export function requireInScope(acting: Acting, permission: Permission, partyId: string, what: string, id: string, field?: string): void {
  requirePermission(acting.principal, permission);
  if (partyId !== acting.party.id && !isPlatform(acting)) throw new NotFoundError(what, id, field);
}

/**
 * The person's permission, checked in the use case as well as by the HTTP hook (docs/access.md):
 * given when an adapter knows who acts within the party (the command line acts with every role).
 */
export function mayAct(principal: Principal | undefined, permission: Permission = 'operate'): void {
  if (principal) requirePermission(principal, permission);
}
