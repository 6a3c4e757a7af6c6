import { Command } from 'commander';
import { MeteropsError } from '../domain/errors.ts';
import { CliError } from './cli-error.ts';
import { deviceCommands } from './commands/device-commands.ts';
import { gbcsCommands } from './commands/gbcs-commands.ts';
import { obligationCommands } from './commands/obligation-commands.ts';
import { auditCommands } from './commands/audit-commands.ts';
import { migrateCommand } from './commands/migrate-command.ts';
import { serveCommand } from './commands/serve-command.ts';
import { hhtCommands } from './hht/hht-commands.ts';
import { noWanCommands } from './commands/no-wan-commands.ts';
import { returnsCommands } from './commands/returns-commands.ts';
import type { GlobalFlags } from './context.ts';
import type { Wiring } from './wiring.ts';

/** Builds the `meterops` command tree; each command opens only what it needs. */
export function buildCli(wiring: Wiring): Command {
  const program = new Command('meterops')
    .description('GB smart-meter operations: device registry, triage and refurbishment, no-WAN operation, SEC obligations')
    .option('--data-dir <dir>', 'embedded database directory (METEROPS_DATA_DIR, default ./data)')
    .option('--database-url <url>', 'use PostgreSQL instead of the embedded database (METEROPS_DATABASE_URL)')
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent (METEROPS_LOG_LEVEL)')
    .showHelpAfterError();
  const globals = (): GlobalFlags => ({ ...program.opts<Omit<GlobalFlags, 'wiring'>>(), wiring });
  serveCommand(program, globals);
  migrateCommand(program, globals);
  deviceCommands(program, globals);
  gbcsCommands(program);
  auditCommands(program, globals);
  obligationCommands(program, globals);
  noWanCommands(program, globals);
  returnsCommands(program, globals);
  hhtCommands(program);
  wiring.commands?.(program, globals);
  return program;
}

export async function runCli(argv: string[], wiring: Wiring): Promise<number> {
  try {
    await buildCli(wiring).parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`meterops: ${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof MeteropsError) {
      process.stderr.write(`meterops: ${err.message}${err.rule ? ` [${err.code} ${err.rule}]` : ` [${err.code}]`}\n`);
      return err.status >= 500 ? 1 : 2;
    }
    process.stderr.write(`meterops: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}
