import type { Command } from 'commander';
import type { User } from '../../domain/index.ts';
import { readSecretLine } from '../read-secret-line.ts';
import { actingParty, withContext, type CliContext, type GlobalFlags } from '../context.ts';
import { pageArgs, printPage, withPageOptions } from '../page-options.ts';
import { printJson } from '../print-json.ts';

// Use cases are loaded by the command that runs them, so that `meterops --help` loads none.
const loadActing = () => import('../../services/acting.ts');
const loadUsers = () => import('../../services/users.ts');

const collect = (v: string, prev: string[]) => [...prev, v];
const line = (u: User) =>
  [u.id.padEnd(40), u.partyId.padEnd(16), u.username.padEnd(24), u.status.padEnd(8), u.roles.join(','), u.lockedUntil ? `locked until ${u.lockedUntil.toISOString()}` : '']
    .join('  ')
    .trimEnd();

/** A person by username, or by id. */
async function userId(ctx: CliContext, ref: string): Promise<string> {
  return (await ctx.deps.store.read.users.byUsername(ref.trim().toLowerCase()))?.id ?? ref;
}

export function userCommands(program: Command, globals: () => GlobalFlags): void {
  const acting = async (ctx: CliContext, as: string) => (await loadActing()).cliActing(await actingParty(ctx.deps, as));
  const users = program.command('users').description('people who sign in: one party each, with roles');
  users
    .command('add')
    .description('add a person; prints a generated password once unless --password-stdin')
    .requiredOption('--party <party>', 'the party the person belongs to')
    .requiredOption('--username <username>')
    .requiredOption('--name <name>', "the person's full name")
    .requiredOption('--role <role>', 'administrator, operator, field_engineer, approver, auditor (repeatable)', collect, [])
    .option('--password-stdin', 'read the password from standard input')
    .option('--oidc-subject <sub>', "their subject at the party's OpenID Connect identity provider")
    .option('--as <party>', 'the party acting (its console)', 'dcc')
    .action((o) =>
      withContext(globals, async (ctx) => {
        const password = o.passwordStdin ? await readSecretLine() : undefined;
        const r = await (
          await loadUsers()
        ).addUser(ctx.deps, await acting(ctx, o.as), {
          partyId: o.party,
          username: o.username,
          name: o.name,
          roles: o.role,
          ...(password ? { password } : {}),
          ...(o.oidcSubject ? { oidcSubject: o.oidcSubject } : {}),
        });
        process.stdout.write(line(r.user) + '\n');
        if (r.password) process.stdout.write(`password (shown once): ${r.password}\n`);
      }),
    );
  withPageOptions(users.command('list'))
    .option('--party <party>', "one party's people (default: the acting party's; the platform party sees all)")
    .option('--role <role>')
    .option('--status <status>', 'active or disabled')
    .option('--as <party>', 'the party acting', 'dcc')
    .action((o) =>
      withContext(globals, async (ctx) => {
        const page = await (
          await loadUsers()
        ).listUsers(ctx.deps, await acting(ctx, o.as), {
          ...(o.party ? { partyId: o.party } : {}),
          ...(o.role ? { role: o.role } : {}),
          ...(o.status ? { status: o.status } : {}),
          ...pageArgs(o),
        });
        printPage(page, o, 'users', line, 'no people');
      }),
    );
  users
    .command('show <user>')
    .option('--as <party>', 'the party acting', 'dcc')
    .action((id: string, o) => withContext(globals, async (ctx) => printJson(await (await loadUsers()).showUser(ctx.deps, await acting(ctx, o.as), await userId(ctx, id)))));
  users
    .command('update <user>')
    .option('--name <name>')
    .option('--role <role>', 'replace the roles (repeatable)', collect, [])
    .option('--status <status>', 'active, or disabled (ends their sessions)')
    .option('--oidc-subject <sub>', "their subject at the party's identity provider; 'none' to clear")
    .option('--as <party>', 'the party acting', 'dcc')
    .action((id: string, o) =>
      withContext(globals, async (ctx) => {
        const u = await (
          await loadUsers()
        ).updateUser(ctx.deps, await acting(ctx, o.as), await userId(ctx, id), {
          ...(o.name !== undefined ? { name: o.name } : {}),
          ...(o.role.length ? { roles: o.role } : {}),
          ...(o.status !== undefined ? { status: o.status } : {}),
          ...(o.oidcSubject !== undefined ? { oidcSubject: o.oidcSubject === 'none' ? null : o.oidcSubject } : {}),
        });
        process.stdout.write(line(u) + '\n');
      }),
    );
  users
    .command('unlock <user>')
    .description('lift the lock after repeated wrong passwords (the person by username or id)')
    .option('--as <party>', 'the party acting', 'dcc')
    .action((id: string, o) =>
      withContext(globals, async (ctx) => {
        process.stdout.write(line(await (await loadUsers()).unlockUser(ctx.deps, await acting(ctx, o.as), await userId(ctx, id))) + '\n');
      }),
    );
  users
    .command('password <user>')
    .description('set a password, read from standard input; every session of the person ends')
    .option('--as <party>', 'the party acting', 'dcc')
    .action((id: string, o) =>
      withContext(globals, async (ctx) => {
        await (await loadUsers()).setPassword(ctx.deps, await acting(ctx, o.as), await userId(ctx, id), await readSecretLine());
        process.stdout.write(`password set for ${id}\n`);
      }),
    );
}
