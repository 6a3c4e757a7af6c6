import type { ServiceDeps } from '../../services/deps.ts';
import type { JobKind } from '../../services/ports/job-queue.ts';
import { noWanOptionsReport, type NoWanOptionsReport } from '../no-wan-options/no-wan-options-report.ts';
import type { SimulatedWorld } from '../simulated-world.ts';

export const NO_WAN_OPTIONS_JOB = 'no-wan-options';

/** What a `no-wan-options` job carries: the study's request, already checked by the route. */
export interface NoWanOptionsJobPayload {
  readonly premises: number;
  readonly seed: string;
  readonly option?: string;
  readonly assumptions: Readonly<Record<string, number | boolean>>;
}

/**
 * The no-WAN options study (`meterops report no-wan-options`) as a job, for the web's dashboard:
 * seconds of CPU on a generated fleet of its own, so a request enqueues it and a worker runs it.
 * It reads and writes no party's data; its value is the report, kept as the job's result.
 */
export function noWanOptionsJobKind(world: SimulatedWorld, deps: ServiceDeps): JobKind<NoWanOptionsJobPayload, NoWanOptionsReport> {
  return {
    name: NO_WAN_OPTIONS_JOB,
    expireInSeconds: 900,
    // The study is a pure function of its request: a failed run fails again.
    retryLimit: 0,
    handler: async (run) => {
      await run.progress(0, 1);
      const { premises, seed, option, assumptions } = run.payload;
      const keypadLockoutMinutes = deps.policy?.keypadLockoutMinutes;
      const report = await noWanOptionsReport(world, {
        premises,
        seed,
        ...(option ? { option } : {}),
        assumptions,
        ...(keypadLockoutMinutes === undefined ? {} : { keypadLockoutMinutes }),
      });
      await run.progress(1, 1);
      return report;
    },
  };
}
