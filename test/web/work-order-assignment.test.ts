// Issue 15, item 2: the HHT pulls the work orders assigned to the engineer. alice.supplier-a
// (operator) creates a work order on the supplier page assigned to dave.supplier-a, a second field
// engineer of the party; dave's HHT lists it as his, alice's HHT does not list it. alice then
// reassigns it to herself on the order page: her HHT lists it, and dave's pull from his stale list
// is refused in place with the rule the server names. axe on the pages that changed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { assertAccessible, chromiumSkip, launchChromium } from './support/browser.ts';
import { DEMO_PASSWORD, signIn, startDemo, type DemoServer } from './support/demo-server.ts';

const PREMISE = 'fleet-0f8f-p4';
const ESME = '0F8F000000000022';
const HHT = 'F0F0F0F0F0F00002';

describe('a work order assigned on the supplier page, in the HHT of that engineer only', { skip: chromiumSkip }, () => {
  let server: DemoServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  before(async () => {
    [server, browser] = await Promise.all([startDemo(), launchChromium()]);
    // The party's administrator adds a second field engineer, as the admin pages would.
    const s = await fetch(`${server.base}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'carol.supplier-a', password: DEMO_PASSWORD }),
    });
    assert.equal(s.status, 201);
    const cookie = String(s.headers.get('set-cookie')).split(';')[0]!;
    const { csrfToken } = (await s.json()) as { csrfToken: string };
    const u = await fetch(`${server.base}/v1/users`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'dave.supplier-a', name: 'Dave (supplier-a, field)', roles: ['field_engineer'], password: DEMO_PASSWORD }),
    });
    assert.equal(u.status, 201, await u.clone().text());
  });
  after(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  const hhtOf = async (username: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${server.base}/hht/`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.equal(await page.getByTestId('who').innerText(), username);
    return page;
  };
  /** The pull list once loaded: its cards' text, after a fresh load of the list. */
  const pullList = async (page: Page): Promise<string[]> => {
    await page.reload();
    await page.getByRole('heading', { name: 'Work orders to pull' }).waitFor();
    await page.getByText('Loading work orders…').waitFor({ state: 'detached' });
    return page.getByRole('region', { name: 'Work orders to pull' }).getByRole('listitem').allInnerTexts();
  };

  it('assigns on the supplier page; the assignee pulls it, another engineer neither sees nor pulls it', async () => {
    const ops = await browser.newPage();
    await signIn(ops, server.base, 'alice.supplier-a');
    await ops.goto(`${server.base}/#/supplier/work-orders`);
    await ops.getByRole('heading', { name: 'Work orders', level: 1 }).waitFor();
    await ops.getByLabel('Premise ID').fill(PREMISE);
    await ops.getByLabel('Command 1 device EUI').fill(ESME);
    await ops.getByLabel('Command 1 use case').selectOption('ECS45');
    // The picker offers the party's field engineers (from the server), dave among them.
    await ops.getByRole('option', { name: /dave\.supplier-a/ }).waitFor({ state: 'attached' });
    await ops.getByLabel('Assign to').selectOption('dave.supplier-a');
    await ops.getByRole('button', { name: 'Create work order' }).click();
    await ops.getByTestId('order-assignee').waitFor();
    const id = decodeURIComponent(new URL(ops.url()).hash.replace('#/supplier/work-orders/', ''));
    assert.match(id, /^wo-/);
    assert.match(await ops.getByTestId('order-assignee').innerText(), /Assigned to dave\.supplier-a .*by alice\.supplier-a/);
    await assertAccessible(ops, 'the work order page with its assignee');

    const dave = await hhtOf('dave.supplier-a');
    const daves = await pullList(dave);
    const card = daves.find((t) => t.includes(id));
    assert.ok(card, `dave's HHT lists ${id}: ${daves.join(' | ')}`);
    assert.match(card, /assigned to you/);
    await assertAccessible(dave, 'the HHT pull list with assigned orders');

    const alice = await hhtOf('alice.supplier-a');
    assert.ok(!(await pullList(alice)).some((t) => t.includes(id)), "alice's HHT does not list dave's order");

    // alice reassigns it to herself on the order page.
    await ops.getByLabel('Change assignee').selectOption('alice.supplier-a');
    await ops.getByRole('button', { name: 'Save assignee' }).click();
    await ops.getByTestId('order-assignee').filter({ hasText: 'Assigned to alice.supplier-a' }).waitFor();
    assert.ok(
      (await pullList(alice)).some((t) => t.includes(id) && /assigned to you/.test(t)),
      "now alice's HHT lists it as hers",
    );

    // dave's list, loaded before the reassignment, still shows it; the server refuses his pull.
    const stale = dave.getByRole('listitem').filter({ hasText: id });
    await dave.getByLabel(/This HHT's EUI/).fill(HHT);
    await stale.getByRole('button', { name: `Pull work order ${PREMISE}` }).click();
    const refused = await stale.getByTestId('problem').innerText();
    assert.match(refused, /Pull refused: 403/);
    assert.match(refused, /order-assignee/);
    const order = (await (await fetch(`${server.base}/v1/work-orders/${id}`, { headers: { authorization: 'Bearer demo-supplier-a-key' } })).json()) as {
      order: { state: string; assignedTo: string };
    };
    assert.deepEqual([order.order.state, order.order.assignedTo], ['open', 'alice.supplier-a']);
  });
});
