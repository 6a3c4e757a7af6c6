import type { Command } from 'commander';
import { openContext, type GlobalFlags } from '../context.ts';

export function migrateCommand(program: Command, globals: () => GlobalFlags): void {
  program
    .command('migrate')
    .description('apply pending database migrations and exit')
    .action(async () => {
      const ctx = await openContext(globals());
      try {
        const { applied, alreadyApplied } = ctx.migrations;
        process.stdout.write(applied.length ? `applied ${applied.join(', ')} (${alreadyApplied} already applied)\n` : `up to date (${alreadyApplied} migrations applied)\n`);
      } finally {
        await ctx.close();
      }
    });
}
