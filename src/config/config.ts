import { resolve } from 'node:path';
import { z } from 'zod';
import { ValidationError } from '../domain/errors.ts';

const bool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');

const ConfigSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  host: z.string().min(1).default('localhost'),
  dataDir: z.string().min(1).default('./data'),
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  demo: bool.default(true),
  shutdownTimeoutMs: z.coerce.number().int().min(0).max(600_000).default(10_000),
});

export type Config = Readonly<z.infer<typeof ConfigSchema>>;

/** Environment variable for each setting (docs/configuration.md lists them with defaults). */
export const ENV_NAMES: Readonly<Record<keyof Config, string>> = {
  port: 'METEROPS_PORT',
  host: 'METEROPS_HOST',
  dataDir: 'METEROPS_DATA_DIR',
  databaseUrl: 'METEROPS_DATABASE_URL',
  logLevel: 'METEROPS_LOG_LEVEL',
  demo: 'METEROPS_DEMO',
  shutdownTimeoutMs: 'METEROPS_SHUTDOWN_TIMEOUT_MS',
};

/** Flags win over the environment, which wins over defaults. The result is validated and frozen. */
export function loadConfig(env: NodeJS.ProcessEnv, flags: Partial<Record<keyof Config, unknown>> = {}): Config {
  const raw: Record<string, unknown> = {};
  for (const [key, envName] of Object.entries(ENV_NAMES)) {
    const fromFlag = flags[key as keyof Config];
    const fromEnv = env[envName];
    if (fromFlag !== undefined) raw[key] = fromFlag;
    else if (fromEnv !== undefined && fromEnv !== '') raw[key] = fromEnv;
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? 'config') as keyof Config;
    throw new ValidationError(key, 'config', `configuration ${key} (${ENV_NAMES[key] ?? key}): ${issue.message}`);
  }
  return Object.freeze({ ...parsed.data, dataDir: resolve(parsed.data.dataDir) });
}
