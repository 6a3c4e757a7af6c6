import type { Command } from 'commander';
import { commandGroup } from '../../cli/command-group.ts';
import { DEFAULT_STUDY_SEED, NO_WAN_OPTIONS_LIMITS } from '../no-wan-options/no-wan-options-limits.ts';
import { NO_WAN_OPTION_IDS } from '../no-wan-options/seed-options.ts';
import type { SimulatedWorld } from '../simulated-world.ts';

/** `meterops report no-wan-options`: the eight options of the 2012 SDAG paper, each run, side by side. */
export function noWanOptionsCommand(program: Command, world: SimulatedWorld): void {
  commandGroup(program, 'report', 'reports')
    .command('no-wan-options')
    .description("the 2012 SDAG paper's eight no-WAN installation and maintenance options, each simulated at a generated fleet's no-WAN premises, with the attacks on each")
    .option(
      '--premises <n>',
      `premises in the generated fleet (${NO_WAN_OPTIONS_LIMITS.minPremises}-${NO_WAN_OPTIONS_LIMITS.maxPremises})`,
      String(NO_WAN_OPTIONS_LIMITS.defaultPremises),
    )
    .option('--seed <seed>', 'fleet seed', DEFAULT_STUDY_SEED)
    .option('--option <id>', `only one option's row: ${NO_WAN_OPTION_IDS.join(', ')}`)
    .option('--assume <key=value>', 'change a modelled input (repeatable); the keys are in docs/no-wan-options.md', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--json')
    .action(async (o) => (await import('./no-wan-options-run.ts')).runNoWanOptions(world, o));
}
