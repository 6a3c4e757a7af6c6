import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/api/app.ts';
import type { Party } from '../../src/domain/index.ts';
import { Fleet } from '../../src/world/devices/fleet.ts';
import { hashApiKey } from '../../src/services/authenticate.ts';
import { generateFleet } from '../../src/world/fleet-service.ts';
import { createReturn } from '../../src/services/returns/returns.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { aParty, depsFor, withParties, appFor } from '../support/builders.ts';
import { meterops } from '../support/cli.ts';
import { DUIS_XSD, skipDuisValidation } from '../support/reference.ts';

describe('returns over HTTP', () => {
  let dir: string;
  let store: Store | undefined;
  let app: App;
  let supplier: Party;
  let returnId: string;
  const auth = { authorization: 'Bearer ret-key' };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meterops-returns-'));
    store = (await openStore({ kind: 'pglite', dataDir: dir })).store;
    const dcc = aParty({ role: 'dcc' });
    await withParties(store, dcc);
    await generateFleet(depsFor(store), dcc, { premises: 8, seed: 'returns-adapters' });
    const fleet = new Fleet({ premises: 8, seed: 'returns-adapters' });
    const p = fleet.premise(0);
    supplier = (await store.read.parties.list()).find((x) => x.eui === p.supplier)!;
    await store.transaction((tx) => tx.parties.addApiKey(supplier.id, hashApiKey('ret-key'), 'returns clerk'));
    app = await appFor(depsFor(store));
    const created = await app.inject({
      method: 'POST',
      url: '/v1/returns',
      headers: auth,
      payload: {
        reference: 'RMA-9',
        lines: [
          { deviceEui: p.devices.CHF, reason: 'no-fault-sm-wan-variant-dcc' },
          { deviceEui: p.devices.ESME, reason: 'meter-exchange' },
        ],
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    returnId = created.json().order.id;
  });
  after(async () => {
    await app?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves return lines, the report as CSV, and the DUIS request as XML', async () => {
    const lines = await app.inject({ url: '/v1/return-lines', headers: auth });
    assert.equal(lines.json().lines.length, 2);
    assert.equal(lines.json().next, null);
    const line = await app.inject({ url: `/v1/return-lines/${lines.json().lines[0].id}`, headers: auth });
    assert.deepEqual(
      line.json().history.map((e: { kind: string }) => e.kind),
      ['returned'],
    );
    const csv = await app.inject({ url: '/v1/reports/returns?format=csv', headers: auth });
    assert.match(csv.headers['content-type'] as string, /text\/csv/);
    assert.match(csv.body, /^dimension,key,returns/);
    const bounded = await app.inject({ url: '/v1/reports/returns?stockLocationLimit=2', headers: auth });
    assert.deepEqual([bounded.statusCode, bounded.json().stockByLocation.limit, bounded.json().stockByLocation.locations], [200, 2, []]);
    for (const bad of ['0', '501', 'lots']) {
      const r = await app.inject({ url: `/v1/reports/returns?stockLocationLimit=${bad}`, headers: auth });
      assert.ok([400, 422].includes(r.statusCode), `${bad}: ${r.statusCode}`);
      assert.match(JSON.stringify(r.json()), /stockLocationLimit/, bad);
    }
    const xml = await app.inject({ url: `/v1/returns/${returnId}/duis?incidentReference=INC-9`, headers: auth });
    assert.equal(xml.statusCode, 200, xml.body);
    assert.match(xml.headers['content-type'] as string, /application\/xml/);
    assert.match(xml.body, /No Fault Return \(SM WAN variant replacement requested by DCC\)/);
    const tooLong = await app.inject({ url: `/v1/returns/${returnId}/duis?incidentReference=${'X'.repeat(16)}`, headers: auth });
    assert.deepEqual([tooLong.statusCode, tooLong.json().field, tooLong.json().rule], [422, 'incidentReference', 'duis-max-length']);
    const badReason = await app.inject({ method: 'POST', url: '/v1/returns', headers: auth, payload: { lines: [{ deviceEui: '00DB123456789012', reason: 'meh' }] } });
    assert.deepEqual([badReason.statusCode, badReason.json().rule], [422, 'return-reason']);
    const triageBeforeCustody = await app.inject({
      method: 'POST',
      url: `/v1/return-lines/${lines.json().lines[0].id}/triage`,
      headers: auth,
      payload: { facilityId: 'nowhere', method: 'gold' },
    });
    assert.equal(triageBeforeCustody.statusCode, 404);
  });
});

describe('returns through the CLI', () => {
  let dir: string;
  let supplier: Party;
  let returnId: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meterops-returns-cli-'));
    const store = (await openStore({ kind: 'pglite', dataDir: dir })).store;
    try {
      const dcc = aParty({ role: 'dcc' });
      await withParties(store, dcc);
      await generateFleet(depsFor(store), dcc, { premises: 8, seed: 'returns-adapters-cli' });
      const p = new Fleet({ premises: 8, seed: 'returns-adapters-cli' }).premise(0);
      supplier = (await store.read.parties.list()).find((x) => x.eui === p.supplier)!;
      const created = await createReturn(depsFor(store), supplier, 'clerk', {
        reference: 'RMA-9',
        lines: [
          { deviceEui: p.devices.CHF!, reason: 'no-fault-sm-wan-variant-dcc' },
          { deviceEui: p.devices.ESME!, reason: 'meter-exchange' },
        ],
      });
      returnId = created.order.id;
    } finally {
      // The CLI opens the same embedded database in its own process.
      await store.close();
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('meterops returns list and export-duis work on the same data', async () => {
    const list = await meterops('--data-dir', dir, 'returns', 'list', '--as', supplier.id, '--json');
    assert.equal(list.code, 0, list.stderr);
    assert.equal(JSON.parse(list.stdout).lines.length, 2);
    const xml = await meterops('--data-dir', dir, 'returns', 'export-duis', returnId, '--as', supplier.id, '--user-ref', 'RMA-9');
    assert.equal(xml.code, 0, xml.stderr);
    assert.match(xml.stdout, /^<\?xml/);
  });

  it('the exported DUIS request validates against the DUIS 5.4 schema', { skip: skipDuisValidation() }, async () => {
    const xml = await meterops('--data-dir', dir, 'returns', 'export-duis', returnId, '--as', supplier.id, '--user-ref', 'RMA-9');
    assert.equal(xml.code, 0, xml.stderr);
    writeFileSync(join(dir, 'req.xml'), xml.stdout);
    const r = spawnSync('xmllint', ['--noout', '--schema', DUIS_XSD, join(dir, 'req.xml')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /req\.xml validates/);
  });

  it('refuses additional information over 200 characters', async () => {
    const over = await meterops('--data-dir', dir, 'returns', 'export-duis', returnId, '--as', supplier.id, '--info', 'x'.repeat(201));
    assert.equal(over.code, 2);
    assert.match(over.stderr, /additionalInformation is at most 200 characters/);
  });
});
