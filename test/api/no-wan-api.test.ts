import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/api/app.ts';
import { DEFAULT_GOVERNANCE } from '../../src/domain/governance.ts';
import { Fleet } from '../../src/world/devices/fleet.ts';
import { hashApiKey } from '../../src/services/authenticate.ts';
import { generateFleet } from '../../src/world/fleet-service.ts';
import { storeOn, type Store } from '../../src/store/store.ts';
import { freshPglite } from '../support/backends.ts';
import { aParty, depsFor, withParties, appFor } from '../support/builders.ts';
import { meterops } from '../support/cli.ts';

describe('HTTP API and HHT CLI: no-WAN operation', () => {
  let store: Store;
  let app: App;
  let base: string;
  let premiseId: string;
  let esme: string;
  let dir: string;
  const auth = { authorization: 'Bearer hht-key' };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meterops-hht-'));
    store = storeOn(await freshPglite());
    const dcc = aParty({ role: 'dcc' });
    await withParties(store, dcc);
    await generateFleet(depsFor(store), dcc, { premises: 12, seed: 'hht-api' });
    const fleet = new Fleet({ premises: 12, seed: 'hht-api' });
    const p = fleet.premise(0);
    esme = p.devices.ESME!;
    premiseId = `fleet-${fleet.tag.toLowerCase()}-p0`;
    const supplier = (await store.read.parties.list()).find((x) => x.eui === p.supplier)!;
    await store.transaction((tx) => tx.parties.addApiKey(supplier.id, hashApiKey('hht-key'), 'engineer-42'));
    app = await appFor(depsFor(store));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address() as { port: number };
    base = `http://127.0.0.1:${addr.port}`;
  });
  after(async () => {
    await app?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('routes, records WAN state and queues the premise over HTTP', async () => {
    const put = await app.inject({
      method: 'PUT',
      url: `/v1/premises/${premiseId}/wan-status`,
      headers: auth,
      payload: { hubWan: 'no-wan', paymentMode: 'prepayment', creditPence: 0, supply: 'enabled' },
    });
    assert.equal(put.statusCode, 200, put.body);
    const route = await app.inject({ url: `/v1/devices/${esme}/route?request=disableSupply`, headers: auth });
    assert.equal(route.json().route, 'hht-visit', route.body);
    const q = await app.inject({ url: '/v1/no-wan/visit-queue', headers: auth });
    assert.ok(
      q.json().some((e: { premiseId: string }) => e.premiseId === premiseId),
      q.body,
    );
    const bad = await app.inject({ url: `/v1/devices/${esme}/route?request=teleport`, headers: auth });
    assert.equal(bad.statusCode, 400);
    const badCredit = await app.inject({ method: 'PUT', url: `/v1/premises/${premiseId}/wan-status`, headers: auth, payload: { creditPence: 5_000_000 } });
    assert.deepEqual([badCredit.statusCode, badCredit.json().rule], [422, 'credit-range']);
    const coverage = await app.inject({ method: 'PUT', url: '/v1/wan-coverage', headers: auth, payload: { rows: [{ postcode: 'SW1A 1AA', coverage: 'covered' }] } });
    assert.deepEqual([coverage.statusCode, coverage.json().rule], [403, 'wan-coverage']);
  });

  it('answers which governance settings applied to a route, and marks a departure from the defaults an extension', async () => {
    await app.inject({ method: 'PUT', url: `/v1/premises/${premiseId}/wan-status`, headers: auth, payload: { hubWan: 'no-wan', paymentMode: 'prepayment' } });
    const plain = (await app.inject({ url: `/v1/devices/${esme}/route?request=enableSupply`, headers: auth })).json();
    assert.deepEqual([plain.route, plain.extension, plain.extensions], ['hht-visit', false, []], JSON.stringify(plain));
    assert.deepEqual(
      plain.governance.map((g: { setting: string; value: unknown; extension: boolean }) => [g.setting, g.value, g.extension]),
      [
        ['routes.configurationCodes', false, false],
        ['routes.ppmidRelayWanStates', ['intermittent'], false],
      ],
    );
    const codes = await appFor(
      depsFor(store, undefined, { policy: { governance: { ...DEFAULT_GOVERNANCE, routes: { ...DEFAULT_GOVERNANCE.routes, configurationCodes: true } } } }),
    );
    try {
      const r = (await codes.inject({ url: `/v1/devices/${esme}/route?request=enableSupply`, headers: auth })).json();
      assert.deepEqual([r.route, r.extension, r.extensions], ['consumer-code', true, ['routes.configurationCodes']], JSON.stringify(r));
      assert.equal(r.governance.find((g: { setting: string }) => g.setting === 'routes.configurationCodes').extension, true);
    } finally {
      await codes.close();
    }
  });

  it('creates an order over HTTP; the HHT CLI pulls it, visits offline, pushes the responses, and a repeat push records nothing twice', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/v1/work-orders',
      headers: auth,
      payload: {
        premiseId,
        commands: [
          { deviceEui: esme, useCase: 'ECS43' },
          { deviceEui: esme, useCase: 'ECS42' },
        ],
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().order.id as string;
    const file = join(dir, 'order.json');
    const online = ['--server', base, '--api-key', 'hht-key'];
    const pull = await meterops('hht', 'pull', id, '--hht', 'F0F0F0F0F0F00042', '--out', file, ...online);
    assert.equal(pull.code, 0, pull.stderr);
    assert.match(pull.stdout, /2 commands/);
    const visit = await meterops('hht', 'visit', file, '--device-port', `${base}/sim`);
    assert.equal(visit.code, 0, visit.stderr);
    assert.match(visit.stdout, /2 commands applied, 2 accepted/);
    const push = await meterops('hht', 'push', file, ...online);
    assert.equal(push.code, 0, push.stderr);
    assert.match(push.stdout, /push: 2 recorded, 0 already recorded, 0 rejected/);
    const again = await meterops('hht', 'push', file, ...online);
    assert.match(again.stdout, /push: 0 recorded, 2 already recorded, 0 rejected/);
    const shown = await app.inject({ url: `/v1/work-orders/${id}`, headers: auth });
    assert.deepEqual(
      shown.json().commands.map((c: { state: string; outcome: string }) => [c.state, c.outcome]),
      [
        ['executed', 'supply disabled'],
        ['executed', 'supply enabled'],
      ],
    );
    assert.equal(shown.json().order.state, 'completed');
    // A visit file whose responses were tampered with: rejected, named, exit 2.
    const kept = JSON.parse(readFileSync(file, 'utf8'));
    const other = await app.inject({ method: 'POST', url: '/v1/work-orders', headers: auth, payload: { premiseId, commands: [{ deviceEui: esme, useCase: 'ECS45' }] } });
    const forged = { ...kept, order: { ...kept.order, id: other.json().order.id }, visit: { records: [{ ...kept.visit.records[0], seq: 1 }] } };
    const forgedFile = join(dir, 'forged.json');
    writeFileSync(forgedFile, JSON.stringify(forged));
    const bad = await meterops('hht', 'push', forgedFile, ...online);
    assert.equal(bad.code, 2, bad.stdout + bad.stderr);
    assert.match(bad.stdout, /rejected: the response answers counter/);
  });

  it('refuses bad HHT input clearly', async () => {
    const noFile = await meterops('hht', 'visit', join(dir, 'missing.json'));
    assert.equal(noFile.code, 1);
    assert.match(noFile.stderr, /cannot read .*missing\.json: ENOENT/);
    const file = join(dir, 'junk.json');
    writeFileSync(file, '{"format":"something-else"}');
    const junk = await meterops('hht', 'visit', file);
    assert.match(junk.stderr, /not a meterops HHT order file/);
    const noKey = await meterops('hht', 'pull', 'wo-x', '--hht', 'F0F0F0F0F0F00042', '--out', file, '--server', base);
    assert.match(noKey.stderr, /--api-key/);
    const unknown = await meterops('hht', 'pull', 'wo-x', '--hht', 'F0F0F0F0F0F00042', '--out', file, '--server', base, '--api-key', 'hht-key');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /404 work order wo-x not found/);
    const unpaired = await app.inject({ method: 'POST', url: `/sim/devices/${esme}/port/pair`, payload: { client: 'F0F0F0F0F0F00042' } });
    // The window the visit opened is still open: what is missing is a signed pairing.
    assert.deepEqual([unpaired.statusCode, unpaired.json().rule], [409, 'pairing-refused']);
    assert.match(unpaired.json().detail, /no signed pairing authorisation/);
    const alert = await app.inject({ method: 'POST', url: '/v1/device-alerts', headers: auth, payload: { frame: 'DF00' } });
    assert.equal(alert.statusCode, 422);
  });
});
