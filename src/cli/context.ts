import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';
import { ForbiddenError, NotFoundError, ValidationError, type Party } from '../domain/index.ts';
import type { BaseDeps, ServiceDeps } from '../services/deps.ts';
import type { Eui } from '../domain/eui.ts';
import { join } from 'node:path';
import type { Wiring } from './wiring.ts';
import type { MigrationReport } from '../store/migrate.ts';

export interface GlobalFlags {
  dataDir?: string;
  databaseUrl?: string;
  logLevel?: string;
  /** What the composition root wires in (not a flag). */
  wiring: Wiring;
}

/** Opens what a command needs: validated config, the store (migrated), a logger. */
export async function openContext(
  flags: GlobalFlags,
  opts: { logToStdout?: boolean; extra?: Partial<Record<keyof Config, unknown>> } = {},
): Promise<{ config: Config; deps: ServiceDeps; migrations: MigrationReport; close(): Promise<void> }> {
  // The configuration, database, keystore and logger are loaded when a command runs, not when the
  // command tree is built, so that `meterops --help` starts in a fraction of a second.
  const [{ loadConfig }, { default: pino }, { openStore }, { openKeyStore }, { keystoreKeySource, noKeySource }, { openAuditKeyFile }] = await Promise.all([
    import('../config/config.ts'),
    import('pino'),
    import('../store/store.ts'),
    import('../keys/open-key-store.ts'),
    import('../services/keystore-key-source.ts'),
    import('../keys/audit-key-file.ts'),
  ]);
  const { openNoticeKeyFile } = await import('../keys/secret-box.ts');
  const config = loadConfig(process.env, { ...opts.extra, dataDir: flags.dataDir, databaseUrl: flags.databaseUrl, logLevel: flags.logLevel });
  // Commands log to stderr so that their stdout stays data (JSON, XML, CSV); the server logs to stdout.
  const log: Logger = pino({ level: opts.logToStdout ? config.logLevel : (flags.logLevel ?? 'warn') }, opts.logToStdout ? process.stdout : process.stderr);
  const { store, migrations } = await openStore(config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: config.dataDir });
  const policy = {
    dutySlaDays: config.dutySlaDays,
    anomalyLimits: config.anomalyLimits,
    anomalyAlertMinutes: config.anomalyAlertMinutes,
    vendMaxPence: config.vendMaxPence,
    vendDailyCapPence: config.vendDailyCapPence,
    ppmidRelay: config.ppmidRelay,
    returnCosts: config.returnCosts,
    keypadLockoutMinutes: config.keypadLockoutMinutes,
    idnoDistributorIds: config.idnoDistributorIds,
    governance: config.governance,
    webhookRetry: { attempts: config.webhookAttempts, baseDelayMs: config.webhookRetryBaseMs, maxDelayMs: config.webhookRetryMaxMs, timeoutMs: config.webhookTimeoutMs },
  };
  let keystore;
  try {
    keystore = openKeyStore(config);
  } catch (e) {
    await store.close();
    throw new ValidationError('keystore', 'keystore-open', `cannot open the keystore: ${(e as Error).message}`);
  }
  let auditKey;
  try {
    auditKey = openAuditKeyFile(config.auditKeyFile ?? join(config.dataDir, 'audit-log-key.pem'));
  } catch (e) {
    keystore?.close();
    await store.close();
    throw new ValidationError('auditKeyFile', 'audit-key', (e as Error).message);
  }
  let secrets;
  try {
    secrets = openNoticeKeyFile(config.noticeKeyFile ?? join(config.dataDir, 'notice-key'));
  } catch (e) {
    keystore?.close();
    await store.close();
    throw new ValidationError('noticeKeyFile', 'notice-key', (e as Error).message);
  }
  const base: BaseDeps = { store, clock: () => new Date(), log, policy, auditKey, secrets };
  const deployment = keystore ? keystoreKeySource(keystore.keys, config.keystoreAcb as Eui, (config.keystoreRecovery as Eui | undefined) ?? null) : noKeySource();
  const deps = await flags.wiring.wire(base, config, deployment);
  // A fresh database is usable at once: the platform's party and a first administrator, whose
  // password is shown this once (on stderr, so that stdout stays the command's data).
  if (migrations.alreadyApplied === 0 && migrations.applied.length > 0) {
    try {
      const { initLines, initPlatform } = await import('../services/init-platform.ts');
      const init = await initPlatform(deps);
      if (init.created) process.stderr.write(initLines(init, `http://${config.host}:${config.port}`).join('\n') + '\n');
    } catch (e) {
      keystore?.close();
      await store.close();
      throw e;
    }
  }
  return {
    config,
    deps,
    migrations,
    close: async () => {
      keystore?.close();
      await store.close();
    },
  };
}

/** The party a CLI command acts as (--as or METEROPS_AS): scoping applies as for an API key. */
export async function actingParty(deps: ServiceDeps, as: string | undefined): Promise<Party> {
  const id = as ?? process.env.METEROPS_AS;
  if (!id) throw new ValidationError('as', 'acting-party', 'say which party you act as: --as PARTY_ID (or METEROPS_AS)');
  const party = await deps.store.read.parties.record(id);
  if (!party) throw new NotFoundError('party', id, 'as');
  if (party.status !== 'active') throw new ForbiddenError('party-suspended', `party ${id} is suspended${party.suspendedReason ? ` (${party.suspendedReason})` : ''}`, 'as');
  return { id: party.id, name: party.name, role: party.role, eui: party.eui, distributorId: party.distributorId };
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
