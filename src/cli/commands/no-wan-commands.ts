import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parseEui, ValidationError } from '../../domain/index.ts';
import type { OrderCommandRequest } from '../../services/work-orders.ts';
import { CliError } from '../cli-error.ts';
import { commandGroup } from '../command-group.ts';
import { actingParty, withContext, type GlobalFlags } from '../context.ts';
import { printJson } from '../print-json.ts';
import { pageArgs, printPage, withPageOptions } from '../page-options.ts';
import { oneOf } from './device-commands.ts';

// Use cases are loaded by the command that runs them, so that `meterops --help` loads none.
const loadWanRouting = () => import('../../services/wan-routing.ts');
const loadWorkOrders = () => import('../../services/work-orders.ts');

const collect = (v: string, prev: string[]) => [...prev, v];
const assigned = (to: string | null) => (to ? `assigned to ${to}` : 'unassigned');

/** `EUI:USECASE` or `EUI:CS01a:VALUE:pounds|pennies`. */
function parseCommand(text: string, i: number): OrderCommandRequest {
  const [eui, useCase, value, valueClass] = text.split(':');
  if (!eui || !useCase) throw new ValidationError(`command[${i}]`, 'command-spec', `--command takes EUI:USECASE or EUI:CS01a:VALUE:pounds|pennies; got "${text}"`);
  return {
    deviceEui: parseEui(eui, `command[${i}]`),
    useCase,
    ...(value ? { value: Number(value) } : {}),
    ...(valueClass ? { valueClass: valueClass as 'pounds' | 'pennies' } : {}),
  };
}

export function noWanCommands(program: Command, globals: () => GlobalFlags): void {
  program
    .command('route <eui> <request>')
    .description('how a request (enableSupply, disableSupply, armSupply, topUp, readStatus, credentialChange) would reach the device, and why')
    .requiredOption('--as <party>')
    .action((eui: string, request: string, o) =>
      withContext(globals, async (ctx) => printJson(await (await loadWanRouting()).routeRequest(ctx.deps, await actingParty(ctx.deps, o.as), parseEui(eui), request))),
    );

  program
    .command('visit-queue')
    .description('SECMP0032: prepayment premises with no WAN, most at risk first, with the 30- and 90-day clocks')
    .requiredOption('--as <party>')
    .option('--limit <n>', 'how many', '50')
    .option('--json', 'JSON instead of a table')
    .action((o) =>
      withContext(globals, async (ctx) => {
        const q = await (await loadWanRouting()).visitQueue(ctx.deps, await actingParty(ctx.deps, o.as), Number(o.limit));
        if (o.json) return printJson(q);
        for (const e of q) {
          process.stdout.write(
            `${String(e.risk).padStart(5)}  ${e.premiseId.padEnd(24)} ${e.postcode.padEnd(9)} ${String(e.daysWithoutWan).padStart(3)} d  30-day ${e.fix30.state.padEnd(17)} 90-day ${e.fix90.state.padEnd(17)} ${e.why.join(', ')}\n`,
          );
        }
        process.stdout.write(`${q.length} premises\n`);
      }),
    );

  commandGroup(program, 'wan', 'WAN coverage')
    .command('coverage-import <file>')
    .description('load WAN coverage by postcode from CSV lines: postcode,covered|partial|not-covered[,anticipated date]')
    .option('--as <party>', 'the DCC party', 'dcc')
    .action((file: string, o) =>
      withContext(globals, async (ctx) => {
        const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
          throw new CliError(`cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : (e.code ?? e.message)}`, 2, e.code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE');
        });
        const rows = text
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter((l) => l && !/^postcode,/i.test(l))
          .map((l) => {
            const [postcode, coverage, anticipatedAt] = l.split(',').map((x) => x.trim());
            return { postcode: postcode ?? '', coverage: coverage ?? '', anticipatedAt: anticipatedAt || null };
          });
        process.stdout.write(`wan coverage: ${await (await loadWanRouting()).importCoverage(ctx.deps, await actingParty(ctx.deps, o.as), rows)} postcodes loaded\n`);
      }),
    );

  const wo = program.command('work-order').description('HHT work orders (the Supplier side)');
  wo.command('create')
    .description('build the commands for local delivery at a premise (signed, MACed, Command Variant 2 or 6)')
    .requiredOption('--as <party>')
    .requiredOption('--premise <id>')
    .requiredOption('--command <spec>', 'EUI:USECASE, or EUI:CS01a:VALUE:pounds|pennies; repeat for more', collect, [])
    .option('--hours <n>', 'lifetime in hours (default 72, at most 336)')
    .option('--assignee <username>', "the field engineer to carry it (one of the party's people with field_engineer); unassigned without one")
    .action((o) =>
      withContext(globals, async (ctx) => {
        const r = await (
          await loadWorkOrders()
        ).createWorkOrder(ctx.deps, await actingParty(ctx.deps, o.as), 'cli', {
          premiseId: o.premise,
          commands: (o.command as string[]).map(parseCommand),
          ...(o.hours ? { lifetimeHours: Number(o.hours) } : {}),
          ...(o.assignee !== undefined ? { assignee: o.assignee } : {}),
        });
        process.stdout.write(`${r.order.id}  expires ${r.order.expiresAt.toISOString()}  ${assigned(r.order.assignedTo)}\n`);
        for (const c of r.commands) process.stdout.write(`  ${c.seq}  ${c.useCase.padEnd(6)} ${c.deviceEui}  variant ${c.variant}  counter ${c.counter}\n`);
      }),
    );
  withPageOptions(
    wo
      .command('list')
      .description('your work orders (the DCC: all), newest first')
      .requiredOption('--as <party>')
      .option('--state <state>', 'open, pulled, completed or expired')
      .option('--premise <id>')
      .option('--assignee <names>', 'none (unassigned) or usernames, comma-separated'),
  ).action((o) =>
    withContext(globals, async (ctx) => {
      const page = await (
        await loadWorkOrders()
      ).listWorkOrders(ctx.deps, await actingParty(ctx.deps, o.as), {
        ...(o.state ? { state: oneOf(['open', 'pulled', 'completed', 'expired'] as const, o.state, 'state') } : {}),
        ...(o.premise ? { premiseId: o.premise } : {}),
        ...(o.assignee !== undefined ? { assignee: o.assignee } : {}),
        ...pageArgs(o),
      });
      printPage(
        page,
        o,
        'workOrders',
        (w) => `${w.id}  ${w.state.padEnd(9)} premise ${w.premiseId}  ${assigned(w.assignedTo)}  created ${w.createdAt.toISOString()}  expires ${w.expiresAt.toISOString()}`,
        'no work orders',
      );
    }),
  );
  wo.command('assign <id>')
    .description('give the order to a field engineer of the party (while it is open or pulled); --none to unassign')
    .requiredOption('--as <party>')
    .option('--assignee <username>', "one of the party's people with field_engineer")
    .option('--none', 'unassign it: any field engineer of the party may pull it')
    .action((id: string, o) =>
      withContext(globals, async (ctx) => {
        if ((o.assignee === undefined) === !o.none) throw new ValidationError('assignee', 'assignee-or-none', 'give --assignee USERNAME or --none');
        const order = await (await loadWorkOrders()).assignWorkOrder(ctx.deps, await actingParty(ctx.deps, o.as), 'cli', id, o.none ? null : o.assignee);
        process.stdout.write(`${order.id}  ${order.state}  ${assigned(order.assignedTo)}\n`);
      }),
    );
  wo.command('show <id>')
    .requiredOption('--as <party>')
    .description('a work order with each command, response and outcome')
    .action((id: string, o) => withContext(globals, async (ctx) => printJson(await (await loadWorkOrders()).showWorkOrder(ctx.deps, await actingParty(ctx.deps, o.as), id))));
}
