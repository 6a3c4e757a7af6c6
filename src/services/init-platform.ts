import { randomUUID } from 'node:crypto';
import type { User } from '../domain/index.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './deps.ts';
import { generatePassword, hashPassword } from './passwords.ts';

/** The platform's own party (the DCC role: it sees and manages every party) and its first administrator. */
export const PLATFORM_PARTY = { id: 'dcc', name: 'Data Communications Company' } as const;
export const FIRST_ADMIN = 'admin';
const INITIALISED = 'platform_initialised_at';

export type PlatformInit =
  { readonly created: true; readonly partyId: string; readonly username: string; readonly password: string } | { readonly created: false; readonly partyId: string };

/**
 * Makes a fresh database usable: the platform's DCC party (unless one with its id exists, e.g.
 * from the demo) and a first administrator with a generated password, returned once. Does nothing
 * on a database it initialised before.
 */
export async function initPlatform(deps: ServiceDeps): Promise<PlatformInit> {
  if (await deps.store.read.meta.get(INITIALISED)) return { created: false, partyId: PLATFORM_PARTY.id };
  const password = generatePassword();
  const hash = await hashPassword(password);
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    if (await tx.meta.get(INITIALISED)) return { created: false, partyId: PLATFORM_PARTY.id };
    if (!(await tx.parties.get(PLATFORM_PARTY.id))) {
      await tx.parties.insert({ ...PLATFORM_PARTY, role: 'dcc', eui: null, distributorId: null, userRoles: ['dcc'] });
      await audit(tx, now, PLATFORM_PARTY.id, 'party.registered', `party/${PLATFORM_PARTY.id}`, { roles: ['dcc'], role: 'dcc', by: 'init' });
    }
    let username = FIRST_ADMIN;
    for (let i = 2; await tx.users.byUsername(username); i++) username = `${FIRST_ADMIN}${i}`;
    const user: User = {
      id: `usr-${randomUUID()}`,
      partyId: PLATFORM_PARTY.id,
      username,
      name: 'First administrator',
      roles: ['administrator'],
      status: 'active',
      failedAttempts: 0,
      lockedUntil: null,
      createdAt: now,
      updatedAt: now,
    };
    await tx.users.insert(user, hash);
    await audit(tx, now, PLATFORM_PARTY.id, 'user.created', `user/${user.id}`, { partyId: PLATFORM_PARTY.id, username, roles: user.roles, by: 'init' });
    await tx.meta.set(INITIALISED, now.toISOString());
    return { created: true, partyId: PLATFORM_PARTY.id, username, password };
  });
}

/** What to print after a first initialisation: how to sign in. */
export function initLines(init: PlatformInit & { created: true }, base = 'http://localhost:8080'): string[] {
  return [
    `initialised: platform party ${init.partyId}, first administrator "${init.username}"`,
    `  password (shown once): ${init.password}`,
    `  sign in: curl -c cookies.txt -H 'content-type: application/json' -d '{"username":"${init.username}","password":"${init.password}"}' ${base}/v1/sessions`,
    `  or issue a key: meterops keys issue --party ${init.partyId} --name ops --role operator`,
  ];
}
