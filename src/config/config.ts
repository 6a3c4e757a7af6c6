import { resolve } from 'node:path';
import { z } from 'zod';
import { ValidationError } from '../domain/errors.ts';
import { DEFAULT_GOVERNANCE } from '../domain/governance.ts';
import { GovernanceSchema } from './governance-schema.ts';

const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])]).transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');

const days = z.number().int().min(0).max(3_650);
/** A setting given as JSON text in the environment, or as an object by code. */
function jsonOf<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => {
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }, schema);
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

const pence = z.number().int().min(0).max(10_000_000);

const ConfigSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  host: z.string().min(1).default('localhost'),
  dataDir: z.string().min(1).default('./data'),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  demo: bool.default(true),
  shutdownTimeoutMs: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** JSON overriding the SEC duty service levels in days (meterops defaults, not SEC text), e.g. {"notify_ssc":1}. */
  dutySlaDays: jsonOf(z.object({ notify_manufacturer: days, rectify_or_mitigate: days, notify_ssc: days, establish_arrangements: days }).partial().default({})),
  /** JSON overriding anomaly limits (meterops defaults), e.g. {"disable_supply":{"max":20,"windowMinutes":60}}. */
  anomalyLimits: jsonOf(
    z
      .partialRecord(
        z.enum(['disable_supply', 'credential_replacement', 'utrn_vend', 'hht_work_order']),
        z.object({ max: z.number().int().min(1), windowMinutes: z.number().int().min(1).max(10_080) }),
      )
      .default({}),
  ),
  anomalyAlertMinutes: z.coerce.number().int().min(1).max(1_440).default(30),
  /** Audit retention used by `meterops audit prune` when --days is not given (2,557 days, 7 years: a meterops default). */
  auditRetentionDays: z.coerce.number().int().min(1).max(36_500).default(2_557),
  /**
   * The audit log's Ed25519 signing key (PKCS#8 PEM): created on first use when missing. Default
   * (a meterops default): audit-log-key.pem in the data directory. Every process sequencing one
   * PostgreSQL log must be given the same file.
   */
  auditKeyFile: z.string().min(1).optional(),
  /** The Users' keystore (DCC Boxed layout) for vending to devices outside a simulated fleet. */
  keystoreDir: z.string().min(1).optional(),
  keystorePassphrase: z.string().min(8).optional(),
  /** Private keys in an HSM: the PKCS#11 module, token label and user PIN (certificates from keystoreDir). */
  pkcs11Module: z.string().min(1).optional(),
  pkcs11Token: z.string().min(1).optional(),
  pkcs11Pin: z.string().min(1).optional(),
  /** The ACB whose MAC the DCC adds, for devices outside a simulated fleet (default: DCC Boxed's). */
  keystoreAcb: z
    .string()
    .regex(/^[0-9A-Fa-f]{16}$/, 'must be an EUI-64 of 16 hex digits')
    .transform((v) => v.toUpperCase())
    .default('90B3D51F30000002'),
  /** The DCC Recovery identity whose DS key that keystore holds, if any (refurbishment to vanilla credentials). */
  keystoreRecovery: z
    .string()
    .regex(/^[0-9A-Fa-f]{16}$/, 'must be an EUI-64 of 16 hex digits')
    .transform((v) => v.toUpperCase())
    .optional(),
  /** How long a keypad stays locked after the meter's alert 0x81C4 (a meterops default). */
  keypadLockoutMinutes: z.coerce.number().int().min(1).max(10_080).default(60),
  vendMaxPence: z.coerce.number().int().min(1).max(819_100).default(10_000),
  vendDailyCapPence: z.coerce.number().int().min(1).max(10_000_000).default(25_000),
  /** Independent networks' MPAN distributor ids (24-99) admitted on premises: "24,25" or [24,25]. */
  idnoDistributorIds: z
    .preprocess(
      (v) => (typeof v === 'string' ? (v.trim().startsWith('[') ? safeJson(v) : v.split(',').map((x) => (x.trim() === '' ? x : Number(x.trim())))) : v),
      z.array(z.number().int().min(24).max(99)),
    )
    .default([]),
  /** Route eligible no-WAN requests through the simulated PPMID relay (SECMP0038). */
  ppmidRelay: bool.default(false),
  /** How long each step of a watched simulated bench plan takes, in ms (meterops' modelled figure; default 250). */
  simBenchStepMs: z.coerce.number().int().min(0).max(1_000).default(250),
  /** The DCC's DUIS address (a DCC Boxed, `http://host:8079`): devices outside the simulation are reached through it. */
  dccUrl: z
    .string()
    .regex(/^https?:\/\/[^\s]+$/, 'must be an http:// or https:// URL')
    .optional(),
  /** The DCC's EUI, which its DSP XmlSign certificate must carry (default: DCC Boxed's). */
  dccEui: z
    .string()
    .regex(/^[0-9A-Fa-f]{16}$/, 'must be an EUI-64 of 16 hex digits')
    .transform((v) => v.toUpperCase())
    .default('90B3D51F30000002'),
  /** A keystore.json with the Users' XmlSign keys (role 135) that DUIS requests are signed with. */
  duisKeystore: z.string().min(1).optional(),
  /** The DSP XmlSign certificates (PEM files, comma-separated) the DCC signs its answers with. */
  duisDspCertificates: z
    .string()
    .min(1)
    .transform((v) =>
      v
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    )
    .optional(),
  /** The DUIS XSD, to validate what is sent and received (needs xmllint). */
  duisXsd: z.string().min(1).optional(),
  /** Extra HTTP headers on every DUIS request (JSON object), e.g. a reverse proxy's. */
  dccHeaders: jsonOf(z.record(z.string(), z.string()).default({})),
  /** API requests per API key or session per minute; 0 turns the limit off (meterops default: 6,000). */
  rateLimitPerKey: z.coerce.number().int().min(0).max(10_000_000).default(6_000),
  /** API requests per client address per minute, before authentication; 0 turns it off (default 12,000). */
  rateLimitPerAddress: z.coerce.number().int().min(0).max(10_000_000).default(12_000),
  /** Password sign-in attempts per address and username per minute; 0 turns it off (default 20). */
  signInRateLimit: z.coerce.number().int().min(0).max(100_000).default(20),
  /** The largest ordinary JSON body, in bytes (default 256 KiB). */
  bodyLimitBytes: z.coerce.number().int().min(1_024).max(1_073_741_824).default(262_144),
  /** The largest body of the bulk routes (device batches, WAN coverage, HHT uploads), in bytes (default 16 MiB). */
  bulkBodyLimitBytes: z.coerce.number().int().min(1_024).max(1_073_741_824).default(16_777_216),
  /** JSON overriding the returns cost figures in pence, e.g. {"nffTestPence":800}. */
  /** JSON governance settings (src/config/governance.ts), e.g. {"routes":{"configurationCodes":true}}; defaults are the seeds' rules. */
  governance: jsonOf(GovernanceSchema).default(() => structuredClone(DEFAULT_GOVERNANCE) as z.infer<typeof GovernanceSchema>),
  /** The notice key (64 hex digits) that seals webhook secrets at rest: made on first use; default notice-key in the data directory. */
  noticeKeyFile: z.string().min(1).optional(),
  /** Webhook attempts before the dead letter (meterops default 8). */
  webhookAttempts: z.coerce.number().int().min(1).max(50).default(8),
  /** The wait before a webhook's first retry, doubled for each later one (meterops default 30 s). */
  webhookRetryBaseMs: z.coerce.number().int().min(10).max(86_400_000).default(30_000),
  /** The longest wait between webhook attempts (meterops default 1 h). */
  webhookRetryMaxMs: z.coerce.number().int().min(10).max(86_400_000).default(3_600_000),
  /** How long a webhook attempt waits for the receiver's answer (meterops default 10 s). */
  webhookTimeoutMs: z.coerce.number().int().min(100).max(120_000).default(10_000),
  returnCosts: jsonOf(
    z.object({ nffTestPence: pence, refurbishedHubPence: pence, scrappedSingleBandHubPence: pence, scrappedDualBandHubPence: pence, logisticsPence: pence }).partial().default({}),
  ),
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
  dutySlaDays: 'METEROPS_DUTY_SLA_DAYS',
  anomalyLimits: 'METEROPS_ANOMALY_LIMITS',
  anomalyAlertMinutes: 'METEROPS_ANOMALY_ALERT_MINUTES',
  auditRetentionDays: 'METEROPS_AUDIT_RETENTION_DAYS',
  auditKeyFile: 'METEROPS_AUDIT_KEY_FILE',
  keystoreDir: 'METEROPS_KEYSTORE_DIR',
  keystorePassphrase: 'METEROPS_KEYSTORE_PASSPHRASE',
  pkcs11Module: 'METEROPS_PKCS11_MODULE',
  pkcs11Token: 'METEROPS_PKCS11_TOKEN',
  pkcs11Pin: 'METEROPS_PKCS11_PIN',
  keystoreAcb: 'METEROPS_KEYSTORE_ACB',
  keystoreRecovery: 'METEROPS_KEYSTORE_RECOVERY',
  keypadLockoutMinutes: 'METEROPS_KEYPAD_LOCKOUT_MINUTES',
  vendMaxPence: 'METEROPS_VEND_MAX_PENCE',
  vendDailyCapPence: 'METEROPS_VEND_DAILY_CAP_PENCE',
  ppmidRelay: 'METEROPS_PPMID_RELAY',
  simBenchStepMs: 'METEROPS_SIM_BENCH_STEP_MS',
  returnCosts: 'METEROPS_RETURN_COSTS',
  governance: 'METEROPS_GOVERNANCE',
  idnoDistributorIds: 'METEROPS_IDNO_DISTRIBUTOR_IDS',
  dccUrl: 'METEROPS_DCC_URL',
  dccEui: 'METEROPS_DCC_EUI',
  duisKeystore: 'METEROPS_DUIS_KEYSTORE',
  duisDspCertificates: 'METEROPS_DUIS_DSP_CERTS',
  duisXsd: 'METEROPS_DUIS_XSD',
  dccHeaders: 'METEROPS_DCC_HEADERS',
  rateLimitPerKey: 'METEROPS_RATE_LIMIT_PER_KEY',
  rateLimitPerAddress: 'METEROPS_RATE_LIMIT_PER_ADDRESS',
  signInRateLimit: 'METEROPS_SIGN_IN_RATE_LIMIT',
  bodyLimitBytes: 'METEROPS_BODY_LIMIT_BYTES',
  bulkBodyLimitBytes: 'METEROPS_BULK_BODY_LIMIT_BYTES',
  noticeKeyFile: 'METEROPS_NOTICE_KEY_FILE',
  webhookAttempts: 'METEROPS_WEBHOOK_ATTEMPTS',
  webhookRetryBaseMs: 'METEROPS_WEBHOOK_RETRY_BASE_MS',
  webhookRetryMaxMs: 'METEROPS_WEBHOOK_RETRY_MAX_MS',
  webhookTimeoutMs: 'METEROPS_WEBHOOK_TIMEOUT_MS',
};

/** The command-line flag of each setting that has one. */
export const FLAG_NAMES: Readonly<Partial<Record<keyof Config, string>>> = {
  port: '--port',
  host: '--host',
  dataDir: '--data-dir',
  databaseUrl: '--database-url',
  logLevel: '--log-level',
  demo: '--no-demo',
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
  const parsed = ConfigSchema.superRefine((c, ctx) => {
    if (c.pkcs11Module && (!c.pkcs11Token || !c.pkcs11Pin))
      ctx.addIssue({ code: 'custom', path: ['pkcs11Token'], message: 'a PKCS#11 module needs its token label (METEROPS_PKCS11_TOKEN) and PIN (METEROPS_PKCS11_PIN)' });
    if (c.dccUrl && (!c.duisKeystore || !c.duisDspCertificates?.length))
      ctx.addIssue({
        code: 'custom',
        path: ['duisKeystore'],
        message: "a DCC address needs the Users' XmlSign keys (METEROPS_DUIS_KEYSTORE) and the DSP certificates (METEROPS_DUIS_DSP_CERTS)",
      });
  }).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? 'config') as keyof Config;
    // Name where the bad value came from: the flag if one was given, else the environment variable.
    const flag = FLAG_NAMES[key];
    if (flags[key] !== undefined && flag) throw new ValidationError(key, 'config', `${flag} ${JSON.stringify(String(flags[key]))}: ${issue.message}`);
    const inner = issue.path.slice(1).join('.');
    throw new ValidationError(key, 'config', `configuration ${key}${inner ? ` ${inner}` : ''} (${ENV_NAMES[key] ?? key}): ${issue.message}`);
  }
  return Object.freeze({ ...parsed.data, dataDir: resolve(parsed.data.dataDir) });
}
