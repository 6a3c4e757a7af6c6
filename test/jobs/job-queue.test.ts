// The job queue (pg-boss behind the JobQueue port) on each backend: a job enqueued in a
// transaction that rolls back never exists and never runs; one that commits runs once and keeps
// its handler's value; a job that throws is run again up to its retry limit, then marked failed
// with the error it threw; progress is stored as it runs; `once` commits a job's transaction once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { ConflictError } from '../../src/domain/errors.ts';
import { openJobRuntime } from '../../src/jobs/pg-boss-runtime.ts';
import type { JobRuntime, JobStatus } from '../../src/services/ports/job-queue.ts';
import type { Store } from '../../src/store/store.ts';
import { BACKENDS } from '../support/backends.ts';

const log = pino({ level: 'silent' });

/** Polls until the job is in a final state (or the time runs out). */
export async function settled(queue: JobRuntime, id: string, ms = 20_000): Promise<JobStatus> {
  const end = Date.now() + ms;
  for (;;) {
    const s = await queue.status(id);
    if (s && (s.state === 'completed' || s.state === 'failed')) return s;
    if (Date.now() > end) throw new Error(`job ${id} still ${s?.state} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

for (const backend of BACKENDS) {
  describe(`job queue (${backend.name})`, { skip: backend.skip ?? false }, () => {
    let store: Store;
    let jobs: JobRuntime;
    const runs: Array<{ kind: string; id: string; attempt: number; payload: unknown }> = [];

    before(async () => {
      store = await backend.open();
      await store.transaction((tx) => tx.parties.insert({ id: 'sup-1', name: 'Supplier 1', role: 'supplier', eui: null, distributorId: null }));
      jobs = await openJobRuntime(store, log, { pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1 });
      await jobs.register<{ n: number }, unknown>({
        name: 'test-echo',
        expireInSeconds: 60,
        handler: async (run) => {
          runs.push({ kind: run.name, id: run.id, attempt: run.attempt, payload: run.payload });
          await run.progress(run.payload.n, run.payload.n);
          return { doubled: run.payload.n * 2 };
        },
      });
      await jobs.register<Record<string, never>, unknown>({
        name: 'test-throws',
        expireInSeconds: 60,
        retryLimit: 2,
        handler: async (run) => {
          runs.push({ kind: run.name, id: run.id, attempt: run.attempt, payload: run.payload });
          throw new ConflictError('test-rule', `attempt ${run.attempt} refused`);
        },
      });
      await jobs.register<Record<string, never>, unknown>({
        name: 'test-once',
        expireInSeconds: 60,
        handler: async (run) => {
          runs.push({ kind: run.name, id: run.id, attempt: run.attempt, payload: run.payload });
          const first = await run.once(async (tx) => {
            await tx.meta.set(`once-${run.id}`, 'first');
            return 'wrote';
          });
          // The same job's second transaction finds the mark and does nothing.
          const second = await run.once(async (tx) => {
            await tx.meta.set(`once-${run.id}`, 'second');
            return 'wrote again';
          });
          return { first, second };
        },
      });
      await jobs.work(1);
    });
    after(async () => {
      await jobs.stop(5_000);
      await store.close();
    });

    it('a job enqueued in a transaction that rolls back never exists and never runs', async () => {
      let id: string | undefined;
      await assert.rejects(
        store.transaction(async (tx) => {
          id = await jobs.enqueue(tx, 'test-echo', { n: 7 }, { partyId: 'sup-1' });
          throw new Error('the cause fails');
        }),
        /the cause fails/,
      );
      assert.ok(id);
      // A job committed after it runs and completes: by then the rolled-back one would have too.
      const later = await store.transaction((tx) => jobs.enqueue(tx, 'test-echo', { n: 1 }, { partyId: 'sup-1' }));
      await settled(jobs, later);
      assert.equal(await jobs.status(id), null);
      assert.equal(await store.read.jobs.get(id), undefined);
      assert.deepEqual(
        runs.filter((r) => r.id === id),
        [],
      );
    });

    it('a committed job runs once, keeps its value, its party and its progress', async () => {
      const id = await store.transaction((tx) => jobs.enqueue(tx, 'test-echo', { n: 21 }, { partyId: 'sup-1', total: 21 }));
      const s = await settled(jobs, id);
      assert.equal(s.state, 'completed');
      assert.deepEqual(s.result, { doubled: 42 });
      assert.equal(s.partyId, 'sup-1');
      assert.deepEqual(s.progress, { done: 21, total: 21 });
      assert.equal(s.attempts, 1);
      assert.equal(s.error, null);
      assert.ok(s.startedAt && s.completedAt && s.completedAt >= s.startedAt);
      assert.deepEqual(
        runs.filter((r) => r.id === id).map((r) => r.attempt),
        [1],
      );
    });

    it('a job that throws is run again up to its retry limit, then failed with its error', async () => {
      const id = await store.transaction((tx) => jobs.enqueue(tx, 'test-throws', {}, { partyId: 'sup-1' }));
      const s = await settled(jobs, id);
      assert.equal(s.state, 'failed');
      assert.equal(s.retryLimit, 2);
      assert.equal(s.attempts, 3);
      assert.deepEqual(s.error, { message: 'attempt 3 refused', code: 'CONFLICT' });
      assert.deepEqual(
        runs.filter((r) => r.id === id).map((r) => r.attempt),
        [1, 2, 3],
      );
      assert.equal(s.result, null);
    });

    it("once: a job's transaction commits once", async () => {
      const id = await store.transaction((tx) => jobs.enqueue(tx, 'test-once', {}, { partyId: 'sup-1' }));
      const s = await settled(jobs, id);
      assert.deepEqual(s.result, { first: { ran: true, value: 'wrote' }, second: { ran: false } });
      assert.equal(await store.read.meta.get(`once-${id}`), 'first');
      assert.ok((await store.read.jobs.get(id))?.committedAt);
    });

    it('an unknown kind is refused with a coded error; a malformed or unknown id has no status', async () => {
      await assert.rejects(
        store.transaction((tx) => jobs.enqueue(tx, 'no-such-kind', {}, { partyId: 'sup-1' })),
        (e: Error & { code?: string; rule?: string }) => e.code === 'VALIDATION_FAILED' && e.rule === 'job-kind',
      );
      assert.equal(await jobs.status('not-a-uuid'), null);
      assert.equal(await jobs.status('00000000-0000-4000-8000-000000000000'), null);
    });
  });
}
