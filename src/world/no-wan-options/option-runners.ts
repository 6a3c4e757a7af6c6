import { runConfigurationCodes } from './configuration-codes.ts';
import { runEngineeringMenu } from './engineering-menu.ts';
import type { OpticalPort } from './optical-port.ts';
import { runOpticalPort } from './optical-port.ts';
import { runPassThroughHht } from './pass-through-hht.ts';
import { runPicocell } from './picocell.ts';
import { runPreConfiguredSet } from './pre-configured-set.ts';
import type { PremiseRun } from './premise-run.ts';
import { runRestrictedHht } from './restricted-hht.ts';
import type { NoWanOptionId } from './seed-options.ts';
import { runSmartReadyMeter } from './smart-ready-meter.ts';
import type { NoWanTask, TaskOutcome } from './tasks.ts';

/** One option's work programme at one premise, and what it left behind (an optical interface, possibly enabled). */
export interface OptionAtPremise {
  readonly tasks: Record<NoWanTask, TaskOutcome>;
  readonly opticalPort?: OpticalPort;
}

const plain = (run: (ctx: PremiseRun) => Promise<Record<NoWanTask, TaskOutcome>>) => async (ctx: PremiseRun) => ({ tasks: await run(ctx) });

/** Each of the eight options as a mechanism run at a premise. */
export const OPTION_RUNNERS: Readonly<Record<NoWanOptionId, (ctx: PremiseRun) => Promise<OptionAtPremise>>> = {
  'dumb-or-smart-ready': plain(runSmartReadyMeter),
  'pre-configured-set': plain(runPreConfiguredSet),
  picocell: plain(runPicocell),
  'engineering-menu': plain(runEngineeringMenu),
  'optical-port': async (ctx) => {
    const r = await runOpticalPort(ctx);
    return { tasks: r.tasks, opticalPort: r.port };
  },
  'configuration-codes': plain(runConfigurationCodes),
  'pass-through-hht': plain(runPassThroughHht),
  'restricted-hht': plain(runRestrictedHht),
};
