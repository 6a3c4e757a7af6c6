import type { Command } from 'commander';
import { ValidationError } from '../../domain/errors.ts';
import { openContext, type GlobalFlags } from '../context.ts';

export function serveCommand(program: Command, globals: () => GlobalFlags): void {
  program
    .command('serve')
    .description('run the HTTP API (embedded database under --data-dir unless --database-url is set)')
    .option('--port <port>', 'port to listen on (METEROPS_PORT, default 8080)')
    .option('--host <host>', 'interface to bind (METEROPS_HOST, default localhost)')
    .option('--no-demo', 'do not seed demo parties and fleet (METEROPS_DEMO=false)')
    .option('--job-slots <n>', 'jobs of each kind this process runs at a time (0: none, an API-only process; `meterops worker` runs more)', '1')
    .action(async (opts: { port?: string; host?: string; demo: boolean; jobSlots: string }) => {
      if (!/^\d{1,2}$/.test(opts.jobSlots) || Number(opts.jobSlots) > 64)
        throw new ValidationError('jobSlots', 'job-slots', `--job-slots is a whole number from 0 to 64, got ${JSON.stringify(opts.jobSlots)}`);
      const ctx = await openContext(globals(), {
        logToStdout: true,
        extra: { port: opts.port, host: opts.host, ...(opts.demo === false ? { demo: false } : {}) },
      });
      // The job runtime (pg-boss on the same database): the status endpoint reads it, and unless
      // --job-slots 0 this process runs jobs too (with PGlite, the one worker there can be).
      const { openJobs } = await import('../job-runtime.ts');
      const jobs = await openJobs(ctx.deps, globals().wiring, { supervise: true }).catch(async (e: unknown) => {
        await ctx.close();
        throw e;
      });
      const { config } = ctx;
      const deps = jobs.deps;
      if (ctx.migrations.applied.length) deps.log.info({ applied: ctx.migrations.applied }, 'migrations applied');
      const { buildApp } = await import('../../api/app.ts');
      const { apiLimitsFrom } = await import('../../api/api-limits.ts');
      const wiring = globals().wiring;
      const { defaultWebDir } = await import('../../api/web-pages.ts');
      const app = await buildApp(deps, { limits: apiLimitsFrom(config), webDir: defaultWebDir(), plugins: wiring.routes ? [(a) => wiring.routes!(a, deps)] : [] });
      const base = `http://${config.host}:${config.port}`;
      const extra = (await wiring.onServe?.(deps, config, base)) ?? [];
      // The audit log's sequencer: places committed entries and signs a tree head within a second
      // (with PostgreSQL, whichever process holds the advisory lock does each run).
      const { drainAudit, startSequencer } = await import('../../services/audit-sequencer.ts');
      const sequencer = startSequencer(deps.store, deps.auditKey, deps.log);
      try {
        await app.listen({ port: config.port, host: config.host });
      } catch (e) {
        await app.close();
        await jobs.runtime.stop(1_000);
        await sequencer.stop();
        await ctx.close();
        const code = (e as NodeJS.ErrnoException).code;
        // Name the setting to change: the port or host, as given by flag, environment or default.
        if (code === 'EADDRINUSE') throw new ValidationError('port', 'port-free', `port ${config.port} on ${config.host} is in use: stop what holds it, or give another --port`);
        if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
          throw new ValidationError('host', 'host-address', `cannot listen on --host ${config.host}: not an address of this machine`);
        throw e;
      }
      const lines = [
        '',
        `meterops is running on ${deps.store.kind === 'pglite' ? `the embedded database in ${config.dataDir}` : 'PostgreSQL'}`,
        `  web           ${base}/  (the HHT field app: ${base}/hht/)`,
        `  API           ${base}/v1`,
        `  API docs      ${base}/docs`,
        `  OpenAPI 3.1   ${base}/openapi.json`,
        `  health        ${base}/health`,
      ];
      if (Number(opts.jobSlots) > 0) await jobs.runtime.work(Number(opts.jobSlots));
      lines.push(
        `  jobs          ${Number(opts.jobSlots) > 0 ? `${opts.jobSlots} slot${opts.jobSlots === '1' ? '' : 's'} per kind in this process` : 'run by `meterops worker` processes'}; ${base}/v1/jobs/:id`,
      );
      lines.push(...extra);
      process.stdout.write(lines.join('\n') + '\n\n');

      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        deps.log.info({ signal }, 'shutting down: finishing in-flight requests');
        const timer = setTimeout(() => {
          deps.log.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out');
          process.exit(1);
        }, config.shutdownTimeoutMs);
        timer.unref();
        await app.close();
        await jobs.runtime.stop(config.shutdownTimeoutMs);
        await sequencer.stop();
        await drainAudit(deps.store, deps.auditKey).catch((err: unknown) => deps.log.error({ err }, 'audit log: last sequencer run failed'));
        await ctx.close();
        deps.log.info('stopped');
        process.exit(0);
      };
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
    });
}
