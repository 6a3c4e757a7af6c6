// The administrator's journey in the web app (docs/web-security.md), as carol.supplier-a: an API key
// issued with its secret shown once, used from this test to prove it works, rotated (the old secret
// refused at once, the new one working), revoked (then refused: 401); a person added with a
// generated password shown once; the party directory, where suspending another party is refused in
// place (only the platform party suspends). What the server holds is checked with a demo key. Each
// page passes axe's WCAG A/AA rules with no serious or critical violation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { assertAccessible, chromiumSkip, launchChromium } from './support/browser.ts';
import { signIn, startDemo, type DemoServer } from './support/demo-server.ts';

const KEY = { authorization: 'Bearer demo-supplier-a-key' };

async function getJson<T>(base: string, path: string, headers: Record<string, string> = KEY): Promise<T> {
  const res = await fetch(`${base}${path}`, { headers });
  assert.equal(res.status, 200, `GET ${path}: ${res.status}`);
  return (await res.json()) as T;
}

/** GET /v1/me with a key's secret: the status, and whom the server took it for. */
async function meWith(base: string, secret: string): Promise<{ status: number; person?: string }> {
  const res = await fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
  const body = (await res.json()) as { person?: string };
  return { status: res.status, ...(res.status === 200 ? { person: body.person! } : {}) };
}

async function chooseOption(page: Page, combobox: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: combobox }).fill(option.slice(0, 4));
  await page.getByRole('option', { name: option }).click();
  await page.keyboard.press('Escape');
}

interface ApiKey {
  id: string;
  name: string;
  roles: string[];
  state: string;
  rotatedFrom: string | null;
  revokedReason: string | null;
}

describe('the administrator in the web app', { skip: chromiumSkip }, () => {
  let server: DemoServer;
  let browser: Browser;
  before(async () => {
    [server, browser] = await Promise.all([startDemo(), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('issues a key whose secret is shown once and works, rotates it, revokes it, and then the key is refused (401)', async () => {
    const page = await browser.newPage();
    await signIn(page, server.base, 'carol.supplier-a');
    await page.getByRole('navigation', { name: 'pages' }).getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    await page.mouse.move(0, 0); // off the menu link it clicked: a hovered link is not the page at rest
    await page.getByTestId('keys').waitFor();
    await assertAccessible(page, 'the API keys page');

    await page.getByLabel(/^Key name/).fill('billing-web');
    await chooseOption(page, 'Roles', 'operator');
    await page.getByRole('button', { name: 'Issue key' }).click();
    await page.getByTestId('secret-once').waitFor();
    const secret = (await page.getByTestId('secret').innerText()).trim();
    assert.match(secret, /^\S{20,}$/);
    await assertAccessible(page, 'the API keys page showing a new secret');

    // The secret works, from outside the browser: the server takes it for the key billing-web.
    assert.deepEqual(await meWith(server.base, secret), { status: 200, person: 'billing-web' });
    const keys = (await getJson<{ apiKeys: ApiKey[] }>(server.base, '/v1/api-keys?state=active')).apiKeys;
    const issued = keys.find((k) => k.name === 'billing-web')!;
    assert.deepEqual(issued.roles, ['operator']);

    // Shown once: hidden on request, and never again after a reload (the server keeps only its hash).
    await page.getByRole('button', { name: /hide the secret/ }).click();
    assert.equal(await page.getByTestId('secret').count(), 0);
    await page.reload();
    await page.getByTestId(`key-${issued.id}`).waitFor();
    assert.equal(await page.getByTestId('secret').count(), 0);
    assert.equal((await page.locator('main').innerText()).includes(secret), false);

    // Rotate: a new secret shown once; the old one is refused from the next request.
    await page.getByRole('button', { name: 'Rotate supplier-a/billing-web' }).click();
    await page.getByTestId('secret-once').waitFor();
    const rotated = (await page.getByTestId('secret').innerText()).trim();
    assert.notEqual(rotated, secret);
    assert.equal((await meWith(server.base, secret)).status, 401);
    assert.deepEqual(await meWith(server.base, rotated), { status: 200, person: 'billing-web' });
    const active = (await getJson<{ apiKeys: ApiKey[] }>(server.base, '/v1/api-keys?state=active')).apiKeys.find((k) => k.name === 'billing-web')!;
    assert.equal(active.rotatedFrom, issued.id);
    await page.getByRole('button', { name: /hide the secret/ }).click();

    // Revoke, with a reason: the key is refused (401), and listed as revoked.
    const row = page.getByTestId(`key-${active.id}`);
    await row.getByLabel('Reason to revoke supplier-a/billing-web').fill('billing system retired');
    await row.getByRole('button', { name: 'Revoke supplier-a/billing-web' }).click();
    await row.filter({ hasText: /revoked/i }).waitFor();
    assert.equal((await meWith(server.base, rotated)).status, 401);
    const revoked = (await getJson<{ apiKeys: ApiKey[] }>(server.base, '/v1/api-keys?state=revoked')).apiKeys.filter((k) => k.name === 'billing-web');
    assert.deepEqual(revoked.map((k) => k.id).sort(), [issued.id, active.id].sort());
    assert.equal(revoked.find((k) => k.id === active.id)!.revokedReason, 'billing system retired');
    // The list's filter is the server's: active keys only, billing-web no longer among them.
    await page.getByRole('combobox', { name: 'State' }).click();
    await page.getByRole('option', { name: 'active' }).click();
    await page.getByTestId('key-key-demo-supplier-a').waitFor();
    assert.equal(await page.getByTestId(`key-${active.id}`).count(), 0);
    await assertAccessible(page, 'the API keys page after revocation');
    await page.close();
  });

  it('adds a person with a generated password shown once, and shows a refused suspension in place', async () => {
    const page = await browser.newPage();
    await signIn(page, server.base, 'carol.supplier-a');
    await page.goto(`${server.base}/#/admin/people`);
    await page.getByTestId('person-alice.supplier-a').waitFor();
    await assertAccessible(page, 'the people page');
    await page.getByLabel(/^Username/).fill('erin.supplier-a');
    await page.getByLabel(/^Full name/).fill('Erin (supplier-a, audit)');
    await chooseOption(page, 'Roles of the person', 'auditor');
    await page.getByRole('button', { name: 'Add person' }).click();
    const password = (await page.getByTestId('generated-password').innerText()).trim();
    assert.ok(password.length >= 12);
    await page.getByTestId('person-erin.supplier-a').waitFor();
    const auditors = (await getJson<{ users: Array<{ username: string; roles: string[] }> }>(server.base, '/v1/users?role=auditor')).users;
    assert.deepEqual(auditors.find((u) => u.username === 'erin.supplier-a')?.roles, ['auditor']);
    // The generated password signs Erin in.
    const s = await fetch(`${server.base}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'erin.supplier-a', password }),
    });
    assert.equal(s.status, 201);
    await assertAccessible(page, 'the people page with a person added');

    await page.goto(`${server.base}/#/admin/parties`);
    const b = page.getByTestId('party-supplier-b');
    await b.waitFor();
    await assertAccessible(page, 'the parties page');
    await b.getByLabel('Reason to suspend supplier-b').fill('test');
    await b.getByRole('button', { name: 'Suspend supplier-b' }).click();
    const refused = b.getByRole('alert');
    await refused.waitFor();
    assert.match(await refused.innerText(), /403/);
    const party = await getJson<{ status: string }>(server.base, '/v1/parties/supplier-b');
    assert.equal(party.status, 'active');
    await assertAccessible(page, 'the parties page with a refusal');
    await page.close();
  });
});
