import type { StoreTx } from '../../store/ports.ts';

/**
 * Long work as jobs: the port the use cases and the composition root see. A job is enqueued in the
 * caller's transaction, so it exists if and only if the work that caused it committed; a worker
 * runs it later, reports progress, and its handler's value (or the error it threw) is kept. A job
 * that throws is run again up to its retry limit; a job whose worker died (its lease, the expiry,
 * runs out) is run again by another worker.
 */
export const JOB_STATES = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed', 'purged'] as const;
/** The queue's states; `purged`: finished so long ago that the queue kept only meterops' record. */
export type JobState = (typeof JOB_STATES)[number];

export interface EnqueueOptions {
  /** The party whose job it is: only it reads the job's status. Null: the platform's own. */
  readonly partyId: string | null;
  /** Runs after the first that fail (0: no retry). Default 2. */
  readonly retryLimit?: number;
  /** Seconds between a failure and the next run. Default 0. */
  readonly retryDelaySeconds?: number;
  /**
   * The lease: seconds a run may take before the queue counts it failed (its worker presumed dead)
   * and, within the retry limit, runs it again. Default: the job kind's own.
   */
  readonly expireInSeconds?: number;
  /** A job this one is part of: its progress counts into the parent's. */
  readonly parentId?: string | null;
  /** The amount of work, if known now (progress is done of total). */
  readonly total?: number | null;
  /** Not run before this time (a retry scheduled by its handler). Default: at once. */
  readonly startAfter?: Date;
}

export interface JobProgress {
  readonly done: number;
  readonly total: number | null;
}

export interface JobError {
  readonly message: string;
  /** The coded error's code (src/domain/errors.ts), if it was one. */
  readonly code: string | null;
}

export interface JobStatus {
  readonly id: string;
  readonly name: string;
  readonly partyId: string | null;
  readonly parentId: string | null;
  readonly state: JobState;
  /** Runs started so far (a run cut off by a dead worker counts). */
  readonly attempts: number;
  readonly retryLimit: number;
  readonly progress: JobProgress;
  /** The handler's value, once completed. */
  readonly result: unknown;
  /** The last run's error, once failed (or while waiting to retry). */
  readonly error: JobError | null;
  readonly createdAt: Date;
  readonly startedAt: Date | null;
  readonly completedAt: Date | null;
}

/** What a handler is given for one run of one job. */
export interface JobRun<P> {
  readonly id: string;
  readonly name: string;
  readonly payload: P;
  readonly partyId: string | null;
  /** 1 for the first run, 2 for the first retry, … */
  readonly attempt: number;
  /** Records progress (stored: readable through the status endpoint while the job runs). */
  progress(done: number, total?: number | null): Promise<void>;
  /**
   * Runs fn in one store transaction that also marks this job's transaction committed: a rerun of
   * a job that committed (its worker died before the queue heard) returns `{ ran: false }`.
   */
  once<T>(fn: (tx: StoreTx) => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
}

export type JobHandler<P = unknown, R = unknown> = (run: JobRun<P>) => Promise<R>;

export interface JobKind<P = unknown, R = unknown> {
  readonly name: string;
  readonly handler: JobHandler<P, R>;
  /** The lease of one run, seconds (a meterops default per kind). */
  readonly expireInSeconds: number;
  readonly retryLimit?: number;
}

export interface JobQueue {
  /** Enqueues a job in the caller's transaction; its id. The kind must be registered. */
  enqueue(tx: StoreTx, name: string, payload: unknown, opts: EnqueueOptions): Promise<string>;
  /** The job's status, or null if there is no such job. */
  status(id: string): Promise<JobStatus | null>;
  /** The states of a job's children, counted. */
  childStates(parentId: string): Promise<Partial<Record<JobState, number>>>;
}

/** The kinds a process knows how to run, and whether it runs them. */
export interface JobRuntime extends JobQueue {
  /** Makes a kind known (its queue created if new); a working runtime starts taking it. */
  register<P, R>(kind: JobKind<P, R>): Promise<void>;
  /** Enqueues a registered kind on a cron schedule (the queue's scheduler, minute resolution). */
  schedule(name: string, cron: string): Promise<void>;
  /** Starts working every registered kind, `slots` runs at a time per kind in this process. */
  work(slots: number): Promise<void>;
  /** True when no job of a registered kind waits to run, and none runs in this process. */
  idle(): Promise<boolean>;
  /** Stops taking jobs and waits (up to timeoutMs) for runs in progress. */
  stop(timeoutMs?: number): Promise<void>;
}
