import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/api/app.ts';
import { hashApiKey } from '../../src/services/authenticate.ts';
import { registerDevices } from '../../src/services/register-devices.ts';
import type { Store } from '../../src/store/store.ts';
import { BACKENDS } from '../support/backends.ts';
import { aDeviceInput, aParty, depsFor, withParties, appFor } from '../support/builders.ts';

for (const backend of BACKENDS)
  describe(`HTTP API: obligations, anomaly holds, audit on ${backend.name}`, { skip: backend.skip ?? false }, () => {
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
      store = await backend.open();
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
      const done = await app.inject({
        method: 'POST',
        url: `/v1/duties/${sscDuty.id}/done`,
        headers: auth(`key-${supplier.id}`),
        payload: { evidence: 'letter ref 99', steps: 'firmware A1.2 to the meter', completeBy: '2027-01-15T00:00:00Z' },
      });
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
      // G3.17: "Where a User becomes aware of any material security vulnerability ...": the rival has not.
      const rivalBefore = (await app.inject({ url: `/v1/duties?vulnerabilityId=${mine.json().id}`, headers: auth(`key-${rival.id}`) })).json().duties;
      assert.deepEqual(rivalBefore, [], 'the rival owes nothing until it becomes aware');
      // meterops notifies the rival on the Supplier's behalf: the Supplier is told nothing of the rival's duties.
      const notified = await app.inject({
        method: 'POST',
        url: `/v1/vulnerabilities/${mine.json().id}/awareness`,
        headers: auth(`key-${supplier.id}`),
        payload: { basis: 'notified', partyId: rival.id },
      });
      assert.equal(notified.statusCode, 201, notified.body);
      assert.deepEqual([notified.json().awareness.basis, notified.json().awareness.recordedBy, notified.json().duties], ['notified', supplier.id, []]);
      const rivalDuties = (await app.inject({ url: `/v1/duties?vulnerabilityId=${mine.json().id}`, headers: auth(`key-${rival.id}`) })).json().duties;
      assert.ok(
        rivalDuties.length > 0 && rivalDuties.every((d: { partyId: string; deviceCount: number }) => d.partyId === rival.id && d.deviceCount === 2),
        'the rival has duties of its own',
      );
      // The DCC records it: the DCC is aware, and answers for no ESME; the Suppliers owe nothing from the DCC's record.
      const all = await app.inject({ method: 'POST', url: '/v1/vulnerabilities', headers: auth(`key-${dcc.id}`), payload });
      assert.equal(all.statusCode, 201, all.body);
      assert.equal(all.json().affectedDevices, 3);
      assert.deepEqual(all.json().duties, []);
      assert.equal(all.json().awareness.partyId, dcc.id);
      const supplierOfDcc = (await app.inject({ url: `/v1/duties?vulnerabilityId=${all.json().id}`, headers: auth(`key-${supplier.id}`) })).json().duties;
      assert.deepEqual(supplierOfDcc, []);
    });

    it('acknowledges awareness with a materiality judgement, judges once, and answers bad input with coded problems', async () => {
      const payload = { title: 'Tariff spoof', manufacturer: 'ApiMaker', component: 'smart_metering_system', deviceTypes: ['ESME'], awareAt: new Date().toISOString() };
      const v = (await app.inject({ method: 'POST', url: '/v1/vulnerabilities', headers: auth(`key-${supplier.id}`), payload })).json().id;
      const ack = await app.inject({
        method: 'POST',
        url: `/v1/vulnerabilities/${v}/awareness`,
        headers: auth(`key-${rival.id}`),
        payload: { basis: 'acknowledged', materiality: { material: true, reason: 'all our A1 meters are exposed' } },
      });
      assert.equal(ack.statusCode, 201, ack.body);
      assert.equal(ack.json().awareness.materiality.judgedBy, rival.id);
      assert.equal(ack.json().duties.length, 4);
      const again = await app.inject({ method: 'POST', url: `/v1/vulnerabilities/${v}/materiality`, headers: auth(`key-${rival.id}`), payload: { material: false, reason: 'x' } });
      assert.deepEqual([again.statusCode, again.json().rule], [409, 'already-judged']);
      const judged = await app.inject({
        method: 'POST',
        url: `/v1/vulnerabilities/${v}/materiality`,
        headers: auth(`key-${supplier.id}`),
        payload: { material: false, reason: 'one meter, in our lab' },
      });
      assert.equal(judged.statusCode, 200, judged.body);
      assert.equal(judged.json().exempted, 4);
      const bad = [
        [`/v1/vulnerabilities/${v}/awareness`, { basis: 'acknowledged', partyId: dcc.id }, 403, 'acknowledge-own'],
        [`/v1/vulnerabilities/${v}/awareness`, { basis: 'notified' }, 422, 'required'],
        [`/v1/vulnerabilities/${v}/awareness`, { basis: 'acknowledged' }, 409, 'already-aware'],
        [`/v1/vulnerabilities/${v}/materiality`, { material: true, reason: '' }, 422, 'required'],
      ] as const;
      for (const [url, body, status, rule] of bad) {
        const r = await app.inject({ method: 'POST', url, headers: auth(`key-${supplier.id}`), payload: body });
        assert.deepEqual([r.statusCode, r.json().rule], [status, rule], `${url} ${JSON.stringify(body)}: ${r.body}`);
      }
      assert.equal(
        (await app.inject({ method: 'POST', url: '/v1/vulnerabilities/vuln-none/awareness', headers: auth(`key-${rival.id}`), payload: { basis: 'acknowledged' } })).statusCode,
        404,
      );
      const schemaRefused = await app.inject({ method: 'POST', url: `/v1/vulnerabilities/${v}/awareness`, headers: auth(`key-${dcc.id}`), payload: { basis: 'rumour' } });
      assert.equal(schemaRefused.statusCode, 400);
    });

    it('reports the fleet manufacturers with no G3.20 arrangement, and closes the SSC notice only with its steps', async () => {
      const gaps = await app.inject({ url: '/v1/reports/arrangement-gaps', headers: auth(`key-${rival.id}`) });
      assert.equal(gaps.statusCode, 200, gaps.body);
      // The rival's two A1 meters (set up above), no arrangement recorded.
      assert.deepEqual(gaps.json().users, [{ partyId: rival.id, missing: [{ manufacturer: 'ApiMaker', devices: 2 }], covered: [] }]);
      assert.match(gaps.json().clause, /^G3\.20\(b\)/);
      await app.inject({ method: 'POST', url: '/v1/arrangements', headers: auth(`key-${rival.id}`), payload: { manufacturer: 'ApiMaker', g321Exemption: false } });
      assert.deepEqual((await app.inject({ url: '/v1/reports/arrangement-gaps', headers: auth(`key-${rival.id}`) })).json().users[0].missing, []);
      assert.equal((await app.inject({ url: '/v1/reports/arrangement-gaps', headers: auth(`key-${dcc.id}`) })).json().users.length, 2);
      const open = (await app.inject({ url: '/v1/duties?duty=notify_ssc&state=open', headers: auth(`key-${rival.id}`) })).json().duties[0];
      const noSteps = await app.inject({ method: 'POST', url: `/v1/duties/${open.id}/done`, headers: auth(`key-${rival.id}`), payload: { evidence: 'sent' } });
      assert.deepEqual([noSteps.statusCode, noSteps.json().field], [422, 'steps']);
      const done = await app.inject({
        method: 'POST',
        url: `/v1/duties/${open.id}/done`,
        headers: auth(`key-${rival.id}`),
        payload: { evidence: 'sent', steps: 'firmware A1.2', completeBy: '2027-02-01T00:00:00Z' },
      });
      assert.equal(done.statusCode, 200, done.body);
      assert.deepEqual([done.json().sscSteps, done.json().stepsCompleteBy], ['firmware A1.2', '2027-02-01T00:00:00.000Z']);
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
