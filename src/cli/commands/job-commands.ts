import type { Command } from 'commander';
import type { JobStatus } from '../../services/ports/job-queue.ts';
import { actingParty, withContext, type GlobalFlags } from '../context.ts';
import { pageArgs, printPage, withPageOptions } from '../page-options.ts';
import { printJson } from '../print-json.ts';

// Loaded by the command that runs them, so that `meterops --help` loads neither pg-boss nor the use cases.
const loadJobRuntime = () => import('../job-runtime.ts');
const loadJobs = () => import('../../services/jobs.ts');

const progressText = (s: JobStatus) => `${s.progress.done}/${s.progress.total ?? '?'}`;

export function jobCommands(program: Command, globals: () => GlobalFlags): void {
  const jobs = program.command('jobs').description('long work run by workers: its state, progress, result or error');
  jobs
    .command('show <id>')
    .description("one of your party's jobs, as JSON: state, attempts, progress (done of total), result or error")
    .requiredOption('--as <party>', 'the party asking (a job is shown to the party it is for)')
    .action(async (id: string, o: { as: string }) =>
      withContext(globals, async (ctx) => {
        const { openJobs } = await loadJobRuntime();
        const { deps, runtime } = await openJobs(ctx.deps, globals().wiring, { supervise: false });
        try {
          printJson(await (await loadJobs()).jobStatus(deps, await actingParty(deps, o.as), id));
        } finally {
          await runtime.stop(1_000);
        }
      }),
    );
  withPageOptions(
    jobs.command('list').description("your party's jobs, newest first: id, kind, state, progress, attempts, created").requiredOption('--as <party>', 'the party asking'),
  ).action(async (o: { as: string; limit?: string; cursor?: string; json?: boolean }) =>
    withContext(globals, async (ctx) => {
      const { openJobs } = await loadJobRuntime();
      const { deps, runtime } = await openJobs(ctx.deps, globals().wiring, { supervise: false });
      try {
        const page = await (await loadJobs()).listJobs(deps, await actingParty(deps, o.as), pageArgs(o));
        printPage(
          page,
          o,
          'jobs',
          (s) => `${s.id}  ${s.name.padEnd(18)}  ${s.state.padEnd(9)}  ${progressText(s).padEnd(15)}  attempts ${s.attempts}  ${s.createdAt.toISOString()}`,
          'no jobs',
        );
      } finally {
        await runtime.stop(1_000);
      }
    }),
  );
}
