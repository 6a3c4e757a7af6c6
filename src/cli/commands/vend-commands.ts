import type { Command } from 'commander';
import { actingParty, withContext, type GlobalFlags } from '../context.ts';
import { pageArgs, printPage, withPageOptions } from '../page-options.ts';
import { oneOf } from './device-commands.ts';

// Use cases are loaded by the command that runs them, so that `meterops --help` loads none.
const loadVending = () => import('../../services/vending.ts');

export function vendCommands(program: Command, globals: () => GlobalFlags): void {
  withPageOptions(
    program
      .command('vends')
      .description('UTRN and configuration-code vends')
      .command('list')
      .description('your vends (the DCC: all), newest first')
      .requiredOption('--as <party>')
      .option('--device <eui>')
      .option('--kind <kind>', 'credit or config'),
  ).action((o) =>
    withContext(globals, async (ctx) => {
      const page = await (
        await loadVending()
      ).listVends(ctx.deps, await actingParty(ctx.deps, o.as), {
        ...(o.device ? { deviceEui: o.device } : {}),
        ...(o.kind ? { kind: oneOf(['credit', 'config'] as const, o.kind, 'kind') } : {}),
        ...pageArgs(o),
      });
      printPage(
        page,
        o,
        'vends',
        (v) => `${v.createdAt.toISOString()}  ${v.deviceEui}  ${v.kind.padEnd(6)} ${v.code}  ${v.kind === 'credit' ? `${v.pence}p` : v.request}  key ${v.idempotencyKey}`,
        'no vends',
      );
    }),
  );
}
