// OpenID Connect sign-in against a real identity provider (oidc-provider) started here.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import Provider from 'oidc-provider';
import type { App } from '../../src/api/app.ts';
import { cliActing } from '../../src/services/acting.ts';
import { issueApiKey } from '../../src/services/api-keys.ts';
import { addUser } from '../../src/services/users.ts';
import { storeOn, type Store } from '../../src/store/store.ts';
import { freshPglite } from '../support/backends.ts';
import { aParty, appFor, depsFor, withParties } from '../support/builders.ts';

const CLIENT = { client_id: 'meterops-test', client_secret: 'a-client-secret-for-the-test' };
// app.inject's requests come to host localhost:80: the callback the provider must know.
const REDIRECT = 'http://localhost/v1/oidc/callback';

/** A tiny cookie jar for the browser's side of the provider (names and values, any path). */
class Jar {
  readonly #c = new Map<string, string>();
  take(res: Response): void {
    for (const h of res.headers.getSetCookie()) {
      const [pair] = h.split(';');
      const i = pair!.indexOf('=');
      this.#c.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
  }
  header(): string {
    return [...this.#c].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

describe('OpenID Connect sign-in for a party that configures its identity provider', () => {
  let server: Server;
  let issuer: string;
  let store: Store;
  let app: App;
  let adminKey: string;
  let subject = 'idp-user-1';
  const supplier = aParty({ role: 'supplier' });
  const dcc = aParty({ role: 'dcc' });

  before(async () => {
    let handle: (req: IncomingMessage, res: ServerResponse) => void = () => {};
    server = createServer((req, res) => handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const provider = new Provider(issuer, {
      clients: [{ ...CLIENT, redirect_uris: [REDIRECT], grant_types: ['authorization_code'], response_types: ['code'] }],
      findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      features: { devInteractions: { enabled: false } },
      pkce: { required: () => true },
      cookies: { keys: ['a-cookie-signing-key-for-the-test'] },
    });
    const callback = provider.callback();
    // The provider's login step: whoever the test says is signing in, logged in and consenting.
    handle = async (req, res) => {
      if (!req.url?.startsWith('/interaction/')) return callback(req, res);
      try {
        await finish(req, res);
      } catch (e) {
        res.writeHead(500).end(String((e as Error).stack));
      }
    };
    const finish = async (req: IncomingMessage, res: ServerResponse) => {
      const details = await provider.interactionDetails(req, res);
      const grant = new provider.Grant({ accountId: subject, clientId: String(details.params.client_id) });
      grant.addOIDCScope('openid');
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { login: { accountId: subject }, consent: { grantId } }, { mergeWithLastSubmission: false });
    };
    store = storeOn(await freshPglite());
    await withParties(store, supplier, dcc);
    const deps = depsFor(store);
    adminKey = (await issueApiKey(deps, cliActing(dcc), { partyId: supplier.id, name: 'admin', roles: ['administrator'] })).secret;
    await addUser(deps, cliActing(supplier), { username: 'ivy', name: 'Ivy', roles: ['operator'], oidcSubject: 'idp-user-1' });
    app = await appFor(deps);
  });
  after(async () => {
    await app?.close();
    await store?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  /** The browser: from meterops' login redirect through the provider and back to the callback. */
  async function browse(): Promise<URL> {
    const start = await app.inject({ url: `/v1/oidc/${supplier.id}/login` });
    assert.equal(start.statusCode, 302, start.body);
    let next = new URL(String(start.headers.location));
    assert.equal(next.origin, issuer);
    assert.equal(next.searchParams.get('code_challenge_method'), 'S256');
    const jar = new Jar();
    for (let hops = 0; hops < 10; hops++) {
      const res = await fetch(next, { redirect: 'manual', headers: { cookie: jar.header() } }).catch((e) => {
        throw new Error(`hop ${hops} to ${next.href}: ${String((e as Error).cause)}`);
      });
      jar.take(res);
      const location = res.headers.get('location');
      assert.ok(location, `hop ${hops}: ${res.status} ${await res.text()}`);
      next = new URL(location, next);
      if (`${next.origin}${next.pathname}` === REDIRECT) return next;
    }
    throw new Error('the provider never sent the browser back');
  }

  it('refuses a party without a provider, and a provider that is not one', async () => {
    const none = await app.inject({ url: `/v1/oidc/${supplier.id}/login` });
    assert.deepEqual([none.statusCode, none.json().field], [404, 'partyId']);
    const bad = await app.inject({
      method: 'PUT',
      url: `/v1/parties/${supplier.id}/identity-provider`,
      headers: { authorization: `Bearer ${adminKey}` },
      payload: { issuer: 'http://example.com', ...{ clientId: CLIENT.client_id, clientSecret: CLIENT.client_secret } },
    });
    assert.deepEqual([bad.statusCode, bad.json().field, bad.json().rule], [422, 'issuer', 'issuer-url']);
  });

  it('signs a person in through the provider into a session; the state works once', async () => {
    const put = await app.inject({
      method: 'PUT',
      url: `/v1/parties/${supplier.id}/identity-provider`,
      headers: { authorization: `Bearer ${adminKey}` },
      payload: { issuer, clientId: CLIENT.client_id, clientSecret: CLIENT.client_secret },
    });
    assert.equal(put.statusCode, 204, put.body);
    const back = await browse();
    assert.ok(back.searchParams.get('code'), back.href);
    const done = await app.inject({ url: `/v1/oidc/callback${back.search}` });
    assert.equal(done.statusCode, 200, done.body);
    assert.equal(done.json().user.username, 'ivy');
    const cookie = String(done.headers['set-cookie']);
    assert.match(cookie, /^meterops_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict/);
    const me = await app.inject({ url: '/v1/me', headers: { cookie: cookie.split(';')[0]! } });
    assert.deepEqual([me.json().partyId, me.json().person], [supplier.id, 'ivy']);
    const replay = await app.inject({ url: `/v1/oidc/callback${back.search}` });
    assert.deepEqual([replay.statusCode, replay.json().detail], [401, 'this sign-in was finished already']);
  });

  it('refuses a subject that is no person of the party', async () => {
    subject = 'a-stranger';
    const back = await browse();
    const done = await app.inject({ url: `/v1/oidc/callback${back.search}` });
    assert.equal(done.statusCode, 401);
    assert.match(done.json().detail, new RegExp(`no person of party ${supplier.id} signs in as a-stranger`));
    const forged = await app.inject({ url: '/v1/oidc/callback?code=x&state=never-issued' });
    assert.deepEqual([forged.statusCode, forged.json().detail], [401, 'this sign-in was not begun here']);
  });
});
