import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/api/app.ts';
import { hashApiKey } from '../../src/services/authenticate.ts';
import { registerDevices } from '../../src/services/register-devices.ts';
import { storeOn, type Store } from '../../src/store/store.ts';
import { freshPglite } from '../support/backends.ts';
import { aDeviceInput, aParty, depsFor, withParties, appFor } from '../support/builders.ts';

describe('HTTP API: obligations, anomaly holds, audit', () => {
  let store: Store;
  let app: App;
  const supplier = aParty({ role: 'supplier' });
  const dcc = aParty({ role: 'dcc' });
  const ssc = aParty({ role: 'security_sub_committee' });
  // Another Supplier with two meters of the same model: its duties and its count are not the first Supplier's to see.
  const rival = aParty({ role: 'supplier' });
  const auth = (key: string) => ({ authorization: `Bearer ${key}` });
  // The supplier's one meter: the vulnerability's device and the requests' target.
  const meter = aDeviceInput({ manufacturer: 'ApiMaker', model: 'A1', type: 'ESME' });
  before(async () => {
    store = storeOn(await freshPglite());
    await withParties(store, supplier, dcc, ssc, rival);
    await store.transaction((tx) => tx.parties.addApiKey(supplier.id, hashApiKey('second-person-key'), 'bob'));
    await registerDevices(depsFor(store), supplier, [{ row: 0, input: meter }]);
    await registerDevices(
      depsFor(store),
      rival,
      [0, 1].map((row) => ({ row, input: aDeviceInput({ manufacturer: 'ApiMaker', model: 'A1', type: 'ESME' }) })),
    );
    app = await appFor(depsFor(store));
  });
  after(async () => {
    await app?.close();
    await store?.close();
  });

  it('records a vulnerability, lists and closes duties, and shows the SSC its notices', async () => {
    const rec = await app.inject({
      method: 'POST',
      url: '/v1/vulnerabilities',
      headers: auth(`key-${supplier.id}`),
      payload: { title: 'Weak PRNG', manufacturer: 'ApiMaker', models: ['A1'], component: 'smart_metering_system', deviceTypes: ['ESME'], awareAt: new Date().toISOString() },
    });
    assert.equal(rec.statusCode, 201, rec.body);
    assert.equal(rec.json().affectedDevices, 1);
    assert.ok(
      rec.json().duties.every((d: { partyId: string }) => d.partyId === supplier.id),
      'the answer holds only the caller’s own duties',
    );
    const duties = (await app.inject({ url: '/v1/duties', headers: auth(`key-${supplier.id}`) })).json().duties;
    const sscDuty = duties.find((d: { duty: string }) => d.duty === 'notify_ssc');
    const noEvidence = await app.inject({ method: 'POST', url: `/v1/duties/${sscDuty.id}/done`, headers: auth(`key-${supplier.id}`), payload: { evidence: '' } });
    assert.equal(noEvidence.statusCode, 422);
    assert.equal(noEvidence.json().field, 'evidence');
    const done = await app.inject({ method: 'POST', url: `/v1/duties/${sscDuty.id}/done`, headers: auth(`key-${supplier.id}`), payload: { evidence: 'letter ref 99' } });
    assert.equal(done.json().state, 'done');
    const notices = (await app.inject({ url: '/v1/duties', headers: auth(`key-${ssc.id}`) })).json().duties;
    assert.ok(
      notices.some((n: { id: string }) => n.id === sscDuty.id),
      'the SSC sees the notice',
    );
    assert.equal((await app.inject({ url: '/v1/reports/obligations', headers: auth(`key-${supplier.id}`) })).json().done, 1);
    const unknown = await app.inject({
      method: 'POST',
      url: '/v1/vulnerabilities',
      headers: auth(`key-${supplier.id}`),
      payload: { title: 't', manufacturer: 'ApiMaker', models: ['ZZ'], component: 'smart_metering_system', deviceTypes: ['ESME'], awareAt: new Date().toISOString() },
    });
    assert.equal(unknown.statusCode, 422);
    assert.equal(unknown.json().rule, 'known-model');
  });

  it("answers a Supplier its own duties and its own affected devices only; the DCC, every party's", async () => {
    const payload = {
      title: 'Keypad overflow',
      manufacturer: 'ApiMaker',
      models: ['A1'],
      component: 'smart_metering_system',
      deviceTypes: ['ESME'],
      awareAt: new Date().toISOString(),
    };
    const mine = await app.inject({ method: 'POST', url: '/v1/vulnerabilities', headers: auth(`key-${supplier.id}`), payload });
    assert.equal(mine.statusCode, 201, mine.body);
    // Counted from the registry as set up above: one meter is the Supplier's, two the rival's.
    assert.equal(mine.json().affectedDevices, 1, 'the rival’s two meters are not counted');
    assert.deepEqual([...new Set(mine.json().duties.map((d: { partyId: string }) => d.partyId))], [supplier.id]);
    assert.ok(!mine.body.includes(rival.id), 'the answer names no other party');
    const rivalDuties = (await app.inject({ url: `/v1/duties?vulnerabilityId=${mine.json().id}`, headers: auth(`key-${rival.id}`) })).json().duties;
    assert.ok(
      rivalDuties.length > 0 && rivalDuties.every((d: { partyId: string; deviceCount: number }) => d.partyId === rival.id && d.deviceCount === 2),
      'the rival has duties of its own',
    );
    const all = await app.inject({ method: 'POST', url: '/v1/vulnerabilities', headers: auth(`key-${dcc.id}`), payload });
    assert.equal(all.statusCode, 201, all.body);
    assert.equal(all.json().affectedDevices, 3);
    assert.deepEqual([...new Set(all.json().duties.map((d: { partyId: string }) => d.partyId))].sort(), [supplier.id, rival.id].sort());
  });

  it('holds requests past the limit and releases them only for a second person (the other API key)', async () => {
    let held = 0;
    for (let i = 0; i < 55; i++) {
      const r = await app.inject({
        method: 'POST',
        url: '/v1/command-requests',
        headers: auth(`key-${supplier.id}`),
        payload: { commandType: 'disable_supply', target: meter.eui },
      });
      if (r.json().status === 'held') held++;
    }
    assert.equal(held, 5);
    const same = await app.inject({ method: 'POST', url: '/v1/command-requests/release', headers: auth(`key-${supplier.id}`), payload: { commandType: 'disable_supply' } });
    assert.equal(same.statusCode, 403);
    assert.equal(same.json().rule, 'two-person-release');
    const other = await app.inject({ method: 'POST', url: '/v1/command-requests/release', headers: auth('second-person-key'), payload: { commandType: 'disable_supply' } });
    assert.deepEqual(other.json(), { released: 5 });
  });

  it('lets only the DCC verify the audit log, which is intact', async () => {
    assert.equal((await app.inject({ url: '/v1/audit/verify', headers: auth(`key-${supplier.id}`) })).statusCode, 403);
    const v = (await app.inject({ url: '/v1/audit/verify', headers: auth(`key-${dcc.id}`) })).json();
    assert.equal(v.valid, true);
    assert.ok(v.entries > 55, `entries ${v.entries}`);
  });
});
