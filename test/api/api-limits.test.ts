import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { after, before, describe, it } from 'node:test';
import { apiLimitsFrom, DEFAULT_API_LIMITS, type ApiLimits } from '../../src/api/api-limits.ts';
import type { App } from '../../src/api/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { ValidationError } from '../../src/domain/index.ts';
import { cliActing } from '../../src/services/acting.ts';
import { addUser } from '../../src/services/users.ts';
import { storeOn, type Store } from '../../src/store/store.ts';
import { freshPglite } from '../support/backends.ts';
import { aDeviceInput, aParty, appFor, depsFor, withParties } from '../support/builders.ts';

type Res = { statusCode: number; headers: Record<string, unknown>; body: string; json(): Record<string, unknown> };

/** The 429 as a client sees it: problem+json naming what was limited, and when to come back. */
function limited(res: Res, field: string, windowSeconds: number) {
  assert.equal(res.statusCode, 429, res.body);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const p = res.json();
  assert.equal(p.code, 'RATE_LIMITED');
  assert.equal(p.field, field);
  assert.equal(p.rule, 'rate-limit');
  const after = Number(res.headers['retry-after']);
  assert.ok(Number.isInteger(after) && after >= 1 && after <= windowSeconds, `Retry-After ${String(res.headers['retry-after'])}`);
  assert.match(String(p.detail), new RegExp(`retry in ${after} s`));
}

const auditRows = async (store: Store) => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log`.execute(store.database.db)).rows[0]!.n);

describe('HTTP API limits: rate limits, body limits and security headers', () => {
  let store: Store;
  const supplier = aParty({ role: 'supplier' });
  const other = aParty({ role: 'supplier' });
  const apps: App[] = [];
  const auth = (p: { id: string }) => ({ authorization: `Bearer key-${p.id}` });
  const appWith = async (over: Partial<ApiLimits>) => {
    const app = await appFor(depsFor(store), { limits: { ...DEFAULT_API_LIMITS, ...over } });
    apps.push(app);
    return app;
  };

  before(async () => {
    store = storeOn(await freshPglite());
    await withParties(store, supplier, other);
    await addUser(depsFor(store), cliActing(supplier), { partyId: supplier.id, username: 'rita', name: 'Rita', roles: ['operator'], password: 'a long enough password' });
  });
  after(async () => {
    for (const a of apps) await a.close();
    await store?.close();
  });

  it('refuses a key over its limit with 429 and Retry-After, before the key is looked up; other keys go on', async () => {
    const app = await appWith({ perKey: { max: 5, windowSeconds: 60 } });
    for (let i = 0; i < 5; i++) assert.equal((await app.inject({ method: 'GET', url: '/v1/devices', headers: auth(supplier) })).statusCode, 200);
    const before = await auditRows(store);
    const over = await app.inject({ method: 'GET', url: '/v1/devices', headers: auth(supplier) });
    limited(over, 'api-key', 60);
    // Refused before authentication: not even the key's use is written.
    assert.equal(await auditRows(store), before);
    assert.equal((await app.inject({ method: 'GET', url: '/v1/devices', headers: auth(other) })).statusCode, 200);
  });

  it('counts requests per address before authentication, unknown keys and health checks included', async () => {
    const app = await appWith({ perAddress: { max: 3, windowSeconds: 30 } });
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await app.inject({ method: 'GET', url: '/v1/devices', headers: { authorization: `Bearer guess-${i}` } })).statusCode);
    assert.deepEqual(codes, [401, 401, 401]);
    limited(await app.inject({ method: 'GET', url: '/health' }), 'address', 30);
    // Another address has its own count.
    assert.equal((await app.inject({ method: 'GET', url: '/health', remoteAddress: '192.0.2.7' })).statusCode, 200);
  });

  it('limits sign-in attempts per address and username before the password is checked', async () => {
    const app = await appWith({ signIn: { max: 2, windowSeconds: 60 } });
    const attempt = (username: string, password = 'not the password') => app.inject({ method: 'POST', url: '/v1/sessions', payload: { username, password } });
    assert.equal((await attempt('rita')).statusCode, 401);
    assert.equal((await attempt('RITA')).statusCode, 401);
    const before = await auditRows(store);
    limited(await attempt('rita', 'a long enough password'), 'sign-in', 60);
    assert.equal(await auditRows(store), before, 'nothing is written for a limited attempt');
    // Another username from the same address is counted apart.
    assert.equal((await attempt('someone-else')).statusCode, 401);
  });

  it('takes limits of 0 as off, and refuses a bad setting naming its variable', () => {
    const off = apiLimitsFrom(loadConfig({ METEROPS_RATE_LIMIT_PER_KEY: '0', METEROPS_SIGN_IN_RATE_LIMIT: '0' }));
    assert.equal(off.perKey, false);
    assert.equal(off.signIn, false);
    assert.deepEqual(off.perAddress, { max: 12_000, windowSeconds: 60 });
    assert.deepEqual(apiLimitsFrom(loadConfig({})), DEFAULT_API_LIMITS);
    assert.throws(
      () => loadConfig({ METEROPS_RATE_LIMIT_PER_ADDRESS: 'lots' }),
      (e: unknown) => e instanceof ValidationError && e.field === 'rateLimitPerAddress' && /METEROPS_RATE_LIMIT_PER_ADDRESS/.test(e.message),
    );
    assert.throws(
      () => loadConfig({ METEROPS_BODY_LIMIT_BYTES: '10' }),
      (e: unknown) => e instanceof ValidationError && e.field === 'bodyLimitBytes' && /METEROPS_BODY_LIMIT_BYTES/.test(e.message),
    );
  });

  it('holds ordinary bodies to the ordinary limit and lets only the bulk routes take more', async () => {
    const app = await appWith({ bodyBytes: 4_096, bulkBodyBytes: 200_000 });
    const big = { mpan: '1200000000001', postcode: 'SW1A 1AA', pad: 'x'.repeat(5_000) };
    const ordinary = await app.inject({ method: 'POST', url: '/v1/premises', headers: { ...auth(supplier), 'content-type': 'application/json' }, payload: JSON.stringify(big) });
    assert.equal(ordinary.statusCode, 413, ordinary.body);
    assert.equal(ordinary.json().field, 'body');
    // A batch of 40 devices is about 9 kB: over the ordinary limit, within the bulk one.
    const devices = Array.from({ length: 40 }, () => aDeviceInput({ supplierPartyId: supplier.id }));
    const batch = JSON.stringify({ devices });
    assert.ok(batch.length > 4_096 && batch.length < 200_000, `${batch.length} bytes`);
    const bulk = await app.inject({ method: 'POST', url: '/v1/devices', headers: { ...auth(supplier), 'content-type': 'application/json' }, payload: batch });
    assert.equal(bulk.statusCode, 201, bulk.body);
    assert.equal(bulk.json().written, 40);
    const tooBig = JSON.stringify({ devices: Array.from({ length: 2_000 }, () => aDeviceInput({ supplierPartyId: supplier.id })) });
    assert.ok(tooBig.length > 200_000);
    assert.equal((await app.inject({ method: 'POST', url: '/v1/devices', headers: { ...auth(supplier), 'content-type': 'application/json' }, payload: tooBig })).statusCode, 413);
  });

  it('refuses an over-long field, an over-long path parameter, broken percent-encoding and raw lone surrogates, each naming what is wrong', async () => {
    const app = await appWith({});
    const json = { ...auth(supplier), 'content-type': 'application/json' };
    // POST /v1/premises: postcode is at most 10 characters in its schema.
    const long = await app.inject({ method: 'POST', url: '/v1/premises', headers: json, payload: JSON.stringify({ mpan: '1200000000001', postcode: 'SW1A 1AAAAAA' }) });
    assert.equal(long.statusCode, 422, long.body);
    assert.deepEqual([long.json().code, long.json().field, long.json().rule], ['VALIDATION_FAILED', 'postcode', 'max-length']);
    assert.match(long.json().detail, /postcode: at most 10 characters/);
    // A query parameter over its limit, the same way.
    const q = await app.inject({ method: 'GET', url: `/v1/returns?reference=${'r'.repeat(101)}`, headers: auth(supplier) });
    assert.deepEqual([q.statusCode, q.json().field, q.json().rule], [422, 'reference', 'max-length'], q.body);
    // Another schema error beside it is the request's shape: 400, as before.
    const mixed = await app.inject({ method: 'POST', url: '/v1/premises', headers: json, payload: JSON.stringify({ mpan: 12, postcode: 'SW1A 1AAAAAA' }) });
    assert.equal(mixed.statusCode, 400, mixed.body);
    const param = await app.inject({ method: 'GET', url: `/v1/premises/${'p'.repeat(201)}`, headers: auth(supplier) });
    assert.equal(param.statusCode, 414, param.body);
    assert.match(String(param.headers['content-type']), /^application\/problem\+json/);
    assert.deepEqual([param.json().code, param.json().field, param.json().rule], ['URI_TOO_LONG', 'url', 'param-length']);
    const broken = await app.inject({ method: 'GET', url: '/v1/premises/%E0%A4%A', headers: auth(supplier) });
    assert.equal(broken.statusCode, 400, broken.body);
    assert.deepEqual([broken.json().field, broken.json().rule], ['url', 'url-encoding']);
    // U+D800 as its three raw bytes: decodes to no well-formed string.
    const surrogate = await app.inject({ method: 'GET', url: '/v1/premises/a%ED%A0%80b', headers: auth(supplier) });
    assert.ok([400, 422].includes(surrogate.statusCode), surrogate.body);
    assert.match(String(surrogate.headers['content-type']), /^application\/problem\+json/);
    assert.ok(!surrogate.body.includes('FST_'), surrogate.body);
  });

  it('sends security headers on the API and a content security policy the API docs page works under', async () => {
    const app = await appWith({});
    const res = await app.inject({ method: 'GET', url: '/v1/devices', headers: auth(other) });
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(String(res.headers['strict-transport-security']), /max-age=\d+/);
    assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
    assert.match(String(res.headers['content-security-policy']), /default-src 'self'/);
    const docs = await app.inject({ method: 'GET', url: '/docs/' });
    assert.equal(docs.statusCode, 200);
    const csp = String(docs.headers['content-security-policy']);
    // The docs page's own scripts are files it serves, which its policy allows.
    assert.match(csp, /script-src 'self'/);
    for (const src of docs.body.matchAll(/<script src="([^"]+)"/g)) {
      const s = await app.inject({ method: 'GET', url: new URL(src[1]!, 'http://x/docs/').pathname });
      assert.equal(s.statusCode, 200, src[1]);
    }
  });
});
