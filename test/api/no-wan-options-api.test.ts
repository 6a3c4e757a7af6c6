// POST /v1/reports/no-wan-options: the no-WAN options study as a job (the web dashboard's source).
// The job's result is the report the study gives when called directly with the same request; bad
// input is refused at once, naming the field, and leaves no job; a party has at most two unfinished
// runs; the job is its party's only.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/api/app.ts';
import { openJobs } from '../../src/cli/job-runtime.ts';
import { simulatedWorldWiring } from '../../src/composition/simulated-world-wiring.ts';
import type { ServiceDeps } from '../../src/services/deps.ts';
import type { JobRuntime } from '../../src/services/ports/job-queue.ts';
import { storeOn, type Store } from '../../src/store/store.ts';
import { noWanOptionsReport } from '../../src/world/no-wan-options/no-wan-options-report.ts';
import { freshPglite } from '../support/backends.ts';
import { aParty, appFor, depsFor, withParties, worldOf } from '../support/builders.ts';

describe('HTTP API: the no-WAN options study as a job', () => {
  let store: Store;
  let app: App;
  let deps: ServiceDeps;
  let runtime: JobRuntime;
  const supplier = aParty({ role: 'supplier', eui: '00DB1234567890C1' as never });
  const other = aParty({ role: 'supplier', eui: '00DB1234567890C2' as never });
  const auth = (p: { id: string }) => ({ authorization: `Bearer key-${p.id}` });
  const post = (body: unknown, as = supplier) => app.inject({ method: 'POST', url: '/v1/reports/no-wan-options', headers: auth(as), payload: body as object });
  const jobCount = async () => (await app.inject({ url: '/v1/jobs?limit=100', headers: auth(supplier) })).json<{ jobs: unknown[] }>().jobs.length;

  before(async () => {
    store = storeOn(await freshPglite());
    await withParties(store, supplier, other);
    const base = depsFor(store);
    // No worker yet: the first runs wait, so the unfinished-runs limit can be seen.
    ({ deps, runtime } = await openJobs(base, simulatedWorldWiring(worldOf(base)), { supervise: false, pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1 }));
    app = await appFor(deps);
  });
  after(async () => {
    await app?.close();
    await runtime?.stop(10_000);
    await store?.close();
  });

  it('refuses bad input at once, naming the field, and writes no job', async () => {
    const cases: Array<[unknown, number, string]> = [
      [{ premises: 99 }, 400, 'premises'],
      [{ premises: 20_001 }, 400, 'premises'],
      [{ premises: 300.5 }, 400, 'premises'],
      [{ option: 'carrier-pigeon' }, 400, 'option'],
      [{ colour: 'blue' }, 400, 'colour'],
      [{ seed: 'no spaces allowed' }, 422, 'seed'],
      [{ seed: '\u0000' }, 422, 'seed'],
      [{ assumptions: { visitHours: 1000 } }, 422, 'assumptions.visitHours'],
      [{ assumptions: { noSuchInput: 1 } }, 422, 'assumptions.noSuchInput'],
    ];
    for (const [body, status, field] of cases) {
      const r = await post(body);
      assert.equal(r.statusCode, status, `${JSON.stringify(body)}: ${r.body}`);
      assert.equal(r.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(r.json<{ field: string }>().field, field, r.body);
    }
    assert.equal((await app.inject({ method: 'POST', url: '/v1/reports/no-wan-options', payload: {} })).statusCode, 401);
    assert.equal(await jobCount(), 0);
  });

  it("runs the study as a job whose result is the study's own report; at most two unfinished runs per party", async () => {
    const request = { premises: 300, seed: 'api-test', assumptions: { visitHours: 2 } };
    const first = await post(request);
    assert.equal(first.statusCode, 202, first.body);
    const second = await post({ ...request, option: 'restricted-hht' });
    assert.equal(second.statusCode, 202, second.body);
    const third = await post(request);
    assert.equal(third.statusCode, 409, third.body);
    assert.deepEqual([third.json().code, third.json().rule], ['CONFLICT', 'study-running']);
    // Another party has its own allowance, and cannot see this party's job.
    const ids = [first.json<{ job: { id: string } }>().job.id, second.json<{ job: { id: string } }>().job.id];
    assert.equal((await app.inject({ url: `/v1/jobs/${ids[0]}`, headers: auth(other) })).statusCode, 404);

    await runtime.work(1);
    const done = async (id: string) => {
      for (let i = 0; i < 600; i++) {
        const j = (await app.inject({ url: `/v1/jobs/${id}`, headers: auth(supplier) })).json<{ state: string; result: unknown; error: unknown; progress: unknown }>();
        if (j.state === 'completed' || j.state === 'failed') return j;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`job ${id} did not finish`);
    };
    const [a, b] = [await done(ids[0]!), await done(ids[1]!)];
    assert.equal(a.state, 'completed', JSON.stringify(a.error));
    assert.deepEqual(a.progress, { done: 1, total: 1 });
    const direct = await noWanOptionsReport(worldOf(deps), { ...request, keypadLockoutMinutes: undefined });
    assert.deepEqual(a.result, JSON.parse(JSON.stringify(direct)));
    assert.equal(b.state, 'completed', JSON.stringify(b.error));
    const rows = (b.result as { options: Array<{ id: string }> }).options.map((o) => o.id);
    assert.deepEqual(rows, ['restricted-hht']);
    // Both finished: the party may run again.
    assert.equal((await post({ premises: 100, seed: 'api-test-2' })).statusCode, 202);
  });
});
