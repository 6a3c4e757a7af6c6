import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/api/app.ts';
import { storeOn, type Store } from '../../src/store/store.ts';
import { freshPglite } from '../support/backends.ts';
import { aDeviceInput, aParty, depsFor, withParties, appFor } from '../support/builders.ts';

describe('HTTP API', () => {
  let store: Store;
  let app: App;
  const supplier = aParty({ role: 'supplier' });
  const other = aParty({ role: 'supplier' });
  const dcc = aParty({ role: 'dcc' });
  const auth = (p: { id: string }) => ({ authorization: `Bearer key-${p.id}` });

  before(async () => {
    store = storeOn(await freshPglite());
    await withParties(store, supplier, other, dcc);
    app = await appFor(depsFor(store));
  });
  after(async () => {
    await app?.close();
    await store?.close();
  });

  const registerOne = async () => {
    const input = aDeviceInput();
    const res = await app.inject({ method: 'POST', url: '/v1/devices', headers: auth(supplier), payload: { devices: [input] } });
    assert.equal(res.statusCode, 201, res.body);
    return String(input.eui);
  };

  it('serves health without a key and OpenAPI 3.1 with the device paths', async () => {
    const health = await app.inject('/health');
    assert.deepEqual(health.json(), { status: 'ok', database: 'pglite' });
    const doc = (await app.inject('/openapi.json')).json();
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(doc.paths['/v1/devices/{eui}/inventory-status']?.post);
    assert.equal((await app.inject('/docs/')).statusCode, 200);
  });

  it('answers 401 problem+json without a valid key', async () => {
    for (const headers of [{}, { authorization: 'Bearer nope' }, { authorization: 'Basic abc' }]) {
      const res = await app.inject({ url: '/v1/devices', headers });
      assert.equal(res.statusCode, 401);
      assert.match(String(res.headers['content-type']), /application\/problem\+json/);
      assert.equal(res.json().code, 'UNAUTHORIZED');
    }
  });

  it('registers, reads and moves a device', async () => {
    const eui = await registerOne();
    const got = await app.inject({ url: `/v1/devices/${eui.match(/../g)!.join('-')}`, headers: auth(supplier) });
    assert.equal(got.statusCode, 200);
    assert.equal(got.json().eui, eui);
    const moved = await app.inject({
      method: 'POST',
      url: `/v1/devices/${eui}/inventory-status`,
      headers: auth(supplier),
      payload: { status: 'InstalledNotCommissioned', reason: 'fitted' },
    });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.equal(moved.json().inventoryStatus, 'InstalledNotCommissioned');
    const events = (await app.inject({ url: `/v1/devices/${eui}/events`, headers: auth(supplier) })).json().events;
    assert.deepEqual(
      events.map((e: { toStatus: string }) => e.toStatus),
      ['registered', 'InstalledNotCommissioned'],
    );
  });

  it('refuses a forbidden transition as E5, naming field and rule, and writes nothing', async () => {
    const eui = await registerOne();
    const res = await app.inject({ method: 'POST', url: `/v1/devices/${eui}/inventory-status`, headers: auth(supplier), payload: { status: 'Commissioned' } });
    assert.equal(res.statusCode, 409);
    const p = res.json();
    assert.equal(p.code, 'E5');
    assert.equal(p.field, 'status');
    assert.equal(p.rule, 'status-incompatible');
    assert.equal((await app.inject({ url: `/v1/devices/${eui}`, headers: auth(supplier) })).json().inventoryStatus, 'Pending');
  });

  it("refuses another party's device for read and write with 403 naming the rule", async () => {
    const eui = await registerOne();
    for (const req of [
      { url: `/v1/devices/${eui}` },
      { url: `/v1/devices/${eui}/events` },
      { method: 'POST' as const, url: `/v1/devices/${eui}/asset-status`, payload: { status: 'in_transit' } },
    ]) {
      const res = await app.inject({ ...req, headers: auth(other) });
      // Exactly as a missing device: 404, no disclosure that it exists.
      assert.equal(res.statusCode, 404, res.body);
      assert.equal(res.json().code, 'NOT_FOUND');
      assert.equal(res.json().field, 'eui');
      assert.equal(res.json().detail, `device ${eui} not found`);
    }
    assert.equal((await app.inject({ url: `/v1/devices/${eui}`, headers: auth(dcc) })).statusCode, 200);
  });

  it('names the field for a malformed EUI, a bad enum and a bad body', async () => {
    const bad = await app.inject({ url: '/v1/devices/00DB12', headers: auth(supplier) });
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().field, 'eui');
    assert.equal(bad.json().rule, 'eui-64');
    const enumBad = await app.inject({ method: 'POST', url: '/v1/devices/00DB1234567890A0/inventory-status', headers: auth(supplier), payload: { status: 'Installed' } });
    assert.equal(enumBad.statusCode, 400);
    assert.equal(enumBad.json().field, 'status');
    const bodyBad = await app.inject({ method: 'POST', url: '/v1/devices', headers: auth(supplier), payload: { devices: [] } });
    assert.equal(bodyBad.statusCode, 400);
    assert.equal(bodyBad.json().field, 'devices');
  });

  it('returns a result per row for a half-bad batch and writes none of it', async () => {
    const good = aDeviceInput();
    const res = await app.inject({ method: 'POST', url: '/v1/devices', headers: auth(supplier), payload: { devices: [good, aDeviceInput({ eui: 'zz' })] } });
    assert.equal(res.statusCode, 422);
    const body = res.json();
    assert.equal(body.written, 0);
    assert.deepEqual(
      body.rows.map((r: { ok: boolean }) => r.ok),
      [true, false],
    );
    assert.equal(body.rows[1].errors[0].field, 'eui');
    assert.equal((await app.inject({ url: `/v1/devices/${good.eui}`, headers: auth(supplier) })).statusCode, 404);
  });

  it('pages through the devices a party may see', async () => {
    for (let i = 0; i < 3; i++) await registerOne();
    const first = (await app.inject({ url: '/v1/devices?limit=2', headers: auth(supplier) })).json();
    assert.equal(first.devices.length, 2);
    const second = (await app.inject({ url: `/v1/devices?limit=2&cursor=${first.next}`, headers: auth(supplier) })).json();
    assert.ok(second.devices[0].eui > first.devices[1].eui);
    assert.equal((await app.inject({ url: '/v1/devices?limit=1000', headers: auth(supplier) })).statusCode, 400);
    assert.equal((await app.inject({ url: '/v1/devices', headers: auth(other) })).json().devices.length, 0);
  });
});
