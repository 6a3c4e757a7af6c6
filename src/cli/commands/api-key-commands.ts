import type { Command } from 'commander';
import { NotFoundError, ValidationError, type ApiKeyRecord, type ApiKeyState } from '../../domain/index.ts';
import { actingParty, withContext, type CliContext, type GlobalFlags } from '../context.ts';
import { pageArgs, printPage, withPageOptions } from '../page-options.ts';
import { printJson } from '../print-json.ts';

// Use cases are loaded by the command that runs them, so that `meterops --help` loads none.
const loadActing = () => import('../../services/acting.ts');
const loadApiKeys = () => import('../../services/api-keys.ts');

const collect = (v: string, prev: string[]) => [...prev, v];
const line = (k: ApiKeyRecord & { state: ApiKeyState }) =>
  [k.id.padEnd(42), k.partyId.padEnd(16), k.name.padEnd(20), k.state.padEnd(8), k.roles.join(','), k.expiresAt ? `expires ${k.expiresAt.toISOString()}` : 'no expiry'].join('  ');

function expiryOf(o: { expiresAt?: string; expiresInDays?: string }, now: Date): Date | undefined {
  if (o.expiresAt !== undefined && o.expiresInDays !== undefined) throw new ValidationError('expiresAt', 'key-expiry', 'give --expires-at or --expires-in-days, not both');
  if (o.expiresInDays !== undefined) {
    if (!/^\d{1,4}$/.test(o.expiresInDays)) throw new ValidationError('expiresInDays', 'key-expiry', `--expires-in-days is a whole number of days, got "${o.expiresInDays}"`);
    return new Date(now.getTime() + Number(o.expiresInDays) * 86_400_000);
  }
  if (o.expiresAt !== undefined) {
    const d = new Date(o.expiresAt);
    if (Number.isNaN(d.getTime())) throw new ValidationError('expiresAt', 'date-time', `--expires-at "${o.expiresAt}" is not a date-time`);
    return d;
  }
  return undefined;
}

/** A key by its id, or as PARTY/NAME: that party's working key of that name. */
async function keyId(ctx: CliContext, ref: string): Promise<string> {
  const slash = ref.indexOf('/');
  if (slash < 0) return ref;
  const [party, name] = [ref.slice(0, slash), ref.slice(slash + 1)];
  const k = await ctx.deps.store.read.apiKeys.activeNamed(party, name, ctx.deps.clock());
  if (!k) throw new NotFoundError('working API key', ref, 'id');
  return k.id;
}

export function apiKeyCommands(program: Command, globals: () => GlobalFlags): void {
  const acting = async (ctx: CliContext, as: string) => (await loadActing()).cliActing(await actingParty(ctx.deps, as));
  const keys = program.command('keys').description("systems' API keys: issued to a party and roles, expiring, rotated, revoked");
  keys
    .command('issue')
    .description('issue a key; prints the secret once (meterops keeps only its hash)')
    .requiredOption('--party <party>', 'the party the key acts for')
    .requiredOption('--name <name>', 'what uses it (unique among the party’s working keys)')
    .requiredOption('--role <role>', 'administrator, operator, field_engineer, approver, auditor (repeatable)', collect, [])
    .option('--expires-in-days <n>', 'the key stops working after N days (at most 730)')
    .option('--expires-at <time>', 'or at this time (ISO 8601)')
    .option('--as <party>', 'the party acting (its console)', 'dcc')
    .action((o) =>
      withContext(globals, async (ctx) => {
        const expiresAt = expiryOf(o, ctx.deps.clock());
        const r = await (
          await loadApiKeys()
        ).issueApiKey(ctx.deps, await acting(ctx, o.as), { partyId: o.party, name: o.name, roles: o.role, ...(expiresAt ? { expiresAt } : {}) });
        process.stdout.write(`${line({ ...r.key, state: 'active' })}\nsecret (shown once): ${r.secret}\n`);
      }),
    );
  withPageOptions(keys.command('list'))
    .option('--party <party>', "one party's keys (default: the acting party's; the platform party sees all)")
    .option('--state <state>', 'active, expired or revoked')
    .option('--as <party>', 'the party acting', 'dcc')
    .action((o) =>
      withContext(globals, async (ctx) => {
        const page = await (
          await loadApiKeys()
        ).listApiKeys(ctx.deps, await acting(ctx, o.as), {
          ...(o.party ? { partyId: o.party } : {}),
          ...(o.state ? { state: o.state } : {}),
          ...pageArgs(o),
        });
        printPage(page, o, 'keys', line, 'no API keys');
      }),
    );
  keys
    .command('show <key>')
    .description('a key by its id, or PARTY/NAME')
    .option('--as <party>', 'the party acting', 'dcc')
    .action((id: string, o) => withContext(globals, async (ctx) => printJson(await (await loadApiKeys()).showApiKey(ctx.deps, await acting(ctx, o.as), await keyId(ctx, id)))));
  keys
    .command('rotate <key>')
    .description('a new secret for the same name and roles; the old key is revoked at once')
    .option('--expires-in-days <n>')
    .option('--expires-at <time>')
    .option('--as <party>', 'the party acting', 'dcc')
    .action((id: string, o) =>
      withContext(globals, async (ctx) => {
        const expiresAt = expiryOf(o, ctx.deps.clock());
        const r = await (await loadApiKeys()).rotateApiKey(ctx.deps, await acting(ctx, o.as), await keyId(ctx, id), expiresAt ? { expiresAt } : {});
        process.stdout.write(`${line({ ...r.key, state: 'active' })}\nsecret (shown once): ${r.secret}\n`);
      }),
    );
  keys
    .command('revoke <key>')
    .description('revoke a key: refused from the next request on')
    .option('--reason <text>', 'why', 'revoked')
    .option('--as <party>', 'the party acting', 'dcc')
    .action((id: string, o) =>
      withContext(globals, async (ctx) => {
        process.stdout.write(line(await (await loadApiKeys()).revokeApiKey(ctx.deps, await acting(ctx, o.as), await keyId(ctx, id), o.reason)) + '\n');
      }),
    );
}
