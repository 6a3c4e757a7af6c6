import type { ServiceDeps } from '../services/deps.ts';
import type { JobRuntime } from '../services/ports/job-queue.ts';
import type { Wiring } from './wiring.ts';

export interface OpenJobsOptions {
  /** A process that runs jobs (serve, worker): maintenance and the schedules run in it too. */
  readonly supervise: boolean;
  readonly maintenanceIntervalSeconds?: number;
  readonly pollingIntervalSeconds?: number;
}

/**
 * Opens the job runtime on the store of `deps` with every kind this process knows (the platform's
 * and the wiring's) registered, and returns the deps with `jobs` set. Loaded only by the commands
 * that need it, so other commands do not load pg-boss.
 */
export async function openJobs(deps: ServiceDeps, wiring: Wiring, o: OpenJobsOptions): Promise<{ deps: ServiceDeps; runtime: JobRuntime }> {
  const [{ openJobRuntime }, { platformJobKinds, AUDIT_SEQUENCE_CRON, NOTICE_SWEEP_CRON }] = await Promise.all([
    import('../jobs/pg-boss-runtime.ts'),
    import('../jobs/platform-jobs.ts'),
  ]);
  const runtime = await openJobRuntime(deps.store, deps.log, {
    supervise: o.supervise,
    clock: deps.clock,
    ...(o.maintenanceIntervalSeconds !== undefined ? { maintenanceIntervalSeconds: o.maintenanceIntervalSeconds } : {}),
    ...(o.pollingIntervalSeconds !== undefined ? { pollingIntervalSeconds: o.pollingIntervalSeconds } : {}),
  });
  const withJobs: ServiceDeps = { ...deps, jobs: runtime };
  try {
    for (const kind of [...platformJobKinds(withJobs), ...((await wiring.jobKinds?.(withJobs)) ?? [])]) await runtime.register(kind);
    if (o.supervise) {
      await runtime.schedule('audit-sequence', AUDIT_SEQUENCE_CRON);
      await runtime.schedule('notice-sweep', NOTICE_SWEEP_CRON);
      // Notices written while no worker ran (a CLI command's) are queued now, not a minute later.
      const { sweepNotices } = await import('../services/notices/deliver-notice.ts');
      await sweepNotices(withJobs);
    }
  } catch (e) {
    await runtime.stop(1_000);
    throw e;
  }
  return { deps: withJobs, runtime };
}
