// Work order assignment over HTTP: an operator assigns at creation or through
// POST /v1/work-orders/:id/assignment; a refusal is a problem naming `assignee` (raw NUL bytes and
// lone surrogates in the JSON included) and writes nothing; a field engineer lists `assignee=me`
// and pulls only their own or an unassigned order.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/api/app.ts';
import type { Party } from '../../src/domain/index.ts';
import { cliActing } from '../../src/services/acting.ts';
import { addUser } from '../../src/services/users.ts';
import { storeOn, type Store } from '../../src/store/store.ts';
import { Fleet } from '../../src/world/devices/fleet.ts';
import { generateFleet } from '../../src/world/fleet-service.ts';
import { freshPglite } from '../support/backends.ts';
import { aParty, appFor, depsFor, withParties } from '../support/builders.ts';

const PASSWORD = 'a long test password';
const HHT = 'F0F0F0F0F0F00001';

describe('HTTP API: work orders assigned to a field engineer', () => {
  let store: Store;
  let app: App;
  let supplier: Party;
  let premiseId: string;
  let esme: string;
  const sessions: Record<string, { cookie: string; 'x-csrf-token': string }> = {};

  before(async () => {
    store = storeOn(await freshPglite());
    const dcc = aParty({ role: 'dcc' });
    await withParties(store, dcc);
    const deps = depsFor(store);
    await generateFleet(deps, dcc, { premises: 12, seed: 'assign-api' });
    const fleet = new Fleet({ premises: 12, seed: 'assign-api' });
    const p = fleet.premise(0);
    esme = p.devices.ESME!;
    premiseId = `fleet-${fleet.tag.toLowerCase()}-p0`;
    supplier = (await store.read.parties.list()).find((x) => x.eui === p.supplier)!;
    for (const [username, roles] of [
      ['ops', ['operator']],
      ['eng1', ['field_engineer']],
      ['eng2', ['field_engineer']],
    ] as const) {
      await addUser(deps, cliActing(supplier), { username, name: username.toUpperCase(), roles: [...roles], password: PASSWORD });
    }
    app = await appFor(deps);
    for (const username of ['ops', 'eng1', 'eng2']) {
      const r = await app.inject({ method: 'POST', url: '/v1/sessions', payload: { username, password: PASSWORD } });
      assert.equal(r.statusCode, 201, r.body);
      sessions[username] = { cookie: String(r.headers['set-cookie']).split(';')[0]!, 'x-csrf-token': r.json().csrfToken as string };
    }
  });
  after(async () => {
    await app?.close();
    await store?.close();
  });

  const create = (who: string, body: object | string) =>
    app.inject({
      method: 'POST',
      url: '/v1/work-orders',
      headers: { ...sessions[who], 'content-type': 'application/json' },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const commands = () => [{ deviceEui: esme, useCase: 'ECS45' }];
  const count = async () => (await store.read.workOrders.list({ supplierPartyId: supplier.id, limit: 1000 })).length;

  it('lists the field engineers an operator may assign to, and assigns at creation', async () => {
    const fe = await app.inject({ url: '/v1/field-engineers', headers: sessions.ops });
    assert.equal(fe.statusCode, 200, fe.body);
    assert.deepEqual(
      fe
        .json()
        .fieldEngineers.map((p: { username: string }) => p.username)
        .sort(),
      ['eng1', 'eng2'],
    );
    const first = await app.inject({ url: '/v1/field-engineers?limit=1', headers: sessions.ops });
    const second = await app.inject({ url: `/v1/field-engineers?limit=1&cursor=${first.json().next}`, headers: sessions.ops });
    assert.deepEqual([...first.json().fieldEngineers, ...second.json().fieldEngineers].map((p: { username: string }) => p.username).sort(), ['eng1', 'eng2'], 'paged by cursor');
    assert.equal(second.json().next, null);
    const r = await create('ops', { premiseId, commands: commands(), assignee: 'eng1' });
    assert.equal(r.statusCode, 201, r.body);
    assert.deepEqual([r.json().order.assignedTo, r.json().order.assignedBy], ['eng1', 'ops']);
  });

  it('refuses a bad assignee with a problem naming the field, creating nothing', async () => {
    const before = await count();
    const raw = (assignee: string) => `{"premiseId":${JSON.stringify(premiseId)},"commands":${JSON.stringify(commands())},"assignee":"${assignee}"}`;
    for (const [body, rule] of [
      [{ premiseId, commands: commands(), assignee: 'ops' }, 'assignee-field-engineer'],
      [{ premiseId, commands: commands(), assignee: 'nobody' }, 'assignee-person'],
      // The API refuses these for every field before any use case runs (src/api/app.ts).
      [raw('eng\\u00001'), 'no-nul'],
      [raw('eng\\ud8001'), 'well-formed-unicode'],
    ] as const) {
      const r = await create('ops', body);
      assert.equal(r.statusCode, 422, r.body);
      assert.deepEqual([r.json().field, r.json().rule], ['assignee', rule], r.body);
    }
    assert.equal(await count(), before);
  });

  it('reassigns through the assignment route; the engineer lists their own and pulls only those', async () => {
    const id = (await create('ops', { premiseId, commands: commands(), assignee: 'eng1' })).json().order.id as string;
    const assign = (who: string, assignee: unknown) => app.inject({ method: 'POST', url: `/v1/work-orders/${id}/assignment`, headers: sessions[who], payload: { assignee } });
    const byEngineer = await assign('eng1', 'eng2');
    assert.deepEqual([byEngineer.statusCode, byEngineer.json().rule], [403, 'permission-operate']);
    const bad = await assign('ops', 'ops');
    assert.deepEqual([bad.statusCode, bad.json().field, bad.json().rule], [422, 'assignee', 'assignee-field-engineer']);
    const ok = await assign('ops', 'eng2');
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().order.assignedTo, 'eng2');

    const mine = async (who: string) =>
      (await app.inject({ url: '/v1/work-orders?assignee=me&state=open', headers: sessions[who] })).json().workOrders.map((o: { id: string }) => o.id) as string[];
    assert.ok((await mine('eng2')).includes(id));
    assert.ok(!(await mine('eng1')).includes(id));

    const pull = (who: string) => app.inject({ method: 'POST', url: `/v1/work-orders/${id}/pull`, headers: sessions[who], payload: { hht: HHT } });
    const refused = await pull('eng1');
    assert.deepEqual([refused.statusCode, refused.json().rule, refused.json().field], [403, 'order-assignee', 'orderId'], refused.body);
    assert.equal((await pull('eng2')).statusCode, 200);
    const shown = await app.inject({ url: `/v1/work-orders/${id}`, headers: sessions.ops });
    assert.deepEqual([shown.json().order.state, shown.json().order.assignedTo], ['pulled', 'eng2']);
  });
});
