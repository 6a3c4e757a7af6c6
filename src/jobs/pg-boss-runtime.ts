import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { sql } from 'kysely';
import PgBoss from 'pg-boss';
import { ValidationError } from '../domain/errors.ts';
import type { EnqueueOptions, JobKind, JobRun, JobRuntime, JobState, JobStatus } from '../services/ports/job-queue.ts';
import type { JobRecord, StoreTx } from '../store/ports.ts';
import type { Store } from '../store/store.ts';

/** pg-boss is pinned (package.json) at the last major that runs on Node 20 (v11 wants Node 22). */
export interface JobRuntimeOptions {
  /** Seconds between the queue's maintenance passes: expired leases are failed (and retried) then. Default 30. */
  readonly maintenanceIntervalSeconds?: number;
  /** Seconds between a worker's polls of an empty queue. Default 1 (pg-boss's least is 0.5). */
  readonly pollingIntervalSeconds?: number;
  /** False for a process that only enqueues and reads (no maintenance, no schedules). Default true. */
  readonly supervise?: boolean;
  readonly clock?: () => Date;
}

/** pg-boss's job as it returns it with metadata (column names mapped by pg-boss). */
interface BossJob {
  readonly id: string;
  readonly name: string;
  readonly data: unknown;
  readonly state: JobState;
  readonly retryLimit: number;
  readonly retryCount: number;
  readonly startedOn: Date | null;
  readonly completedOn: Date | null;
  readonly output: unknown;
}

/**
 * The name of pg-boss's schema beside the store's: `pgboss` beside `public`, else `<schema>_pgboss`
 * (each test file, and each bench run, has a schema of its own).
 */
export async function bossSchemaOf(store: Store): Promise<string> {
  const { rows } = await store.database.executeSql('SELECT current_schema() AS s');
  const s = String((rows[0] as { s: string }).s);
  return s === 'public' ? 'pgboss' : `${s}_pgboss`;
}

const asObject = (v: unknown): object => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : { value: v ?? null });

function errorOf(output: unknown): JobStatus['error'] {
  if (!output || typeof output !== 'object') return null;
  const o = output as { message?: unknown; code?: unknown; value?: { message?: unknown } };
  const message = typeof o.message === 'string' ? o.message : typeof o.value?.message === 'string' ? o.value.message : null;
  if (message === null) return null;
  return { message, code: typeof o.code === 'string' ? o.code : null };
}

/**
 * Runs pg-boss's start (which installs its schema on a fresh database) while holding a session
 * advisory lock on PostgreSQL, so processes starting at once install it one at a time. pg-boss
 * takes a lock of its own, but only after its "is it installed?" query: a process that asked
 * before the other's install committed still holds a cached "no such schema" in that backend's
 * catalog cache (an advisory lock does not make PostgreSQL read new catalog invalidations), so its
 * `CREATE SCHEMA IF NOT EXISTS` fails on pg_namespace's unique index, which pg-boss does not treat
 * as the race it expects ("already exists"). Under this lock the check itself waits, and runs in a
 * transaction begun after the installer committed. PGlite has one session and needs none of this.
 */
async function startSerialised(store: Store, schema: string, start: () => Promise<unknown>): Promise<void> {
  const database = store.database;
  if (database.kind !== 'postgres') {
    await start();
    return;
  }
  await database.withSession(async (session) => {
    const key = `meterops.pgboss-install.${schema}`;
    await sql`SELECT pg_advisory_lock(hashtext(${key}))`.execute(session);
    try {
      await start();
    } finally {
      await sql`SELECT pg_advisory_unlock(hashtext(${key}))`.execute(session);
    }
  });
}

/**
 * The job runtime over pg-boss, on either backend: pg-boss runs its statements through the store's
 * own connection (its `db` option), so on PGlite it shares the one embedded session, and an enqueue
 * joins the caller's transaction. Starting it installs or migrates pg-boss's schema (pg-boss does
 * this itself, under its advisory lock, so several processes may start at once).
 */
export async function openJobRuntime(store: Store, log: Logger, opts: JobRuntimeOptions = {}): Promise<JobRuntime> {
  const clock = opts.clock ?? (() => new Date());
  const schema = await bossSchemaOf(store);
  const supervise = opts.supervise ?? true;
  const boss = new PgBoss({
    db: { executeSql: (text: string, values?: unknown[]) => store.database.executeSql(text, values ?? []) },
    schema,
    supervise,
    schedule: supervise,
    maintenanceIntervalSeconds: opts.maintenanceIntervalSeconds ?? 30,
    // Finished jobs stay readable (by status) for 30 days in pg-boss's archive.
    deleteAfterDays: 30,
  });
  boss.on('error', (err) => log.error({ err }, 'job queue: pg-boss reported an error'));
  await startSerialised(store, schema, () => boss.start());
  const kinds = new Map<string, JobKind>();
  const polling = opts.pollingIntervalSeconds ?? 1;
  let working = false;
  let inFlight = 0;

  const bossJob = async (rec: JobRecord): Promise<BossJob | null> => (await boss.getJobById(rec.name, rec.id, { includeArchive: true })) as unknown as BossJob | null;

  const statusOf = (rec: JobRecord, job: BossJob | null): JobStatus => {
    const state: JobStatus['state'] = job?.state ?? 'purged';
    return {
      id: rec.id,
      name: rec.name,
      partyId: rec.partyId,
      parentId: rec.parentId,
      state,
      attempts: job?.startedOn ? job.retryCount + 1 : 0,
      retryLimit: job?.retryLimit ?? 0,
      progress: { done: rec.progressDone, total: rec.progressTotal },
      result: state === 'completed' ? (job?.output ?? null) : null,
      error: state === 'failed' || state === 'retry' ? errorOf(job?.output) : null,
      createdAt: rec.createdAt,
      startedAt: job?.startedOn ?? null,
      completedAt: job?.completedOn ?? null,
    };
  };

  const runOf = <P>(job: BossJob, rec: JobRecord | undefined): JobRun<P> => ({
    id: job.id,
    name: job.name,
    payload: job.data as P,
    partyId: rec?.partyId ?? null,
    attempt: job.retryCount + 1,
    progress: (done, total) => store.read.jobs.setProgress(job.id, done, total ?? rec?.progressTotal ?? null, clock()),
    once: (fn) =>
      store.transaction(async (tx) => {
        if (!(await tx.jobs.markCommitted(job.id, clock()))) return { ran: false as const };
        return { ran: true as const, value: await fn(tx) };
      }),
  });

  const runtime: JobRuntime = {
    async register(kind) {
      if (!/^[a-z][a-z0-9-]{0,62}$/.test(kind.name)) throw new ValidationError('name', 'job-kind', `a job kind is a lower-case name with dashes, got ${JSON.stringify(kind.name)}`);
      await createQueue(kind as JobKind);
      kinds.set(kind.name, kind as JobKind);
      if (working) await startKind(kind as JobKind, 1);
    },

    async enqueue(tx: StoreTx, name: string, payload: unknown, o: EnqueueOptions) {
      const kind = kinds.get(name);
      if (!kind) throw new ValidationError('name', 'job-kind', `no job kind ${JSON.stringify(name)} is registered in this process`);
      const id = randomUUID();
      await tx.jobs.insert({ id, name, partyId: o.partyId, parentId: o.parentId ?? null, progressTotal: o.total ?? null, createdAt: clock() });
      await boss.send(name, asObject(payload), {
        id,
        retryLimit: o.retryLimit ?? kind.retryLimit ?? 2,
        retryDelay: o.retryDelaySeconds ?? 0,
        expireInSeconds: o.expireInSeconds ?? kind.expireInSeconds,
        ...(o.startAfter ? { startAfter: o.startAfter } : {}),
        // The caller's transaction: the job is inserted with the work that caused it, or not at all.
        db: { executeSql: (text: string, values?: unknown[]) => tx.jobs.executeSql(text, values ?? []) },
      });
      return id;
    },

    async status(id) {
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
      const rec = await store.read.jobs.get(id);
      if (!rec) return null;
      return statusOf(rec, await bossJob(rec));
    },

    async childStates(parentId) {
      const children = await store.read.jobs.children(parentId);
      if (children.length === 0) return {};
      const names = [...new Set(children.map((c) => c.name))];
      const ids = children.map((c) => c.id);
      const count = `SELECT state::text AS state, count(*)::int AS n FROM ${schema}.%T WHERE name = ANY($1::text[]) AND id = ANY($2::uuid[]) GROUP BY state`;
      const out: Partial<Record<JobState, number>> = {};
      for (const table of ['job', 'archive']) {
        const { rows } = await store.database.executeSql(count.replace('%T', table), [names, ids]);
        for (const r of rows as Array<{ state: JobState; n: number }>) out[r.state] = (out[r.state] ?? 0) + r.n;
      }
      return out;
    },

    async schedule(name, cron) {
      if (!kinds.has(name)) throw new ValidationError('name', 'job-kind', `no job kind ${JSON.stringify(name)} is registered in this process`);
      await boss.schedule(name, cron, {}, {});
    },

    async work(slots) {
      if (!Number.isInteger(slots) || slots < 1 || slots > 64) throw new ValidationError('slots', 'job-slots', 'job slots are a whole number from 1 to 64');
      working = true;
      for (const kind of kinds.values()) await startKind(kind, slots);
    },

    async idle() {
      if (inFlight > 0) return false;
      for (const name of kinds.keys()) if ((await boss.getQueueSize(name, { before: 'completed' })) > 0) return false;
      return inFlight === 0;
    },

    async stop(timeoutMs = 30_000) {
      await boss.stop({ graceful: true, wait: true, timeout: Math.max(timeoutMs, 1_000) });
    },
  };

  /**
   * pg-boss's queue (a partition of its job table) if it is not there yet. Two processes creating
   * queues at once on a fresh schema can deadlock in pg-boss's create_queue (each adds a foreign key
   * to the queue table the other has written to); PostgreSQL aborts one, which tries again and finds
   * the queue made.
   */
  async function createQueue(kind: JobKind): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (await boss.getQueue(kind.name)) return;
        await boss.createQueue(kind.name, { name: kind.name, retryLimit: kind.retryLimit ?? 2, retryDelay: 0, expireInSeconds: kind.expireInSeconds });
        return;
      } catch (err) {
        if ((err as { code?: string }).code !== '40P01' || attempt >= 5) throw err;
        log.info({ kind: kind.name, attempt }, 'job queue: creating the queue deadlocked with another process; trying again');
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  }

  async function startKind(kind: JobKind, slots: number): Promise<void> {
    for (let i = 0; i < slots; i++) {
      await boss.work(kind.name, { includeMetadata: true, pollingIntervalSeconds: polling, batchSize: 1 }, async (jobs) => {
        const job = jobs[0] as unknown as BossJob;
        inFlight++;
        const t0 = performance.now();
        try {
          log.info({ job: job.id, kind: job.name, attempt: job.retryCount + 1 }, 'job started');
          const rec = await store.read.jobs.get(job.id);
          const value = await kind.handler(runOf(job, rec));
          log.info({ job: job.id, kind: job.name, attempt: job.retryCount + 1, ms: Math.round(performance.now() - t0) }, 'job completed');
          return asObject(value);
        } catch (err) {
          log.warn({ job: job.id, kind: job.name, attempt: job.retryCount + 1, err }, 'job run failed');
          throw err;
        } finally {
          inFlight--;
        }
      });
    }
  }

  return runtime;
}
