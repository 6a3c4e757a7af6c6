import { ConflictError, NotFoundError, type Party } from '../../domain/index.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import { jobQueueOf } from '../../services/jobs.ts';
import type { JobKind, JobRun } from '../../services/ports/job-queue.ts';
import { generateFleet, type FleetGeneration } from '../fleet-service.ts';
import { finishYear, prepareYear, triageYearChunk, yearChunks, type YearOptions } from '../studies/simulate-year.ts';

/** What a `fleet-generate` job carries: the acting (DCC) party and the fleet's settings. */
export interface FleetJobPayload extends Omit<FleetGeneration, 'naming'> {
  readonly partyId: string;
}

/** What a `returns-year` job carries. */
export interface YearJobPayload extends YearOptions {
  readonly partyId: string;
}

/** One triage batch of a year, a child job of the `returns-year` job. */
export interface YearChunkPayload {
  readonly parentId: string;
  readonly seed: string;
  readonly supplierId: string;
  readonly manufacturerId: string;
  readonly lineIds: readonly string[];
}

/** How often a year's job looks at its batches while they run, ms. */
const YEAR_POLL_MS = 500;

async function partyOf(deps: ServiceDeps, id: string): Promise<Party> {
  const r = await deps.store.read.parties.record(id);
  if (!r) throw new NotFoundError('party', id, 'partyId');
  return { id: r.id, name: r.name, role: r.role, eui: r.eui, distributorId: r.distributorId };
}

/** Progress from a synchronous callback: at most one write in flight, the latest value kept. */
function progressWriter(run: JobRun<unknown>, everyMs = 1_000): { report(done: number, total: number): void; flush(): Promise<void> } {
  let last = 0;
  let pending: Promise<void> = Promise.resolve();
  let latest: [number, number] | null = null;
  const write = () => {
    const v = latest;
    latest = null;
    if (v) pending = pending.then(() => run.progress(v[0], v[1])).catch(() => {});
  };
  return {
    report(done, total) {
      latest = [done, total];
      const now = performance.now();
      if (now - last >= everyMs) {
        last = now;
        write();
      }
    },
    async flush() {
      write();
      await pending;
    },
  };
}

/**
 * The simulated world's job kinds. `fleet-generate`: one fleet, stored in one transaction (a rerun
 * after it committed is refused as a fleet that exists). `returns-year`: the year's setup in its
 * own run, then its triage batches as `returns-year-batch` child jobs that any worker takes (each
 * one transaction, committed once, counting its lines into the year's progress), then, once every
 * batch is done, the reinstallation and the report.
 */
export function worldJobKinds(deps: ServiceDeps): JobKind[] {
  const fleet: JobKind<FleetJobPayload> = {
    name: 'fleet-generate',
    expireInSeconds: 3_600,
    retryLimit: 1,
    handler: async (run) => {
      const { partyId, ...opts } = run.payload;
      const progress = progressWriter(run as JobRun<unknown>);
      const s = await generateFleet(deps, await partyOf(deps, partyId), opts, (d, t) => progress.report(d, t));
      await progress.flush();
      await run.progress(s.premises, s.premises);
      return s;
    },
  };

  const batch: JobKind<YearChunkPayload> = {
    name: 'returns-year-batch',
    expireInSeconds: 900,
    retryLimit: 2,
    handler: async (run) => {
      const p = run.payload;
      const [supplier, manufacturer] = await Promise.all([partyOf(deps, p.supplierId), partyOf(deps, p.manufacturerId)]);
      const done = await run.once(async (tx) => {
        const n = await triageYearChunk(tx, deps, p.seed, supplier, manufacturer, p.lineIds);
        await tx.jobs.setProgress(run.id, n, n, deps.clock());
        await tx.jobs.addProgress(p.parentId, n, deps.clock());
        return n;
      });
      return { lines: done.ran ? done.value : p.lineIds.length, rerun: !done.ran };
    },
  };

  const year: JobKind<YearJobPayload> = {
    name: 'returns-year',
    expireInSeconds: 6 * 3_600,
    retryLimit: 0,
    handler: async (run) => {
      const queue = jobQueueOf(deps);
      if ((await deps.store.read.jobs.children(run.id)).length > 0)
        throw new ConflictError(
          'returns-year-interrupted',
          `the year ${run.id} was cut off after its setup; its batches ran or run on, but its last phase needs the setup's lines: start a new year`,
        );
      const t0 = performance.now();
      const { partyId, ...o } = run.payload;
      await partyOf(deps, partyId);
      const setup = await prepareYear(deps, o);
      const chunks = yearChunks(setup);
      const t1 = performance.now();
      // Every batch enqueued in one transaction with the year's total: all of them or none.
      await deps.store.transaction(async (tx) => {
        for (const c of chunks)
          await queue.enqueue(
            tx,
            'returns-year-batch',
            { parentId: run.id, seed: setup.seed, supplierId: c.supplierId, manufacturerId: setup.manufacturer.id, lineIds: c.lineIds } satisfies YearChunkPayload,
            { partyId: run.partyId, parentId: run.id, total: c.lineIds.length },
          );
        await tx.jobs.setProgress(run.id, 0, setup.lines.length, deps.clock());
      });
      for (;;) {
        const states = await queue.childStates(run.id);
        if ((states.failed ?? 0) + (states.cancelled ?? 0) > 0)
          throw new ConflictError('returns-year-batch-failed', `${states.failed ?? 0} of the year's ${chunks.length} batches failed (see their jobs)`);
        if ((states.completed ?? 0) === chunks.length) break;
        await new Promise((r) => setTimeout(r, YEAR_POLL_MS));
      }
      const t2 = performance.now();
      const end = await finishYear(deps, setup);
      const s = (ms: number) => Math.round(ms / 100) / 10;
      return {
        returns: setup.lines.length,
        batches: chunks.length,
        reinstalled: end.reinstalled,
        nffRate: end.report.overall.nffRate,
        seconds: {
          fleet: setup.seconds.fleet,
          returns: setup.seconds.returns,
          triageAndRefurbish: s(t2 - t1),
          reinstall: end.seconds.reinstall,
          report: end.seconds.report,
          total: s(performance.now() - t0),
        },
      };
    },
  };
  return [fleet as JobKind, batch as JobKind, year as JobKind];
}
