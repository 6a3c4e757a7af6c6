import type { Logger } from 'pino';
import type { Governance } from '../domain/governance.ts';
import { PAGE_LIMITS, type WebhookRetryPolicy, type AnomalyLimit, type AuditKey, type Duty, type ReturnCosts, type SensitiveCommand } from '../domain/index.ts';
import type { SecretBox } from '../keys/secret-box.ts';
import type { Store } from '../store/store.ts';
import type { DeviceGateway } from './ports/device-gateway.ts';
import type { JobQueue } from './ports/job-queue.ts';
import type { KeySource } from './ports/key-source.ts';
import type { TriageBench } from './ports/triage-bench.ts';

/** What every use case is handed: no globals, so tests give a real store and a fixed clock. */
export interface ServiceDeps {
  readonly store: Store;
  readonly clock: () => Date;
  readonly log: Logger;
  /** The audit log's signing key: the sequencer signs tree heads with it, verification trusts its public key. */
  readonly auditKey: AuditKey;
  /** Deployment policy; each use case falls back to its documented defaults. */
  readonly policy?: Policy;
  /** The platform's and the Users' keys for a device (files, PKCS#11, or a simulated fleet's). */
  readonly keySource: KeySource;
  /** How commands reach installed devices (the DCC, or the simulated world). */
  readonly gateway: DeviceGateway;
  /** Devices on a triage bench. */
  readonly bench: TriageBench;
  /** Long work as jobs (set where a job runtime is open: `serve`, `worker`, the job commands). */
  readonly jobs?: JobQueue;
  /** Seals secrets kept at rest (webhook signing secrets) under the deployment's notice key. */
  readonly secrets?: SecretBox;
}

/** What the composition root starts from, before it wires the device ports in. */
export type BaseDeps = Omit<ServiceDeps, 'keySource' | 'gateway' | 'bench'>;

export interface Policy {
  readonly dutySlaDays?: Partial<Record<Duty, number>>;
  readonly anomalyLimits?: Partial<Record<SensitiveCommand, AnomalyLimit>>;
  readonly anomalyAlertMinutes?: number;
  /** Largest single top-up, and the most credit vended to one device in 24 hours, in pence. */
  readonly vendMaxPence?: number;
  readonly vendDailyCapPence?: number;
  /** Route eligible requests through the simulated PPMID relay (SECMP0038); off by default. */
  readonly ppmidRelay?: boolean;
  /** Triage, refurbishment, scrap and logistics costs for the returns analytics (pence). */
  readonly returnCosts?: Partial<ReturnCosts>;
  /** How long a meter's keypad stays locked after alert 0x81C4 (a meterops default: 60). */
  readonly keypadLockoutMinutes?: number;
  /** Who may triage, which no-WAN routes are enabled (the seeds' rules by default; src/config/governance.ts). */
  readonly governance?: Governance;
  /** Independent networks' MPAN distributor ids admitted on premises (the 14 DNO areas always are). */
  readonly idnoDistributorIds?: readonly number[];
  /** Webhook retries and timeout (meterops defaults: DEFAULT_WEBHOOK_RETRY). */
  readonly webhookRetry?: Partial<WebhookRetryPolicy>;
}

/** Hard limits on what a client controls. */
export const LIMITS = Object.freeze({
  /** Rows in one registration batch (API) — imports are chunked to this size. */
  batchRows: 10_000,
  /** Rows in one import file. */
  importRows: 2_000_000,
  /** Page size of list endpoints (the domain's PAGE_LIMITS.max). */
  pageSize: PAGE_LIMITS.max,
  /** Free-text reason and location. */
  textLength: 500,
});
