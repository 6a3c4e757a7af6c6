// Jobs over HTTP on each backend: GET /v1/jobs/:id shows a job's progress while it runs and its
// result once done, to the party whose job it is; another party's job, an unknown id and a
// malformed one are 404. POST /v1/hht/upload-jobs runs a large HHT upload as a job whose result
// counts the rows as the synchronous upload of the same rows does; bad input is refused at once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/api/app.ts';
import { openJobs } from '../../src/cli/job-runtime.ts';
import { simulatedWorldWiring } from '../../src/composition/simulated-world-wiring.ts';
import type { ServiceDeps } from '../../src/services/deps.ts';
import type { JobRuntime } from '../../src/services/ports/job-queue.ts';
import type { Store } from '../../src/store/store.ts';
import { makeMpanCore } from '../../src/domain/index.ts';
import { createPremise } from '../../src/services/premises.ts';
import { BACKENDS } from '../support/backends.ts';
import { aParty, appFor, depsFor, withParties, worldOf } from '../support/builders.ts';

for (const backend of BACKENDS) {
  describe(`HTTP API: jobs (${backend.name})`, { skip: backend.skip ?? false }, () => {
    let store: Store;
    let app: App;
    let deps: ServiceDeps;
    let runtime: JobRuntime;
    const supplier = aParty({ role: 'supplier', eui: '00DB1234567890A1' as never });
    const other = aParty({ role: 'supplier', eui: '00DB1234567890B2' as never });
    const dcc = aParty({ role: 'dcc' });
    const auth = (p: { id: string }) => ({ authorization: `Bearer key-${p.id}` });
    // The stepping job waits at each step until the test lets it go on.
    let release: () => void = () => {};
    const step = () => new Promise<void>((r) => (release = r));
    let stepsJob = '';

    before(async () => {
      store = await backend.open();
      await withParties(store, supplier, other, dcc);
      const base = depsFor(store);
      ({ deps, runtime } = await openJobs(base, simulatedWorldWiring(worldOf(base)), { supervise: true, pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1 }));
      await runtime.register<{ steps: number }, unknown>({
        name: 'test-steps',
        expireInSeconds: 60,
        handler: async (run) => {
          for (let i = 1; i <= run.payload.steps; i++) {
            const go = step();
            await run.progress(i, run.payload.steps);
            await go;
          }
          return { steps: run.payload.steps };
        },
      });
      await runtime.work(1);
      app = await appFor(deps);
    });
    after(async () => {
      release();
      await app?.close();
      await runtime?.stop(5_000);
      await store?.close();
    });

    const get = (id: string, as = supplier) => app.inject({ url: `/v1/jobs/${id}`, headers: auth(as) });
    const until = async (id: string, ok: (j: { state: string; progress: { done: number } }) => boolean) => {
      for (let i = 0; i < 200; i++) {
        const j = (await get(id)).json();
        if (ok(j)) return j;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`job ${id} never got there`);
    };

    it("shows a running job's progress, then its result, to its party only", async () => {
      const id = await store.transaction((tx) => runtime.enqueue(tx, 'test-steps', { steps: 3 }, { partyId: supplier.id }));
      const first = await until(id, (j) => j.state === 'active' && j.progress.done === 1);
      assert.deepEqual([first.name, first.attempts, first.progress, first.result, first.error], ['test-steps', 1, { done: 1, total: 3 }, null, null]);
      release();
      const second = await until(id, (j) => j.progress.done === 2);
      assert.equal(second.state, 'active');
      // Another party's job is not found, as is a job that does not exist or a malformed id.
      for (const r of [await get(id, other), await get(id, dcc), await get('3f0c8a4e-9d1b-4c2a-8e7f-1a2b3c4d5e6f'), await get('not-a-job')]) {
        assert.equal(r.statusCode, 404, r.body);
        assert.deepEqual([r.json().code, r.json().field], ['NOT_FOUND', 'id']);
      }
      release();
      await until(id, (j) => j.progress.done === 3);
      release();
      const done = await until(id, (j) => j.state === 'completed');
      assert.deepEqual([done.progress, done.result, done.attempts], [{ done: 3, total: 3 }, { steps: 3 }, 1]);
      assert.ok(Date.parse(done.completedAt) >= Date.parse(done.startedAt));
      const list = await app.inject({ url: '/v1/jobs?limit=5', headers: auth(supplier) });
      assert.deepEqual(
        list.json().jobs.map((j: { id: string }) => j.id),
        [id],
      );
      assert.deepEqual((await app.inject({ url: '/v1/jobs', headers: auth(other) })).json(), { jobs: [], next: null });
      stepsJob = id;
    });

    it('runs a large HHT upload as a job, counting rows as the synchronous upload does', async () => {
      // One order of the Supplier's (with no commands: its rows are rejected as unknown commands) and
      // four that do not exist: each row is rejected, by the job as by the synchronous upload.
      const premise = await createPremise(deps, supplier, { mpan: makeMpanCore(12, 770_001), postcode: 'SW1A 1AA' });
      const now = new Date();
      await store.transaction((tx) =>
        tx.workOrders.insert(
          {
            id: 'job-api-order',
            supplierPartyId: supplier.id,
            premiseId: premise.id,
            state: 'pulled',
            createdBy: 'test',
            createdAt: now,
            expiresAt: new Date(now.getTime() + 86_400_000),
            pulledBy: 'test',
            pulledAt: now,
            closedAt: null,
            assignedTo: null,
            assignedAt: null,
            assignedBy: null,
          },
          [],
        ),
      );
      const responses = Array.from({ length: 25 }, (_, i) => ({
        orderId: i % 5 === 0 ? 'job-api-order' : `no-such-order-${i % 5}`,
        seq: i,
        response: 'DF09',
        deliveredAt: '2026-01-01T00:00:00Z',
      }));
      // Naming none of the Supplier's orders: refused at once, and no job is written.
      const none = await app.inject({ method: 'POST', url: '/v1/hht/upload-jobs', headers: auth(other), payload: { responses } });
      assert.deepEqual([none.statusCode, none.json().field], [404, 'responses.orderId'], none.body);
      assert.deepEqual((await app.inject({ url: '/v1/jobs', headers: auth(other) })).json().jobs, []);
      const r = await app.inject({ method: 'POST', url: '/v1/hht/upload-jobs', headers: auth(supplier), payload: { responses } });
      assert.equal(r.statusCode, 202, r.body);
      const job = r.json().job;
      assert.deepEqual([job.name, job.progress], ['hht-upload', { done: 0, total: 25 }]);
      const done = await until(job.id, (j) => j.state === 'completed');
      const sync = (await app.inject({ method: 'POST', url: '/v1/hht/uploads', headers: auth(supplier), payload: { responses } })).json();
      assert.deepEqual([done.result.recorded, done.result.duplicate, done.result.rejected.length], [sync.recorded, sync.duplicate, sync.rejected]);
      assert.equal(sync.rejected, 25);
      assert.deepEqual(
        done.result.rejected.map((x: { reason: string }) => x.reason),
        sync.results.map((x: { reason: string }) => x.reason),
      );
      assert.deepEqual(done.progress, { done: 25, total: 25 });
      // The party's two jobs a page of one at a time, newest first.
      const first = (await app.inject({ url: '/v1/jobs?limit=1', headers: auth(supplier) })).json();
      assert.deepEqual([first.jobs.map((j: { id: string }) => j.id), typeof first.next], [[job.id], 'string']);
      const second = (await app.inject({ url: `/v1/jobs?limit=1&cursor=${first.next}`, headers: auth(supplier) })).json();
      assert.deepEqual([second.jobs.map((j: { id: string }) => j.id), second.next], [[stepsJob], null]);
    });

    it('refuses an empty upload job, an unknown field and a non-Supplier at once', async () => {
      const empty = await app.inject({ method: 'POST', url: '/v1/hht/upload-jobs', headers: auth(supplier), payload: { responses: [] } });
      assert.deepEqual([empty.statusCode, empty.json().field, empty.json().rule], [422, 'responses', 'upload-size']);
      const unknown = await app.inject({ method: 'POST', url: '/v1/hht/upload-jobs', headers: auth(supplier), payload: { responses: [], extra: 1 } });
      assert.equal(unknown.statusCode, 400, unknown.body);
      assert.match(unknown.json().detail, /extra/);
      const row = { orderId: 'o', seq: 1, response: 'DF', deliveredAt: '2026-01-01T00:00:00Z' };
      const byDcc = await app.inject({ method: 'POST', url: '/v1/hht/upload-jobs', headers: auth(dcc), payload: { responses: [row] } });
      assert.deepEqual([byDcc.statusCode, byDcc.json().rule], [403, 'work-order'], byDcc.body);
      assert.deepEqual((await app.inject({ url: '/v1/jobs', headers: auth(dcc) })).json().jobs, []);
      const badLimit = await app.inject({ url: '/v1/jobs?limit=0', headers: auth(supplier) });
      assert.deepEqual([badLimit.statusCode, badLimit.json().field], [400, 'limit'], badLimit.body);
      const badCursor = await app.inject({ url: '/v1/jobs?cursor=bm90LWEtY3Vyc29y', headers: auth(supplier) });
      assert.deepEqual([badCursor.statusCode, badCursor.json().field, badCursor.json().rule], [422, 'cursor', 'cursor'], badCursor.body);
    });
  });
}
