import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/api/app.ts';
import { Fleet } from '../../src/world/devices/fleet.ts';
import { hashApiKey } from '../../src/services/authenticate.ts';
import { generateFleet } from '../../src/world/fleet-service.ts';
import { storeOn, type Store } from '../../src/store/store.ts';
import { freshPglite } from '../support/backends.ts';
import { aParty, depsFor, withParties, appFor } from '../support/builders.ts';

describe('HTTP API: vending', () => {
  let store: Store;
  let app: App;
  let esme: string;
  const headers = (key: string) => ({ authorization: 'Bearer vend-key', 'idempotency-key': key });
  before(async () => {
    store = storeOn(await freshPglite());
    const dcc = aParty({ role: 'dcc' });
    await withParties(store, dcc);
    await generateFleet(depsFor(store), dcc, { premises: 10, seed: 'vend-api' });
    const fleet = new Fleet({ premises: 10, seed: 'vend-api' });
    const supplierEui = fleet.premise(0).supplier;
    esme = fleet.premise(0).devices.ESME!;
    const supplier = (await store.read.parties.list()).find((p) => p.eui === supplierEui)!;
    await store.transaction((tx) => tx.parties.addApiKey(supplier.id, hashApiKey('vend-key'), 'till-7'));
    app = await appFor(depsFor(store));
  });
  after(async () => {
    await app?.close();
    await store?.close();
  });

  it('vends under an idempotency key: 201, then 200 with the same code, reprintable', async () => {
    const body = { kind: 'credit', deviceEui: esme, value: 20, valueClass: 'pounds' };
    const first = await app.inject({ method: 'POST', url: '/v1/vends', headers: headers('pos-1'), payload: body });
    assert.equal(first.statusCode, 201, first.body);
    assert.match(first.json().code, /^\d{20}$/);
    const again = await app.inject({ method: 'POST', url: '/v1/vends', headers: headers('pos-1'), payload: body });
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().code, first.json().code);
    assert.equal((await app.inject({ url: '/v1/vends/pos-1', headers: { authorization: 'Bearer vend-key' } })).json().code, first.json().code);
  });

  it('refuses a missing key, a bad body and a capped value with a named field', async () => {
    const noKey = await app.inject({
      method: 'POST',
      url: '/v1/vends',
      headers: { authorization: 'Bearer vend-key' },
      payload: { kind: 'credit', deviceEui: esme, value: 1, valueClass: 'pounds' },
    });
    assert.equal(noKey.statusCode, 400);
    const badKind = await app.inject({ method: 'POST', url: '/v1/vends', headers: headers('pos-2'), payload: { kind: 'cash', deviceEui: esme } });
    assert.equal(badKind.statusCode, 400);
    const tooBig = await app.inject({
      method: 'POST',
      url: '/v1/vends',
      headers: headers('pos-3'),
      payload: { kind: 'credit', deviceEui: esme, value: 500, valueClass: 'pounds' },
    });
    assert.equal(tooBig.statusCode, 422);
    assert.deepEqual([tooBig.json().field, tooBig.json().rule], ['value', 'max-vend']);
  });
});
