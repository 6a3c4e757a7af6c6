import type { Logger } from 'pino';
import type { AnomalyLimit, Duty, ReturnCosts, SensitiveCommand } from '../domain/index.ts';
import type { Store } from '../store/store.ts';
import type { KeyStore } from '../gbcs/key-store.ts';

/** What every use case is handed: no globals, so tests give a real store and a fixed clock. */
export interface ServiceDeps {
  readonly store: Store;
  readonly clock: () => Date;
  readonly log: Logger;
  /** Deployment policy; each use case falls back to its documented defaults. */
  readonly policy?: Policy;
  /** The Users' keys (a Supplier's prepayment KA key for vending), where configured. */
  readonly keys?: KeyStore;
}

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
}

/** Hard limits on what a client controls. */
export const LIMITS = Object.freeze({
  /** Rows in one registration batch (API) — imports are chunked to this size. */
  batchRows: 10_000,
  /** Rows in one import file. */
  importRows: 2_000_000,
  /** Page size of list endpoints. */
  pageSize: 500,
  /** Free-text reason and location. */
  textLength: 500,
});
