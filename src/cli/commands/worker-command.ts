import type { Command } from 'commander';
import { CliError } from '../cli-error.ts';
import { openContext, type GlobalFlags } from '../context.ts';

// Loaded when the command runs, so that `meterops --help` loads neither pg-boss nor the sequencer.
const loadJobRuntime = () => import('../job-runtime.ts');
const loadAuditSequencer = () => import('../../services/audit-sequencer.ts');

const whole = (v: string, what: string, min: number, max: number): number => {
  if (!/^\d{1,5}$/.test(v) || Number(v) < min || Number(v) > max) throw new CliError(`${what} must be a whole number from ${min} to ${max} (got ${JSON.stringify(v)})`, 2);
  return Number(v);
};

export function workerCommand(program: Command, globals: () => GlobalFlags): void {
  program
    .command('worker')
    .description('run jobs (fleet generation, the returns year and its batches, HHT uploads, the sequencer) until stopped; any number of workers share one PostgreSQL')
    .option('--slots <n>', 'runs at a time of each job kind in this process (1-64)', '1')
    .option('--drain', 'run the jobs waiting now, then exit (with PGlite: while no server holds the data)')
    .option('--maintenance-seconds <s>', "seconds between the queue's maintenance passes, which rerun jobs whose worker died once their lease ends (1-3600)", '30')
    .action(async (o: { slots: string; drain?: boolean; maintenanceSeconds: string }) => {
      const slots = whole(o.slots, '--slots', 1, 64);
      const maintenanceIntervalSeconds = whole(o.maintenanceSeconds, '--maintenance-seconds', 1, 3600);
      const ctx = await openContext(globals(), { logToStdout: !o.drain });
      const { openJobs } = await loadJobRuntime();
      const { deps, runtime } = await openJobs(ctx.deps, globals().wiring, { supervise: true, maintenanceIntervalSeconds, pollingIntervalSeconds: o.drain ? 0.5 : 1 });
      // The audit log's sequencer runs here too (one leader among all processes), so that entries
      // written by jobs are placed within a second when no server runs.
      const { drainAudit, startSequencer } = await loadAuditSequencer();
      const sequencer = startSequencer(deps.store, deps.auditKey, deps.log);
      await runtime.work(slots);
      let stopping = false;
      const stop = async (code: number) => {
        if (stopping) return;
        stopping = true;
        await runtime.stop(ctx.config.shutdownTimeoutMs);
        await sequencer.stop();
        await drainAudit(deps.store, deps.auditKey).catch((err: unknown) => deps.log.error({ err }, 'audit log: last sequencer run failed'));
        await ctx.close();
        if (!o.drain) deps.log.info('worker stopped');
        process.exit(code);
      };
      if (o.drain) {
        // Idle twice in a row, a poll apart: a job that a finished one enqueued has been seen.
        for (let idle = 0; idle < 2;) {
          await new Promise((r) => setTimeout(r, 600));
          idle = (await runtime.idle()) ? idle + 1 : 0;
        }
        process.stdout.write('worker: no jobs waiting\n');
        await stop(0);
        return;
      }
      process.stdout.write(
        `meterops worker: ${slots} slot${slots === 1 ? '' : 's'} per job kind on ${deps.store.kind === 'pglite' ? `the embedded database in ${ctx.config.dataDir}` : 'PostgreSQL'}\n`,
      );
      process.on('SIGINT', () => void stop(0));
      process.on('SIGTERM', () => void stop(0));
    });
}
