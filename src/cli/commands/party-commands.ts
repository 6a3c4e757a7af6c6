import type { Command } from 'commander';
import { ValidationError, type PartyRecord } from '../../domain/index.ts';
import { readSecretLine } from '../read-secret-line.ts';
import { actingParty, withContext, type CliContext, type GlobalFlags } from '../context.ts';
import { pageArgs, printPage, withPageOptions } from '../page-options.ts';
import { printJson } from '../print-json.ts';

// Use cases are loaded by the command that runs them, so that `meterops --help` loads none.
const loadActing = () => import('../../services/acting.ts');
const loadOidcSignIn = () => import('../../services/oidc-sign-in.ts');
const loadParties = () => import('../../services/parties.ts');

const collect = (v: string, prev: string[]) => [...prev, v];
const line = (p: PartyRecord) =>
  [p.id.padEnd(22), p.status.padEnd(9), p.userRoles.join(',').padEnd(28), (p.eui ?? '-').padEnd(16), p.distributorId === null ? '' : `region ${p.distributorId}  `, p.name].join(
    '  ',
  );

function region(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{1,3}$/.test(v)) throw new ValidationError('distributorId', 'network-operator-region', `--region is a distributor id (10-23 DNO areas, 24-99 IDNOs), got "${v}"`);
  return Number(v);
}

export function partyCommands(program: Command, globals: () => GlobalFlags): void {
  const acting = async (ctx: CliContext, as: string) => (await loadActing()).cliActing(await actingParty(ctx.deps, as));
  const parties = program.command('parties').description('the party directory: DCC User roles, User IDs, regions, suspension');
  parties
    .command('add')
    .description('register a party (as the platform party)')
    .requiredOption('--id <id>', 'party id: lower-case letters, digits, dashes')
    .requiredOption('--name <name>')
    .requiredOption(
      '--role <role>',
      'DCC User role (repeatable): import_supplier, export_supplier, gas_supplier, network_operator, other_user, registered_supplier_agent, ssc, dcc',
      collect,
      [],
    )
    .option('--eui <eui>', "the party's EUI (User ID)")
    .option('--region <distributorId>', "a Network Operator's region: its distributor id")
    .option('--kind <kind>', 'an Other User: meter_asset_provider (default), triage_house, gas_transporter, manufacturer')
    .option('--as <party>', 'the platform party acting', 'dcc')
    .option('--json', 'print JSON')
    .action((o) =>
      withContext(globals, async (ctx) => {
        const p = await (
          await loadParties()
        ).registerParty(ctx.deps, await acting(ctx, o.as), {
          id: o.id,
          name: o.name,
          roles: o.role,
          ...(o.eui ? { eui: o.eui } : {}),
          ...(o.region !== undefined ? { distributorId: region(o.region)! } : {}),
          ...(o.kind ? { kind: o.kind } : {}),
        });
        if (o.json) printJson(p);
        else process.stdout.write(line(p) + '\n');
      }),
    );
  withPageOptions(parties.command('list'))
    .option('--role <role>', 'platform role: supplier, network_operator, dcc, ...')
    .option('--user-role <role>', 'DCC User role')
    .option('--status <status>', 'active or suspended')
    .option('--as <party>', 'the party acting', 'dcc')
    .action((o) =>
      withContext(globals, async (ctx) => {
        const page = await (
          await loadParties()
        ).listParties(ctx.deps, await acting(ctx, o.as), {
          ...(o.role ? { role: o.role } : {}),
          ...(o.userRole ? { userRole: o.userRole } : {}),
          ...(o.status ? { status: o.status } : {}),
          ...pageArgs(o),
        });
        printPage(page, o, 'parties', line, 'no parties');
      }),
    );
  parties
    .command('show <id>')
    .description('a party, and which of its certificates the key source holds')
    .option('--as <party>', 'the party acting', 'dcc')
    .action((id: string, o) => withContext(globals, async (ctx) => printJson(await (await loadParties()).showParty(ctx.deps, await acting(ctx, o.as), id))));
  parties
    .command('update <id>')
    .option('--name <name>')
    .option('--role <role>', 'replace the DCC User roles (repeatable)', collect, [])
    .option('--eui <eui>', "the party's EUI (User ID); 'none' to clear")
    .option('--region <distributorId>', "a Network Operator's region")
    .option('--kind <kind>', 'an Other User: what it is')
    .option('--as <party>', 'the platform party acting', 'dcc')
    .action((id: string, o) =>
      withContext(globals, async (ctx) => {
        const p = await (
          await loadParties()
        ).updateParty(ctx.deps, await acting(ctx, o.as), id, {
          ...(o.name !== undefined ? { name: o.name } : {}),
          ...(o.role.length ? { roles: o.role } : {}),
          ...(o.eui !== undefined ? { eui: o.eui === 'none' ? null : o.eui } : {}),
          ...(o.region !== undefined ? { distributorId: region(o.region)! } : {}),
          ...(o.kind ? { kind: o.kind } : {}),
        });
        process.stdout.write(line(p) + '\n');
      }),
    );
  parties
    .command('suspend <id>')
    .description('suspend a party: its keys and sessions are refused at once')
    .requiredOption('--reason <text>')
    .option('--as <party>', 'the platform party acting', 'dcc')
    .action((id: string, o) =>
      withContext(globals, async (ctx) => {
        process.stdout.write(line(await (await loadParties()).suspendParty(ctx.deps, await acting(ctx, o.as), id, o.reason)) + '\n');
      }),
    );
  parties
    .command('reinstate <id>')
    .option('--as <party>', 'the platform party acting', 'dcc')
    .action((id: string, o) =>
      withContext(globals, async (ctx) => {
        process.stdout.write(line(await (await loadParties()).reinstateParty(ctx.deps, await acting(ctx, o.as), id)) + '\n');
      }),
    );
  parties
    .command('identity-provider <id>')
    .description("set the party's OpenID Connect identity provider; the client secret is read from standard input")
    .requiredOption('--issuer <url>', 'the issuer (https; http only on localhost)')
    .requiredOption('--client-id <id>', "meterops' client id there")
    .option('--as <party>', 'the party acting', 'dcc')
    .action((id: string, o) =>
      withContext(globals, async (ctx) => {
        await (
          await loadOidcSignIn()
        ).configureIdentityProvider(ctx.deps, await acting(ctx, o.as), id, { issuer: o.issuer, clientId: o.clientId, clientSecret: await readSecretLine('client secret') });
        process.stdout.write(`${id}: people sign in at ${o.issuer} (GET /v1/oidc/${id}/login)\n`);
      }),
    );
}
