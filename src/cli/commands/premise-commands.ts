import type { Command } from 'commander';
import { ValidationError } from '../../domain/index.ts';
import { actingParty, withContext, type GlobalFlags } from '../context.ts';
import { pageArgs, printPage, withPageOptions } from '../page-options.ts';
import { printJson } from '../print-json.ts';

// Use cases are loaded by the command that runs them, so that `meterops --help` loads none.
const loadPremises = () => import('../../services/premises.ts');

export function premiseCommands(program: Command, globals: () => GlobalFlags): void {
  const premises = program.command('premises').description('premises: MPAN core and/or MPRN, postcode, supplier, installed devices');
  withPageOptions(
    premises
      .command('list')
      .description('premises you supply (a DNO: also those of its region; the DCC: all), by id')
      .requiredOption('--as <party>')
      .option('--supplier <party>', "one supplier's premises")
      .option('--distributor <id>', 'MPAN distributor id (10-23: the 14 DNO areas)')
      .option('--postcode <postcode>'),
  ).action((o) =>
    withContext(globals, async (ctx) => {
      if (o.distributor !== undefined && !/^\d+$/.test(o.distributor))
        throw new ValidationError('distributor', 'distributor-id', `--distributor is a distributor id (10-99), got "${o.distributor}"`);
      const page = await (
        await loadPremises()
      ).listPremises(ctx.deps, await actingParty(ctx.deps, o.as), {
        ...(o.supplier ? { supplierPartyId: o.supplier } : {}),
        ...(o.distributor !== undefined ? { distributorId: Number(o.distributor) } : {}),
        ...(o.postcode ? { postcode: o.postcode } : {}),
        ...pageArgs(o),
      });
      printPage(page, o, 'premises', (p) => `${p.id}  ${p.mpan ?? '-'.padEnd(13)}  ${p.mprn ?? '-'}  ${p.postcode.padEnd(8)}  supplier ${p.supplierPartyId ?? '-'}`, 'no premises');
    }),
  );
  premises
    .command('show <id>')
    .description('a premise with its installed devices and their hub')
    .requiredOption('--as <party>')
    .action((id: string, o) => withContext(globals, async (ctx) => printJson(await (await loadPremises()).showPremise(ctx.deps, await actingParty(ctx.deps, o.as), id))));
}
