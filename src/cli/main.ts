import { Command, CommanderError } from 'commander';
import { MeteropsError } from '../domain/errors.ts';
import { KeyNotFoundError } from '../gbcs/key-store.ts';
import { CliError } from './cli-error.ts';
import { deviceCommands } from './commands/device-commands.ts';
import { gbcsCommands } from './commands/gbcs-commands.ts';
import { obligationCommands } from './commands/obligation-commands.ts';
import { sectionGCommands } from './commands/section-g-commands.ts';
import { auditCommands } from './commands/audit-commands.ts';
import { migrateCommand } from './commands/migrate-command.ts';
import { serveCommand } from './commands/serve-command.ts';
import { hhtCommands } from './hht/hht-commands.ts';
import { noWanCommands } from './commands/no-wan-commands.ts';
import { returnsCommands } from './commands/returns-commands.ts';
import { initCommand } from './commands/init-command.ts';
import { partyCommands } from './commands/party-commands.ts';
import { userCommands } from './commands/user-commands.ts';
import { apiKeyCommands } from './commands/api-key-commands.ts';
import { premiseCommands } from './commands/premise-commands.ts';
import { vendCommands } from './commands/vend-commands.ts';
import { jobCommands } from './commands/job-commands.ts';
import { noticeCommands } from './commands/notice-commands.ts';
import { workerCommand } from './commands/worker-command.ts';
import { configCommand } from './commands/config-command.ts';
import type { GlobalFlags } from './context.ts';
import type { Wiring } from './wiring.ts';

/** Builds the `meterops` command tree; each command opens only what it needs. */
export function buildCli(wiring: Wiring): Command {
  const program = new Command('meterops')
    .description('GB smart-meter operations: device registry, triage and refurbishment, no-WAN operation, SEC obligations')
    .option('--data-dir <dir>', 'embedded database directory (METEROPS_DATA_DIR, default ./data)')
    .option('--database-url <url>', 'use PostgreSQL instead of the embedded database (METEROPS_DATABASE_URL)')
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent (METEROPS_LOG_LEVEL)')
    // Usage errors are thrown (not exited on) and reported as one line, like every other failure;
    // both settings are inherited by every command added below.
    .exitOverride()
    .configureOutput({ outputError: () => {} });
  const globals = (): GlobalFlags => ({ ...program.opts<Omit<GlobalFlags, 'wiring'>>(), wiring });
  serveCommand(program, globals);
  migrateCommand(program, globals);
  initCommand(program, globals);
  partyCommands(program, globals);
  userCommands(program, globals);
  apiKeyCommands(program, globals);
  deviceCommands(program, globals);
  gbcsCommands(program);
  auditCommands(program, globals);
  obligationCommands(program, globals);
  sectionGCommands(program, globals);
  noWanCommands(program, globals);
  returnsCommands(program, globals);
  premiseCommands(program, globals);
  vendCommands(program, globals);
  workerCommand(program, globals);
  jobCommands(program, globals);
  noticeCommands(program, globals);
  configCommand(program, globals);
  hhtCommands(program);
  wiring.commands?.(program, globals);
  return program;
}

export async function runCli(argv: string[], wiring: Wiring): Promise<number> {
  try {
    await buildCli(wiring).parseAsync(argv);
    return 0;
  } catch (err) {
    const failure = describeFailure(err);
    if (failure.line) process.stderr.write(`meterops: ${failure.line}\n`);
    return failure.exitCode;
  }
}

/** Every failure as one line with its code, and the exit status: never a stack trace. */
export function describeFailure(err: unknown): { line: string | null; exitCode: number } {
  const oneLine = (s: string) => s.replace(/\s*\n\s*/g, '; ').trim();
  if (err instanceof CommanderError) {
    // --help and --version print and end with status 0.
    if (err.exitCode === 0) return { line: null, exitCode: 0 };
    return { line: `${oneLine(err.message.replace(/^error: /, ''))} (meterops --help) [USAGE ${err.code.replace(/^commander\./, '')}]`, exitCode: 2 };
  }
  if (err instanceof CliError) return { line: `${oneLine(err.message)} [${err.code}]`, exitCode: err.exitCode };
  if (err instanceof MeteropsError) {
    return { line: `${oneLine(err.message)}${err.rule ? ` [${err.code} ${err.rule}]` : ` [${err.code}]`}`, exitCode: err.status >= 500 ? 1 : 2 };
  }
  if (err instanceof KeyNotFoundError) return { line: `${err.message}: the keystore has no such key [KEY_NOT_FOUND]`, exitCode: 2 };
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e === 'object' && typeof e.code === 'string' && typeof e.path === 'string') {
    const what = e.code === 'ENOENT' ? 'no such file or directory' : e.code === 'EACCES' ? 'permission denied' : e.code === 'EISDIR' ? 'is a directory' : e.code;
    return { line: `cannot read ${e.path}: ${what} [${e.code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE'}]`, exitCode: 2 };
  }
  return { line: `${oneLine(String((err as Error)?.message ?? err))} [INTERNAL]`, exitCode: 1 };
}
