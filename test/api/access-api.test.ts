import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/api/app.ts';
import type { Party } from '../../src/domain/index.ts';
import { cliActing } from '../../src/services/acting.ts';
import { issueApiKey } from '../../src/services/api-keys.ts';
import { addUser } from '../../src/services/users.ts';
import { storeOn, type Store } from '../../src/store/store.ts';
import { Fleet } from '../../src/world/devices/fleet.ts';
import { generateFleet } from '../../src/world/fleet-service.ts';
import { freshPglite } from '../support/backends.ts';
import { aParty, appFor, depsFor, withParties } from '../support/builders.ts';

const PASSWORD = 'a long enough password';

describe('HTTP API: who may do what (roles, sessions, keys, parties)', () => {
  let store: Store;
  let app: App;
  let now = new Date();
  let supplier: Party;
  let premiseId: string;
  let esme: string;
  const keys: Record<string, string> = {};
  const dcc = aParty({ role: 'dcc' });
  const bearer = (k: string) => ({ authorization: `Bearer ${keys[k]}` });

  before(async () => {
    store = storeOn(await freshPglite());
    await withParties(store, dcc);
    const deps = depsFor(store, () => now, { policy: { anomalyLimits: { credential_replacement: { max: 2, windowMinutes: 60 } } } });
    await generateFleet(deps, dcc, { premises: 12, seed: 'access-api' });
    const fleet = new Fleet({ premises: 12, seed: 'access-api' });
    const p = fleet.premise(0);
    esme = p.devices.ESME!;
    premiseId = `fleet-${fleet.tag.toLowerCase()}-p0`;
    supplier = (await store.read.parties.list()).find((x) => x.eui === p.supplier)!;
    const console = cliActing(dcc);
    for (const [name, roles, partyId] of [
      ['operator', ['operator'], supplier.id],
      ['engineer', ['field_engineer'], supplier.id],
      ['auditor', ['auditor'], supplier.id],
      ['admin', ['administrator'], supplier.id],
      ['platform', ['administrator'], dcc.id],
    ] as const) {
      keys[name] = (await issueApiKey(deps, console, { partyId, name, roles: [...roles] })).secret;
    }
    await addUser(deps, console, { partyId: supplier.id, username: 'oscar', name: 'Oscar', roles: ['operator', 'approver'], password: PASSWORD });
    await addUser(deps, console, { partyId: supplier.id, username: 'pia', name: 'Pia', roles: ['approver'], password: PASSWORD });
    app = await appFor(deps);
  });
  after(async () => {
    await app?.close();
    await store?.close();
  });

  const signIn = async (username: string) => {
    const r = await app.inject({ method: 'POST', url: '/v1/sessions', payload: { username, password: PASSWORD } });
    assert.equal(r.statusCode, 201, r.body);
    const cookie = String(r.headers['set-cookie']);
    return { cookie: cookie.split(';')[0]!, raw: cookie, csrf: r.json().csrfToken as string };
  };

  it('only a field engineer pulls a work order; an operator creates it', async () => {
    const put = await app.inject({
      method: 'PUT',
      url: `/v1/premises/${premiseId}/wan-status`,
      headers: bearer('operator'),
      payload: { hubWan: 'no-wan', paymentMode: 'prepayment', creditPence: 0, supply: 'enabled' },
    });
    assert.equal(put.statusCode, 200, put.body);
    const created = await app.inject({
      method: 'POST',
      url: '/v1/work-orders',
      headers: bearer('operator'),
      payload: { premiseId, commands: [{ deviceEui: esme, useCase: 'ECS43' }] },
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().order.id as string;
    const byOperator = await app.inject({ method: 'POST', url: `/v1/work-orders/${id}/pull`, headers: bearer('operator'), payload: { hht: 'F0F0F0F0F0F00042' } });
    assert.deepEqual([byOperator.statusCode, byOperator.json().rule], [403, 'permission-work_orders-pull'], byOperator.body);
    assert.match(byOperator.json().detail, /needs the role field_engineer/);
    const byEngineer = await app.inject({ method: 'POST', url: `/v1/work-orders/${id}/pull`, headers: bearer('engineer'), payload: { hht: 'F0F0F0F0F0F00042' } });
    assert.equal(byEngineer.statusCode, 200, byEngineer.body);
    const engineerCreates = await app.inject({
      method: 'POST',
      url: '/v1/work-orders',
      headers: bearer('engineer'),
      payload: { premiseId, commands: [{ deviceEui: esme, useCase: 'ECS42' }] },
    });
    assert.deepEqual([engineerCreates.statusCode, engineerCreates.json().rule], [403, 'permission-operate']);
  });

  it('an auditor reads and changes nothing', async () => {
    assert.equal((await app.inject({ url: '/v1/devices', headers: bearer('auditor') })).statusCode, 200);
    const write = await app.inject({ method: 'POST', url: '/v1/command-requests', headers: bearer('auditor'), payload: { commandType: 'disable_supply', target: esme } });
    assert.deepEqual([write.statusCode, write.json().rule], [403, 'permission-operate']);
    const issue = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer('auditor'), payload: { name: 'sneaky', roles: ['operator'] } });
    assert.deepEqual([issue.statusCode, issue.json().rule], [403, 'permission-keys-manage']);
    assert.equal((await app.inject({ url: '/v1/api-keys', headers: bearer('auditor') })).statusCode, 200);
  });

  it('signs in into an HTTP-only, SameSite session cookie; changes carry the CSRF token', async () => {
    const s = await signIn('oscar');
    assert.match(s.raw, /^meterops_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    const me = await app.inject({ url: '/v1/me', headers: { cookie: s.cookie } });
    assert.deepEqual([me.json().partyId, me.json().kind, me.json().person, me.json().roles], [supplier.id, 'user', 'oscar', ['operator', 'approver']]);
    const noCsrf = await app.inject({ method: 'POST', url: '/v1/command-requests', headers: { cookie: s.cookie }, payload: { commandType: 'disable_supply', target: esme } });
    assert.deepEqual([noCsrf.statusCode, noCsrf.json().code, noCsrf.json().field], [403, 'CSRF_FAILED', 'x-csrf-token']);
    const wrong = await app.inject({ method: 'POST', url: '/v1/sessions', payload: { username: 'oscar', password: 'not the password at all' } });
    assert.deepEqual([wrong.statusCode, wrong.json().detail, wrong.json().field, wrong.json().rule], [401, 'the username or password is wrong', 'password', 'sign-in']);
    const out = await app.inject({ method: 'DELETE', url: '/v1/sessions/current', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
    assert.equal(out.statusCode, 204);
    assert.equal((await app.inject({ url: '/v1/me', headers: { cookie: s.cookie } })).statusCode, 401);
  });

  it('four eyes: an approver may not release requests they made; a second approver may; an operator may not', async () => {
    const oscar = await signIn('oscar');
    const statuses: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await app.inject({
        method: 'POST',
        url: '/v1/command-requests',
        headers: { cookie: oscar.cookie, 'x-csrf-token': oscar.csrf },
        payload: { commandType: 'credential_replacement', target: esme },
      });
      statuses.push(r.json().status);
    }
    assert.deepEqual(statuses, ['sent', 'sent', 'held'], 'the limit is 2 an hour in this test');
    const release = (headers: Record<string, string>) =>
      app.inject({ method: 'POST', url: '/v1/command-requests/release', headers, payload: { commandType: 'credential_replacement' } });
    const own = await release({ cookie: oscar.cookie, 'x-csrf-token': oscar.csrf });
    assert.deepEqual([own.statusCode, own.json().rule], [403, 'two-person-release'], own.body);
    const byOperator = await release(bearer('operator'));
    assert.deepEqual([byOperator.statusCode, byOperator.json().rule], [403, 'permission-requests-release']);
    const pia = await signIn('pia');
    const second = await release({ cookie: pia.cookie, 'x-csrf-token': pia.csrf });
    assert.deepEqual([second.statusCode, second.json()], [200, { released: 1 }]);
  });

  it('a revoked key and an expired key are refused at once', async () => {
    const issued = await app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: bearer('admin'),
      payload: { name: 'meter reader', roles: ['auditor'], expiresAt: new Date(now.getTime() + 3_600_000).toISOString() },
    });
    assert.equal(issued.statusCode, 201, issued.body);
    const { key, secret } = issued.json();
    assert.equal((await app.inject({ url: '/v1/devices', headers: { authorization: `Bearer ${secret}` } })).statusCode, 200);
    now = new Date(now.getTime() + 3_600_000);
    const expired = await app.inject({ url: '/v1/devices', headers: { authorization: `Bearer ${secret}` } });
    assert.equal(expired.statusCode, 401);
    assert.match(expired.json().detail, new RegExp(`API key ${key.id} expired at`));
    const k2 = (await app.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer('admin'), payload: { name: 'gateway', roles: ['operator'] } })).json();
    const revoked = await app.inject({ method: 'POST', url: `/v1/api-keys/${k2.key.id}/revoke`, headers: bearer('admin'), payload: { reason: 'decommissioned' } });
    assert.deepEqual([revoked.statusCode, revoked.json().state, revoked.json().revokedReason], [200, 'revoked', 'decommissioned']);
    const refused = await app.inject({ url: '/v1/devices', headers: { authorization: `Bearer ${k2.secret}` } });
    assert.equal(refused.statusCode, 401);
    assert.match(refused.json().detail, /revoked at/);
    const listed = await app.inject({ url: '/v1/api-keys?state=revoked&limit=1', headers: bearer('admin') });
    assert.deepEqual(
      listed.json().apiKeys.map((k: { name: string }) => k.name),
      ['gateway'],
    );
    assert.equal(listed.json().next, null);
    const tooMany = await app.inject({ url: '/v1/api-keys?limit=501', headers: bearer('admin') });
    assert.deepEqual([tooMany.statusCode, tooMany.json().field, tooMany.json().rule], [422, 'limit', 'page-size']);
  });

  it('parties: the platform registers and suspends; bad input is named; a suspended party is refused at once', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/parties',
      headers: bearer('platform'),
      payload: { id: 'no-x', name: 'X', roles: ['network_operator'], distributorId: 5 },
    });
    assert.deepEqual([bad.statusCode, bad.json().field, bad.json().rule], [422, 'distributorId', 'known-distributor-id']);
    const unknownRole = await app.inject({ method: 'POST', url: '/v1/users', headers: bearer('admin'), payload: { username: 'zed', name: 'Zed', roles: ['janitor'] } });
    assert.deepEqual([unknownRole.statusCode, unknownRole.json().field, unknownRole.json().rule], [422, 'roles', 'person-role']);
    const bySupplier = await app.inject({ method: 'POST', url: '/v1/parties', headers: bearer('admin'), payload: { id: 'no-y', name: 'Y', roles: ['import_supplier'] } });
    assert.deepEqual([bySupplier.statusCode, bySupplier.json().rule], [403, 'platform-party']);
    const made = await app.inject({
      method: 'POST',
      url: '/v1/parties',
      headers: bearer('platform'),
      payload: { id: 'no-london', name: 'London NO', roles: ['network_operator'], distributorId: 12 },
    });
    assert.equal(made.statusCode, 201, made.body);
    const dup = await app.inject({
      method: 'POST',
      url: '/v1/parties',
      headers: bearer('platform'),
      payload: { id: 'no-dup', name: 'Dup', roles: ['import_supplier'], eui: supplier.eui },
    });
    assert.deepEqual([dup.statusCode, dup.json().field, dup.json().rule], [409, 'eui', 'party-eui-unique']);
    const page = await app.inject({ url: '/v1/parties?userRole=network_operator&limit=5', headers: bearer('operator') });
    assert.equal(page.json().parties.length, 5);
    assert.ok(page.json().next);
    const suspended = await app.inject({ method: 'POST', url: `/v1/parties/${supplier.id}/suspend`, headers: bearer('platform'), payload: { reason: 'audit finding' } });
    assert.deepEqual([suspended.statusCode, suspended.json().status], [200, 'suspended']);
    const refused = await app.inject({ url: '/v1/devices', headers: bearer('operator') });
    assert.equal(refused.statusCode, 401);
    assert.match(refused.json().detail, new RegExp(`party ${supplier.id} is suspended`));
    const signInRefused = await app.inject({ method: 'POST', url: '/v1/sessions', payload: { username: 'pia', password: PASSWORD } });
    assert.equal(signInRefused.statusCode, 401);
    await app.inject({ method: 'POST', url: `/v1/parties/${supplier.id}/reinstate`, headers: bearer('platform') });
    assert.equal((await app.inject({ url: '/v1/devices', headers: bearer('operator') })).statusCode, 200);
  });
});
