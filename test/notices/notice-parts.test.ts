// The parts of the notices: the Standard Webhooks signature against the specification's own
// example, the sealed secret, the retry schedule, bad input refused with a clear error and nothing
// written (on each backend), the sweep of deliveries written where no job runtime was open, and the
// HTTP and CLI adapters.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { Webhook } from 'standardwebhooks';
import { retryDelayMs } from '../../src/domain/index.ts';
import { openJobRuntime } from '../../src/jobs/pg-boss-runtime.ts';
import { platformJobKinds } from '../../src/jobs/platform-jobs.ts';
import { openNoticeKeyFile, secretBoxOf } from '../../src/keys/secret-box.ts';
import { newWebhookSecret, signWebhook, verifyWebhook, webhookHeaders } from '../../src/keys/webhook-signature.ts';
import { sweepNotices } from '../../src/services/notices/deliver-notice.ts';
import { listDeliveries } from '../../src/services/notices/delivery-log.ts';
import { writeNotices } from '../../src/services/notices/outbox.ts';
import { createEndpoint, updateEndpoint } from '../../src/services/notices/webhook-endpoints.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { cliActing } from '../../src/services/acting.ts';
import { issueApiKey } from '../../src/services/api-keys.ts';
import { BACKENDS } from '../support/backends.ts';
import { aParty, appFor, depsFor, withParties } from '../support/builders.ts';
import { meterops } from '../support/cli.ts';
import { startReceiver, until } from '../support/webhook-receiver.ts';

describe('the Standard Webhooks signature', () => {
  it("matches the specification's example and the standardwebhooks package", () => {
    // The example of the specification's reference libraries (standard-webhooks, libraries/*/test):
    // this id, timestamp, body and secret sign to this value.
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
    const body = '{"test": 2432232314}';
    assert.equal(signWebhook(secret, id, 1614265330, body), 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    // And by an independent path: HMAC-SHA256 over id.timestamp.body under the base64-decoded key.
    const fresh = newWebhookSecret();
    const at = new Date();
    const h = webhookHeaders(fresh, id, at, body);
    const ts = Math.floor(at.getTime() / 1000);
    const mac = createHmac('sha256', Buffer.from(fresh.slice(6), 'base64'))
      .update(`${id}.${ts}.${body}`)
      .digest('base64');
    assert.deepEqual(h, { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': `v1,${mac}` });
    assert.doesNotThrow(() => new Webhook(fresh).verify(body, h));
  });

  it("meterops' own check refuses another secret, an altered body, and a timestamp outside 5 minutes", () => {
    const s = newWebhookSecret();
    const now = new Date();
    const body = '{"a":1}';
    const h = webhookHeaders(s, 'msg_x', now, body);
    const v = { id: h['webhook-id']!, timestamp: h['webhook-timestamp']!, signature: h['webhook-signature']! };
    assert.equal(verifyWebhook(s, v, body, now), true);
    assert.equal(verifyWebhook(newWebhookSecret(), v, body, now), false);
    assert.equal(verifyWebhook(s, v, '{"a":2}', now), false);
    assert.equal(verifyWebhook(s, v, body, new Date(now.getTime() + 301_000)), false);
    assert.equal(verifyWebhook(s, { ...v, signature: `v1,AAAA ${v.signature}` }, body, now), true, 'one of several signatures matches');
    assert.throws(() => signWebhook('not-a-secret', 'msg_x', 1, body), /whsec_/);
  });
});

describe('sealed secrets', () => {
  it('open under the same key and record only; the key file is made once, mode 0600', () => {
    const box = secretBoxOf(randomBytes(32));
    const sealed = box.seal('whsec_abc', 'whep_1');
    assert.ok(!sealed.includes('whsec_abc'));
    assert.equal(box.open(sealed, 'whep_1'), 'whsec_abc');
    assert.throws(() => box.open(sealed, 'whep_2'), /does not open/);
    assert.throws(() => secretBoxOf(randomBytes(32)).open(sealed, 'whep_1'), /does not open/);
    assert.throws(() => secretBoxOf(randomBytes(16)), /32 bytes/);
    const dir = mkdtempSync(join(tmpdir(), 'meterops-notice-key-'));
    try {
      const path = join(dir, 'k', 'notice-key');
      const a = openNoticeKeyFile(path);
      assert.equal(statSync(path).mode & 0o777, 0o600);
      assert.match(readFileSync(path, 'utf8'), /^[0-9a-f]{64}\n$/);
      assert.equal(openNoticeKeyFile(path).open(a.seal('s', 'r'), 'r'), 's', 'the same key again');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the retry schedule', () => {
  it('doubles from the base up to the maximum, with half of each wait random', () => {
    const p = { baseDelayMs: 1_000, maxDelayMs: 8_000 };
    assert.deepEqual(
      [1, 2, 3, 4, 5, 9].map((n) => retryDelayMs(n, p, 0)),
      [500, 1_000, 2_000, 4_000, 4_000, 4_000],
    );
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((n) => retryDelayMs(n, p, 0.999_999)),
      [1_000, 2_000, 4_000, 8_000, 8_000],
    );
  });
});

for (const backend of BACKENDS) {
  describe(`webhook endpoints and the outbox (${backend.name})`, { skip: backend.skip ?? false }, () => {
    let store: Store;
    const dno = aParty({ id: 'parts-dno', role: 'network_operator', distributorId: 12 });
    const other = aParty({ id: 'parts-other', role: 'supplier' });
    before(async () => {
      store = await backend.open();
      await withParties(store, dno, other);
    });
    after(async () => store?.close());

    it('refuses bad endpoints by field and rule, writing nothing', async () => {
      const deps = depsFor(store);
      const bad: Array<[Record<string, unknown>, string, string]> = [
        [{ url: 'ftp://x.example/h', eventTypes: ['device.removed'] }, 'url', 'endpoint-url'],
        [{ url: 'not a url', eventTypes: ['device.removed'] }, 'url', 'endpoint-url'],
        [{ url: 'https://user:pw@x.example/h', eventTypes: ['device.removed'] }, 'url', 'endpoint-url'],
        [{ url: `https://x.example/${'a'.repeat(2_000)}`, eventTypes: ['device.removed'] }, 'url', 'endpoint-url'],
        [{ url: 'https://x.example/h', eventTypes: [] }, 'eventTypes', 'event-types'],
        [{ url: 'https://x.example/h', eventTypes: ['device.exploded'] }, 'eventTypes[0]', 'event-type'],
        [{ url: 'https://x.example/h', eventTypes: ['device.removed', 'device.removed'] }, 'eventTypes', 'event-types'],
      ];
      for (const [req, field, rule] of bad) await assert.rejects(createEndpoint(deps, dno, req as never), { field, rule }, JSON.stringify(req).slice(0, 80));
      await assert.rejects(createEndpoint({ ...deps, secrets: undefined }, dno, { url: 'https://x.example/h', eventTypes: ['device.removed'] }), { rule: 'notice-key' });
      assert.deepEqual(await store.read.notices.endpointsOf(dno.id), []);
      const ep = (await createEndpoint(deps, dno, { url: 'https://x.example/h', eventTypes: ['device.removed'] })).endpoint;
      await assert.rejects(updateEndpoint(deps, dno, ep.id, {}), { field: 'body', rule: 'endpoint-change' });
      await assert.rejects(updateEndpoint(deps, dno, ep.id, { enabled: 'yes' }), { field: 'enabled', rule: 'boolean' });
      await assert.rejects(updateEndpoint(deps, other, ep.id, { enabled: false }), { code: 'NOT_FOUND' });
      assert.equal((await store.read.notices.endpoint(ep.id))!.endpoint.enabled, true);
      // The secret is kept sealed: the row holds no whsec_.
      assert.doesNotMatch((await store.read.notices.endpoint(ep.id))!.secretSealed, /whsec_/);
      await updateEndpoint(deps, dno, ep.id, { enabled: false });
      await assert.rejects(listDeliveries(deps, dno, { state: 'lost' }), { field: 'state', rule: 'delivery-state' });
    });

    it('a delivery written where no job runtime was open is queued by the sweep and delivered', async () => {
      const rx = await startReceiver();
      const base = depsFor(store);
      const { endpoint, secret } = await createEndpoint(base, dno, { url: `${rx.url}/swept`, eventTypes: ['device.removed'] });
      rx.secret('swept', secret);
      // No runtime: the delivery is written without a job.
      const [n] = await store.transaction((tx) => writeNotices(base, tx, [{ eventType: 'device.removed', partyId: dno.id, data: { deviceEui: 'X' } }]));
      const d = (await listDeliveries(base, dno, { noticeId: n!.id })).items[0]!;
      assert.deepEqual([d.state, d.jobId, d.endpointId], ['pending', null, endpoint.id]);
      const jobs = await openJobRuntime(store, pino({ level: 'silent' }), { pollingIntervalSeconds: 0.5 });
      try {
        const deps = { ...base, jobs };
        for (const k of platformJobKinds(deps)) if (k.name.startsWith('notice-')) await jobs.register(k);
        await jobs.work(1);
        assert.equal(await sweepNotices(deps), 1);
        assert.equal(await sweepNotices(deps), 0, 'queued once');
        const done = await until('the swept delivery', async () => {
          const x = (await listDeliveries(deps, dno, { noticeId: n!.id })).items[0]!;
          return x.state === 'delivered' ? x : undefined;
        });
        assert.equal(done.attempts, 1);
        assert.equal(rx.accepted(n!.id), 1);
      } finally {
        await jobs.stop(2_000);
        await rx.close();
      }
    });
  });
}

describe('notices over HTTP and on the command line', () => {
  let dir: string;
  let store: Store;
  const dno = aParty({ id: 'http-dno', role: 'network_operator', distributorId: 14 });
  const sup = aParty({ id: 'http-sup', role: 'supplier' });
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meterops-notices-'));
    store = (await openStore({ kind: 'pglite', dataDir: dir })).store;
    await withParties(store, dno, sup);
  });
  after(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the secret once, never in a read; scopes endpoints and deliveries to their party; refuses bad bodies by field', async () => {
    const deps = depsFor(store);
    const app = await appFor(deps);
    try {
      const auth = (p: string) => ({ authorization: `Bearer key-${p}` });
      // The parties' test keys hold every role but administrator: endpoints need keys.manage.
      const refused = await app.inject({
        method: 'POST',
        url: '/v1/webhooks',
        headers: auth(dno.id),
        payload: { url: 'https://dno.example/hook', eventTypes: ['device.removed'] },
      });
      assert.deepEqual([refused.statusCode, refused.json().rule], [403, 'permission-keys-manage']);
      const admin = { authorization: `Bearer ${(await issueApiKey(deps, cliActing(dno), { name: 'notices admin', roles: ['administrator'] })).secret}` };
      const created = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: admin, payload: { url: 'https://dno.example/hook', eventTypes: ['device.removed'] } });
      assert.equal(created.statusCode, 201, created.body);
      assert.match(created.json().secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
      const id = created.json().endpoint.id as string;
      const shown = await app.inject({ url: `/v1/webhooks/${id}`, headers: auth(dno.id) });
      assert.equal(shown.statusCode, 200);
      assert.doesNotMatch(shown.body, /whsec_/);
      assert.doesNotMatch((await app.inject({ url: '/v1/webhooks', headers: auth(dno.id) })).body, /whsec_/);
      assert.equal((await app.inject({ url: `/v1/webhooks/${id}`, headers: auth(sup.id) })).statusCode, 404);
      assert.deepEqual((await app.inject({ url: '/v1/webhooks', headers: auth(sup.id) })).json(), { webhooks: [] });
      const bad = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: admin, payload: { url: 'https://dno.example/hook', eventTypes: ['device.removed'], extra: 1 } });
      assert.equal(bad.statusCode, 400, bad.body);
      assert.match(bad.body, /extra/);
      const badType = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: admin, payload: { url: 'https://dno.example/hook', eventTypes: ['nope'] } });
      assert.deepEqual([badType.statusCode, badType.json().field, badType.json().rule], [422, 'eventTypes[0]', 'event-type']);
      const patched = await app.inject({ method: 'PATCH', url: `/v1/webhooks/${id}`, headers: admin, payload: { enabled: false } });
      assert.deepEqual([patched.statusCode, patched.json().enabled], [200, false]);
      assert.equal((await app.inject({ url: '/v1/notice-deliveries/1', headers: auth(dno.id) })).statusCode, 404);
      assert.equal((await app.inject({ url: '/v1/notice-deliveries/abc', headers: auth(dno.id) })).statusCode, 400);
      const spec = (await app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, unknown> };
      for (const p of ['/v1/webhooks', '/v1/webhooks/{id}', '/v1/notice-deliveries', '/v1/notice-deliveries/{id}', '/v1/notice-deliveries/{id}/replay'])
        assert.ok(spec.paths[p], p);
    } finally {
      await app.close();
    }
  });

  it('manages endpoints and reads the delivery log on the command line', async () => {
    await store.close();
    const created = await meterops('webhooks', 'create', '--as', dno.id, '--url', 'https://dno.example/cli', '--data-dir', dir);
    assert.equal(created.code, 0, created.stderr);
    const { endpoint, secret } = JSON.parse(created.stdout) as { endpoint: { id: string }; secret: string };
    assert.match(secret, /^whsec_/);
    const listed = await meterops('webhooks', 'list', '--as', dno.id, '--data-dir', dir);
    assert.match(listed.stdout, new RegExp(`${endpoint.id}\\s+enabled\\s+device.removed\\s+https://dno.example/cli`));
    assert.doesNotMatch(listed.stdout, /whsec_/);
    const disabled = await meterops('webhooks', 'disable', endpoint.id, '--as', dno.id, '--data-dir', dir);
    assert.match(disabled.stdout, /disabled/);
    const none = await meterops('notices', 'deliveries', '--as', dno.id, '--data-dir', dir);
    assert.equal(none.stdout.trim(), 'no deliveries');
    const badUrl = await meterops('webhooks', 'create', '--as', dno.id, '--url', 'ftp://x', '--data-dir', dir);
    assert.notEqual(badUrl.code, 0);
    assert.match(badUrl.stderr, /url.*http:\/\/ or https:\/\//);
    const notMine = await meterops('notices', 'show', '7', '--as', sup.id, '--data-dir', dir);
    assert.notEqual(notMine.code, 0);
    assert.match(notMine.stderr, /delivery 7/i);
    store = (await openStore({ kind: 'pglite', dataDir: dir })).store;
  });

  it('webhooks receive: prints each verified message once, acknowledges a repeat, refuses a forged one', async () => {
    const secret = newWebhookSecret();
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'webhooks', 'receive', '--port', String(port), '--secret', secret, '--count', '2'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((ok) => child.on('exit', ok));
    try {
      await until('the receiver', () => (err.includes('receiving webhooks') ? true : undefined), 30_000);
      const body = JSON.stringify({ type: 'device.removed', timestamp: new Date().toISOString(), data: { deviceEui: 'AB' } });
      const post = (h: Record<string, string>, b = body) =>
        fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { 'content-type': 'application/json', ...h }, body: b }).then((r) => r.status);
      const forged = new Webhook(newWebhookSecret());
      const now = new Date();
      assert.equal(await post({ 'webhook-id': 'msg_f', 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': forged.sign('msg_f', now, body) }), 401);
      // Signed by the standardwebhooks package: an independent signer.
      const h = { 'webhook-id': 'msg_good', 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign('msg_good', now, body) };
      assert.equal(await post(h), 204);
      assert.equal(await post(h), 200, 'the same webhook-id again: acknowledged');
      const h2 = { ...h, 'webhook-id': 'msg_next', 'webhook-signature': new Webhook(secret).sign('msg_next', now, body) };
      assert.equal(await post(h2), 204);
      assert.equal(await exited, 0, 'exits after --count accepted messages');
      const lines = out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { webhookId: string });
      assert.deepEqual(lines[0], { webhookId: 'msg_good', webhookTimestamp: Math.floor(now.getTime() / 1000), ...JSON.parse(body) });
      assert.deepEqual(
        lines.map((l) => l.webhookId),
        ['msg_good', 'msg_next'],
        'the repeat is not printed',
      );
      assert.match(err, /refused msg_f/);
      assert.match(err, /duplicate msg_good/);
      const bad = await meterops('webhooks', 'receive', '--port', String(port), '--secret', 'nope');
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr, /whsec_/);
    } finally {
      child.kill();
    }
  });
});
