import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_API_LIMITS } from '../../src/api/api-limits.ts';
import type { App } from '../../src/api/app.ts';
import { makeMpanCore, ValidationError } from '../../src/domain/index.ts';
import { createPremise } from '../../src/services/premises.ts';
import { storeOn, type Store } from '../../src/store/store.ts';
import { freshPglite } from '../support/backends.ts';
import { aDeviceInput, aParty, appFor, depsFor, withParties } from '../support/builders.ts';

/** Bad input at the HTTP API: each answered as problem+json naming the field and the rule, in the domain's words. */
describe('HTTP API: bad input', () => {
  let store: Store;
  let app: App;
  const supplier = aParty({ role: 'supplier' });
  const other = aParty({ role: 'supplier' });
  const dcc = aParty({ role: 'dcc' });
  const auth = (p: { id: string }) => ({ authorization: `Bearer key-${p.id}` });
  let mpanCounter = 0;
  const anMpan = () => makeMpanCore(12, 910_000 + ++mpanCounter);

  before(async () => {
    store = storeOn(await freshPglite());
    await withParties(store, supplier, other, dcc);
    app = await appFor(depsFor(store), { limits: { ...DEFAULT_API_LIMITS, bodyBytes: 64 * 1024 } });
  });
  after(async () => {
    await app?.close();
    await store?.close();
  });

  /** A problem as the client sees it: problem+json, a field and a rule, and no framework code anywhere. */
  const problem = (res: { statusCode: number; headers: Record<string, unknown>; body: string; json(): Record<string, unknown> }, status: number) => {
    assert.equal(res.statusCode, status, res.body);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    assert.ok(!res.body.includes('FST_'), `no framework code reaches the client: ${res.body}`);
    const p = res.json();
    assert.equal(typeof p.field, 'string', `a field: ${res.body}`);
    assert.equal(typeof p.rule, 'string', `a rule: ${res.body}`);
    return p;
  };

  const register = async (over: Record<string, unknown> = {}) => {
    const input = aDeviceInput(over);
    const res = await app.inject({ method: 'POST', url: '/v1/devices', headers: auth(supplier), payload: { devices: [input] } });
    assert.equal(res.statusCode, 201, res.body);
    return String(input.eui);
  };
  const premise = async (mpan = anMpan()) => {
    const res = await app.inject({ method: 'POST', url: '/v1/premises', headers: auth(supplier), payload: { mpan, postcode: 'SW1A 1AA' } });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().id as string;
  };

  it('answers a duplicate MPAN in domain words, naming the field, not the constraint', async () => {
    const mpan = anMpan();
    await premise(mpan);
    const res = await app.inject({ method: 'POST', url: '/v1/premises', headers: auth(supplier), payload: { mpan, postcode: 'SW1A 2AA' } });
    const p = problem(res, 409);
    assert.deepEqual([p.code, p.field, p.rule, p.detail], ['CONFLICT', 'mpan', 'mpan-unique', 'a premise with this MPAN core is recorded already']);
    assert.ok(!res.body.includes('premises_mpan_key'), res.body);
  });

  it('refuses an MPAN whose distributor id is not a licensed distributor, unless the deployment lists the IDNO', async () => {
    // 40 passes the check digit and the 10-99 range, but is none of the 14 DNO areas and is not listed.
    const res = await app.inject({ method: 'POST', url: '/v1/premises', headers: auth(supplier), payload: { mpan: makeMpanCore(40, 1234), postcode: 'SW1A 1AA' } });
    const p = problem(res, 422);
    assert.deepEqual([p.field, p.rule], ['mpan', 'licensed-distributor']);
    assert.match(String(p.detail), /distributor id 40 is not a licensed distributor/);
    // Every one of the 14 DNO areas (ids 10-23) is admitted with no configuration.
    for (let id = 10; id <= 23; id++) {
      const ok = await app.inject({ method: 'POST', url: '/v1/premises', headers: auth(supplier), payload: { mpan: makeMpanCore(id, 5000 + id), postcode: 'SW1A 1AA' } });
      assert.equal(ok.statusCode, 201, `distributor ${id}: ${ok.body}`);
    }
    // A deployment that lists an IDNO's id admits it; one that does not, refuses it.
    const listed = { ...depsFor(store), policy: { idnoDistributorIds: [40] } };
    assert.equal((await createPremise(listed, supplier, { mpan: makeMpanCore(40, 1234), postcode: 'SW1A 1AA' })).distributorId, 40);
    await assert.rejects(
      createPremise(listed, supplier, { mpan: makeMpanCore(41, 1234), postcode: 'SW1A 1AA' }),
      (e: unknown) => e instanceof ValidationError && e.rule === 'licensed-distributor',
    );
  });

  it('refuses a second Communications Hub at one premise', async () => {
    const id = await premise();
    const [hub1, hub2] = [await register({ type: 'CHF' }), await register({ type: 'CHF' })];
    const first = await app.inject({ method: 'POST', url: `/v1/premises/${id}/installations`, headers: auth(supplier), payload: { eui: hub1 } });
    assert.equal(first.statusCode, 201, first.body);
    const second = await app.inject({ method: 'POST', url: `/v1/premises/${id}/installations`, headers: auth(supplier), payload: { eui: hub2 } });
    const p = problem(second, 409);
    assert.deepEqual([p.field, p.rule], ['eui', 'one-hub-per-premise']);
    // Nothing half-written: the second hub is still in stock and not at the premise.
    assert.equal((await app.inject({ url: `/v1/devices/${hub2}`, headers: auth(supplier) })).json().assetStatus, 'in_stock');
    const shown = (await app.inject({ url: `/v1/premises/${id}`, headers: auth(supplier) })).json();
    assert.deepEqual(
      shown.installations.map((i: { deviceEui: string }) => i.deviceEui),
      [hub1],
    );
  });

  it('refuses an unknown field in a JSON body or a query, naming it', async () => {
    const top = await app.inject({ method: 'POST', url: '/v1/premises', headers: auth(supplier), payload: { mpan: anMpan(), postcode: 'SW1A 1AA', colour: 'red' } });
    assert.deepEqual([problem(top, 400).field, top.json().rule], ['colour', 'unknown-field']);
    const nested = await app.inject({
      method: 'POST',
      url: '/v1/returns',
      headers: auth(supplier),
      payload: { lines: [{ deviceEui: await register(), reason: 'meter-exchange', colour: 'red' }] },
    });
    assert.deepEqual([problem(nested, 400).field, nested.json().rule], ['lines.0.colour', 'unknown-field']);
    const query = await app.inject({ url: '/v1/premises?colour=red', headers: auth(supplier) });
    assert.deepEqual([problem(query, 400).field, query.json().rule], ['colour', 'unknown-field']);
  });

  it('answers an unknown vend reprint key 404', async () => {
    const p = problem(await app.inject({ url: '/v1/vends/no-such-key', headers: auth(supplier) }), 404);
    assert.deepEqual([p.code, p.field, p.detail], ['NOT_FOUND', 'idempotencyKey', 'vend no-such-key not found']);
  });

  it("answers another party's device, premise and duty exactly as missing ones, and leaves them out of its lists", async () => {
    const eui = await register({ manufacturer: 'Bad Input Meters', model: 'B1' });
    const missingEui = 'ABCDEF0123456789';
    const pid = await premise();
    const vuln = await app.inject({
      method: 'POST',
      url: '/v1/vulnerabilities',
      headers: auth(supplier),
      payload: { title: 't', manufacturer: 'Bad Input Meters', component: 'smart_metering_system', deviceTypes: ['ESME'], awareAt: new Date().toISOString() },
    });
    assert.equal(vuln.statusCode, 201, vuln.body);
    const dutyId = vuln.json().duties.find((d: { partyId: string }) => d.partyId === supplier.id).id as string;
    const cases = [
      { url: (id: string) => `/v1/devices/${id}`, mine: eui, missing: missingEui },
      { url: (id: string) => `/v1/devices/${id}/events`, mine: eui, missing: missingEui },
      { url: (id: string) => `/v1/premises/${id}`, mine: pid, missing: 'no-such-premise' },
    ];
    for (const c of cases) {
      const theirs = await app.inject({ url: c.url(c.mine), headers: auth(other) });
      const none = await app.inject({ url: c.url(c.missing), headers: auth(other) });
      problem(theirs, 404);
      // The same answer but for the id the client sent.
      assert.deepEqual(JSON.parse(theirs.body.replaceAll(c.mine, 'ID')), JSON.parse(none.body.replaceAll(c.missing, 'ID')));
    }
    const done = await app.inject({ method: 'POST', url: `/v1/duties/${dutyId}/done`, headers: auth(other), payload: { evidence: 'x' } });
    const noDuty = await app.inject({ method: 'POST', url: '/v1/duties/no-such-duty/done', headers: auth(other), payload: { evidence: 'x' } });
    assert.deepEqual(JSON.parse(done.body.replaceAll(dutyId, 'ID')), JSON.parse(noDuty.body.replaceAll('no-such-duty', 'ID')));
    assert.equal(done.statusCode, 404);
    // And none of them in the other party's lists.
    const lists = await Promise.all(
      ['/v1/devices', '/v1/premises', '/v1/duties', '/v1/vulnerabilities'].map((url) => app.inject({ url: `${url}?limit=500`, headers: auth(other) })),
    );
    for (const l of lists) assert.equal(l.statusCode, 200, l.body);
    assert.ok(!lists[0]!.json().devices.some((d: { eui: string }) => d.eui === eui));
    assert.ok(!lists[1]!.json().premises.some((p: { id: string }) => p.id === pid));
    assert.ok(!lists[2]!.json().duties.some((d: { id: string }) => d.id === dutyId));
    assert.ok(!lists[3]!.json().vulnerabilities.some((v: { id: string }) => v.id === vuln.json().id));
  });

  it('pages a list with limit, cursor and next, and refuses a bad limit or cursor', async () => {
    const mine = new Set<string>();
    for (let i = 0; i < 5; i++) mine.add(await premise());
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { statusCode: number; body: string; json(): unknown } = await app.inject({
        url: `/v1/premises?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        headers: auth(supplier),
      });
      assert.equal(res.statusCode, 200, res.body);
      const page = res.json() as { premises: Array<{ id: string }>; next: string | null };
      assert.ok(page.premises.length <= 2);
      seen.push(...page.premises.map((p) => p.id));
      cursor = page.next;
    } while (cursor);
    assert.equal(new Set(seen).size, seen.length, 'no premise twice');
    for (const id of mine) assert.ok(seen.includes(id), `premise ${id} on some page`);
    const over = problem(await app.inject({ url: '/v1/premises?limit=501', headers: auth(supplier) }), 400);
    assert.equal(over.field, 'limit');
    const bad = problem(await app.inject({ url: '/v1/premises?cursor=not-a-cursor', headers: auth(supplier) }), 422);
    assert.deepEqual([bad.field, bad.rule], ['cursor', 'cursor']);
    // A cursor of another list's shape (work orders: a time and an id) is refused, not misread.
    const devicesCursor = Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', 'x'])).toString('base64url');
    assert.equal(problem(await app.inject({ url: `/v1/premises?cursor=${devicesCursor}`, headers: auth(supplier) }), 422).field, 'cursor');
  });

  it("turns the framework's own refusals into problems with a field and a rule", async () => {
    const url = '/v1/premises';
    const json = { ...auth(supplier), 'content-type': 'application/json' };
    const cases = [
      { res: await app.inject({ method: 'POST', url, headers: json, payload: '{"mpan": ' }), status: 400, field: 'body', rule: 'json-body' },
      { res: await app.inject({ method: 'POST', url, headers: json, payload: '' }), status: 400, field: 'body', rule: 'json-body' },
      {
        res: await app.inject({ method: 'POST', url, headers: { ...auth(supplier), 'content-type': 'application/xml' }, payload: '<premise/>' }),
        status: 415,
        field: 'content-type',
        rule: 'media-type',
      },
      { res: await app.inject({ method: 'POST', url, headers: json, payload: JSON.stringify({ postcode: 'x'.repeat(70_000) }) }), status: 413, field: 'body', rule: 'body-limit' },
      { res: await app.inject({ url: '/v1/no-such-route', headers: auth(supplier) }), status: 404, field: 'url', rule: 'route' },
      { res: await app.inject({ url: '/v1/devices' }), status: 401, field: 'authorization', rule: 'bearer-api-key' },
    ];
    for (const c of cases) {
      const p = problem(c.res, c.status);
      assert.deepEqual([p.field, p.rule], [c.field, c.rule], c.res.body);
      assert.ok(!String(p.code).startsWith('FST_'), c.res.body);
    }
  });
});
