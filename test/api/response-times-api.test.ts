// GET /v1/reports/response-times: the simulated response time of every route against the DCC's
// targets, with each route's distribution (the web dashboard draws it); signed-in parties only.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/api/app.ts';
import { storeOn, type Store } from '../../src/store/store.ts';
import { RESPONSE_TIME_BUCKETS } from '../../src/world/studies/route-latency.ts';
import { freshPglite } from '../support/backends.ts';
import { aParty, appFor, depsFor, withParties } from '../support/builders.ts';

describe('HTTP API: response times per route', () => {
  let store: Store;
  let app: App;
  before(async () => {
    store = storeOn(await freshPglite());
    const [supplier] = await withParties(store, aParty({ role: 'supplier' }));
    assert.ok(supplier);
    app = await appFor(depsFor(store));
    auth = { authorization: `Bearer key-${supplier.id}` };
  });
  let auth: Record<string, string> = {};
  after(async () => {
    await app?.close();
    await store?.close();
  });

  it('answers every route with its percentiles, share within target and a histogram that counts every sample', async () => {
    const r = await app.inject({ url: '/v1/reports/response-times?samples=20&seed=t', headers: auth });
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json() as {
      targets: { onDemandSeconds: number; alertSeconds: number };
      buckets: number[];
      simulated: Array<{ route: string; samples: number; p50: number; max: number; histogram: Array<{ upToSeconds: number | null; count: number }> }>;
    };
    assert.deepEqual(body.targets, { onDemandSeconds: 30, alertSeconds: 60 });
    assert.deepEqual(body.buckets, [...RESPONSE_TIME_BUCKETS]);
    assert.ok(body.simulated.some((x) => x.route === 'wan') && body.simulated.some((x) => x.route === 'hht-visit'));
    for (const x of body.simulated) {
      assert.equal(x.samples, 20);
      assert.equal(x.histogram.length, RESPONSE_TIME_BUCKETS.length + 1);
      assert.equal(
        x.histogram.reduce((n, b) => n + b.count, 0),
        20,
        x.route,
      );
      // The largest sample is in the last bucket with a count.
      const last = [...x.histogram].reverse().find((b) => b.count > 0)!;
      const i = x.histogram.indexOf(last);
      assert.ok(last.upToSeconds === null || x.max <= last.upToSeconds + 0.05, x.route);
      assert.ok(i === 0 || x.max > x.histogram[i - 1]!.upToSeconds! - 0.05, x.route);
    }
    // The same samples and seed: the same answer.
    const again = await app.inject({ url: '/v1/reports/response-times?samples=20&seed=t', headers: auth });
    assert.deepEqual(again.json(), body);
  });

  it('is refused without a key, and names a bad sample count', async () => {
    assert.equal((await app.inject({ url: '/v1/reports/response-times' })).statusCode, 401);
    const bad = await app.inject({ url: '/v1/reports/response-times?samples=5', headers: auth });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().field, 'samples');
  });
});
