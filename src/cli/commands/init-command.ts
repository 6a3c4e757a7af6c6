import type { Command } from 'commander';
import { openContext, type GlobalFlags } from '../context.ts';

// Use cases are loaded by the command that runs them, so that `meterops --help` loads none.
const loadInitPlatform = () => import('../../services/init-platform.ts');

export function initCommand(program: Command, globals: () => GlobalFlags): void {
  program
    .command('init')
    .description("make a fresh database usable: the platform's DCC party and a first administrator (password shown once)")
    .action(async () => {
      const ctx = await openContext(globals());
      try {
        // On a fresh database opening it has initialised it already (and said so on stderr).
        const fresh = ctx.migrations.alreadyApplied === 0 && ctx.migrations.applied.length > 0;
        const init = fresh ? { created: false as const, partyId: 'dcc' } : await (await loadInitPlatform()).initPlatform(ctx.deps);
        if (init.created) process.stdout.write((await loadInitPlatform()).initLines(init, `http://${ctx.config.host}:${ctx.config.port}`).join('\n') + '\n');
        else
          process.stdout.write(`initialised (platform party ${init.partyId}); add people with: meterops users add --party PARTY --username NAME --name "FULL NAME" --role ROLE\n`);
      } finally {
        await ctx.close();
      }
    });
}
