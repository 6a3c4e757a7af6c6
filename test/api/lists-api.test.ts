import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/api/app.ts';
import { PAGE_LIMITS } from '../../src/domain/index.ts';
import { storeOn, type Store } from '../../src/store/store.ts';
import { freshPglite } from '../support/backends.ts';
import { aParty, appFor, depsFor, withParties } from '../support/builders.ts';

/** Every list endpoint: the page under the collection's name with `next`, the documented limit, strict queries. */
const LISTS: ReadonlyArray<[string, string]> = [
  ['/v1/devices', 'devices'],
  ['/v1/premises', 'premises'],
  ['/v1/returns', 'returns'],
  ['/v1/return-lines', 'lines'],
  ['/v1/facilities', 'facilities'],
  ['/v1/vulnerabilities', 'vulnerabilities'],
  ['/v1/duties', 'duties'],
  ['/v1/removal-notices', 'notices'],
  ['/v1/work-orders', 'workOrders'],
  ['/v1/field-engineers', 'fieldEngineers'],
  ['/v1/vends', 'vends'],
  ['/v1/command-requests', 'requests'],
];

describe('HTTP API: every list', () => {
  let store: Store;
  let app: App;
  const supplier = aParty({ role: 'supplier' });
  const auth = { authorization: `Bearer key-${supplier.id}` };
  before(async () => {
    store = storeOn(await freshPglite());
    await withParties(store, supplier);
    app = await appFor(depsFor(store));
  });
  after(async () => {
    await app?.close();
    await store?.close();
  });

  it('answers a page with next, refuses a limit over the maximum and an unknown parameter, naming them', async () => {
    for (const [url, key] of LISTS) {
      const ok = await app.inject({ url: `${url}?limit=${PAGE_LIMITS.max}`, headers: auth });
      assert.equal(ok.statusCode, 200, `${url}: ${ok.body}`);
      assert.deepEqual(Object.keys(ok.json()).sort(), [key, 'next'].sort(), url);
      assert.ok(Array.isArray(ok.json()[key]), url);
      assert.equal(ok.json().next, null, `${url}: nothing more`);
      for (const bad of [`limit=${PAGE_LIMITS.max + 1}`, 'limit=0', 'limit=ten']) {
        const res = await app.inject({ url: `${url}?${bad}`, headers: auth });
        assert.deepEqual([res.statusCode, res.json().field], [400, 'limit'], `${url}?${bad}: ${res.body}`);
      }
      const unknown = await app.inject({ url: `${url}?offset=10`, headers: auth });
      assert.deepEqual([unknown.statusCode, unknown.json().field, unknown.json().rule], [400, 'offset', 'unknown-field'], `${url}: ${unknown.body}`);
    }
  });

  it('documents each list in OpenAPI with limit (and its maximum) and cursor', async () => {
    const doc = (await app.inject('/openapi.json')).json();
    for (const [url] of LISTS) {
      const params = (doc.paths[url]?.get?.parameters ?? []) as Array<{ name: string; schema?: { maximum?: number } }>;
      assert.equal(params.find((p) => p.name === 'limit')?.schema?.maximum, PAGE_LIMITS.max, url);
      assert.ok(
        params.some((p) => p.name === 'cursor'),
        url,
      );
    }
  });
});
