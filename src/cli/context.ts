import pino, { type Logger } from 'pino';
import { loadConfig, type Config } from '../config/config.ts';
import { NotFoundError, ValidationError, type Party } from '../domain/index.ts';
import type { ServiceDeps } from '../services/deps.ts';
import { openStore } from '../store/store.ts';
import { FileKeyStore } from '../keys/file-key-store.ts';
import type { MigrationReport } from '../store/migrate.ts';

export interface GlobalFlags {
  dataDir?: string;
  databaseUrl?: string;
  logLevel?: string;
}

/** Opens what a command needs: validated config, the store (migrated), a logger. */
export async function openContext(
  flags: GlobalFlags,
  opts: { logToStdout?: boolean; extra?: Partial<Record<keyof Config, unknown>> } = {},
): Promise<{ config: Config; deps: ServiceDeps; migrations: MigrationReport; close(): Promise<void> }> {
  const config = loadConfig(process.env, { ...opts.extra, dataDir: flags.dataDir, databaseUrl: flags.databaseUrl, logLevel: flags.logLevel });
  // Commands log to stderr so that their stdout stays data (JSON, XML, CSV); the server logs to stdout.
  const log: Logger = pino({ level: opts.logToStdout ? config.logLevel : flags.logLevel ?? 'warn' }, opts.logToStdout ? process.stdout : process.stderr);
  const { store, migrations } = await openStore(
    config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: config.dataDir },
  );
  const policy = {
    dutySlaDays: config.dutySlaDays,
    anomalyLimits: config.anomalyLimits,
    anomalyAlertMinutes: config.anomalyAlertMinutes,
    vendMaxPence: config.vendMaxPence,
    vendDailyCapPence: config.vendDailyCapPence,
    ppmidRelay: config.ppmidRelay,
    returnCosts: config.returnCosts,
  };
  const keys = config.keystoreDir ? new FileKeyStore(config.keystoreDir, config.keystorePassphrase) : undefined;
  return { config, deps: { store, clock: () => new Date(), log, policy, ...(keys ? { keys } : {}) }, migrations, close: () => store.close() };
}

/** The party a CLI command acts as (--as or METEROPS_AS): scoping applies as for an API key. */
export async function actingParty(deps: ServiceDeps, as: string | undefined): Promise<Party> {
  const id = as ?? process.env.METEROPS_AS;
  if (!id) throw new ValidationError('as', 'acting-party', 'say which party you act as: --as PARTY_ID (or METEROPS_AS)');
  const party = await deps.store.read.parties.get(id);
  if (!party) throw new NotFoundError('party', id, 'as');
  return party;
}

export type CliContext = Awaited<ReturnType<typeof openContext>>;

/** Runs a command body with the store open, and closes it however the body ends. */
export async function withContext<T>(globals: () => GlobalFlags, fn: (ctx: CliContext) => Promise<T>): Promise<T> {
  const ctx = await openContext(globals());
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}
