// The web pages are served by the API's own server at `/` (same origin, so the sign-in cookie
// serves both): the HTML revalidated on each load, hashed assets cached for a year, under helmet's
// content security policy without upgrade-insecure-requests (a bench or laptop serves plain HTTP),
// the API's own 404s unchanged; without a build, `/` says how to make one.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/api/app.ts';
import { defaultWebDir } from '../../src/api/web-pages.ts';
import { storeOn, type Store } from '../../src/store/store.ts';
import { freshPglite } from '../support/backends.ts';
import { appFor, depsFor } from '../support/builders.ts';

describe('the web pages served at /', () => {
  let store: Store;
  let dir: string;
  const apps: App[] = [];
  before(async () => {
    store = storeOn(await freshPglite());
    dir = mkdtempSync(join(tmpdir(), 'meterops-webdir-'));
    mkdirSync(join(dir, 'assets'));
    mkdirSync(join(dir, 'hht'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>ops</title><script type="module" src="/assets/main-AbCd1234.js"></script>');
    writeFileSync(join(dir, 'hht', 'index.html'), '<!doctype html><title>hht</title>');
    writeFileSync(join(dir, 'assets', 'main-AbCd1234.js'), 'console.log(1)');
  });
  after(async () => {
    for (const a of apps) await a.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the operations app at / and the HHT app at /hht/, HTML revalidated, hashed assets immutable', async () => {
    const app = await appFor(depsFor(store), { webDir: dir });
    apps.push(app);
    const root = await app.inject({ method: 'GET', url: '/' });
    assert.equal(root.statusCode, 200);
    assert.match(String(root.headers['content-type']), /^text\/html/);
    assert.match(root.body, /<title>ops<\/title>/);
    assert.equal(root.headers['cache-control'], 'no-cache');
    const csp = String(root.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /upgrade-insecure-requests/);
    const hht = await app.inject({ method: 'GET', url: '/hht/' });
    assert.equal(hht.statusCode, 200);
    assert.match(hht.body, /<title>hht<\/title>/);
    const bare = await app.inject({ method: 'GET', url: '/hht' });
    assert.equal(bare.statusCode, 301);
    assert.equal(bare.headers.location, '/hht/');
    const asset = await app.inject({ method: 'GET', url: '/assets/main-AbCd1234.js' });
    assert.equal(asset.statusCode, 200);
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
  });

  it('leaves the API its own answers: an unknown /v1 route and a missing file are problem+json 404s, /health still answers', async () => {
    const app = await appFor(depsFor(store), { webDir: dir });
    apps.push(app);
    for (const url of ['/v1/no-such-route', '/assets/none.js', '/../package.json']) {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 404, url);
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/, url);
      assert.equal(res.json().code, 'NOT_FOUND');
    }
    assert.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
  });

  it('without a build, / answers 503 naming the missing file and the command that builds it', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'meterops-webdir-empty-'));
    try {
      const app = await appFor(depsFor(store), { webDir: empty });
      apps.push(app);
      const res = await app.inject({ method: 'GET', url: '/' });
      assert.equal(res.statusCode, 503);
      assert.ok(res.body.includes(join(empty, 'index.html')), res.body);
      assert.match(res.body, /npm run build/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("finds the package's own dist/web", () => {
    assert.equal(defaultWebDir(), join(import.meta.dirname, '..', '..', 'dist', 'web'));
  });
});
