import { Fleet, type SimPremise } from '../../src/world/devices/fleet.ts';
import { SimClock } from '../../src/world/devices/sim-clock.ts';
import { resolveAssumptions } from '../../src/world/no-wan-options/assumptions.ts';
import { PremiseRun } from '../../src/world/no-wan-options/premise-run.ts';
import { SimulatedWorld } from '../../src/world/simulated-world.ts';

export const START = new Date('2026-01-05T08:00:00Z');

/** A fixed-seed fleet and its no-WAN premises, with a fresh PremiseRun per call (each starts from the premise as generated). */
export async function studyFleet(seed = 'no-wan-options-test', premises = 1000) {
  const fleet = new Fleet({ premises, seed });
  const noWan: SimPremise[] = [];
  for (let i = 0; i < fleet.premiseCount; i++) if (fleet.premise(i).wan === 'none') noWan.push(fleet.premise(i));
  const platform = await new SimulatedWorld().fleetKeys(fleet);
  const run = (p: SimPremise, stream: string, overrides: Record<string, unknown> = {}) =>
    new PremiseRun(fleet, p, platform, new SimClock(START), resolveAssumptions(overrides), stream);
  return { fleet, noWan, platform, run };
}
