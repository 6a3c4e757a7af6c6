// The menu follows the signed-in party's role as well as the person's permissions: a DNO's operator
// sees the removal notices and none of the triage, supplier-operations or returns-dashboard links
// (which the server refuses a DNO: checked here with the DNO's own key); a Supplier's operator
// sees those and not the DNO's removal notices; the DCC sees both, but not vending (only a
// Supplier vends). /v1/me says the party's role. axe on each person's first page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { assertAccessible, chromiumSkip, launchChromium } from './support/browser.ts';
import { signIn, startDemo, type DemoServer } from './support/demo-server.ts';

const DNO_ONLY = ['Removal notices'];
const SUPPLIER_SIDE = ['Triage bench', 'No-WAN visit queue', 'Premises', 'Vend and reprint', 'Work orders', 'Returns and NFF'];
const EVERYONE = ['Response times', 'Vulnerabilities and duties', 'Held requests', 'Parties'];

describe('the menu by party role', { skip: chromiumSkip }, () => {
  let server: DemoServer;
  let browser: Browser;
  before(async () => {
    [server, browser] = await Promise.all([startDemo(), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** The labels of the menu's page links (the navigation, not the first page's list). */
  const menu = async (page: Page) => (await page.getByRole('navigation', { name: 'pages' }).getByRole('link').allInnerTexts()).map((t) => t.trim().split('\n')[0]!);
  const status = async (path: string, key: string) => (await fetch(`${server.base}${path}`, { headers: { authorization: `Bearer ${key}` } })).status;

  it("shows a DNO's operator the removal notices, and no triage or supplier links", async () => {
    const page = await browser.newPage();
    await signIn(page, server.base, 'alice.dno-18');
    const me = await page.evaluate(async () => (await (await fetch('/v1/me')).json()) as { partyRole: string });
    assert.equal(me.partyRole, 'network_operator');
    const links = await menu(page);
    for (const l of [...DNO_ONLY, ...EVERYONE]) assert.ok(links.includes(l), `${l} in ${links.join(', ')}`);
    for (const l of SUPPLIER_SIDE) {
      assert.ok(!links.includes(l), `${l} not in the DNO's menu`);
      assert.equal(await page.getByRole('link', { name: l, exact: true }).count(), 0, `${l} nowhere on the first page`);
    }
    // What the menu leaves out is what the server refuses the DNO.
    assert.equal(await status('/v1/no-wan/visit-queue', 'demo-dno-18-key'), 403);
    assert.equal(await status('/v1/reports/returns', 'demo-dno-18-key'), 403);
    assert.equal(await status('/v1/removal-notices', 'demo-dno-18-key'), 200);
    await assertAccessible(page, "a DNO operator's first page");
    await page.getByRole('navigation', { name: 'pages' }).getByRole('link', { name: 'Removal notices' }).click();
    await page.getByRole('heading', { name: 'Removal notices', level: 1 }).waitFor();
    await assertAccessible(page, "a DNO operator's removal notices");
    await page.close();
  });

  it("shows a Supplier's operator the triage and supplier links, and not the DNO's removal notices", async () => {
    const page = await browser.newPage();
    await signIn(page, server.base, 'alice.supplier-a');
    const links = await menu(page);
    for (const l of [...SUPPLIER_SIDE, ...EVERYONE]) assert.ok(links.includes(l), `${l} in ${links.join(', ')}`);
    for (const l of DNO_ONLY) assert.equal(await page.getByRole('link', { name: l, exact: true }).count(), 0, `${l} not shown to a Supplier`);
    assert.equal(await page.getByRole('button', { name: 'Network operator' }).count(), 0, 'no Network operator group');
    await assertAccessible(page, "a Supplier operator's first page");
    await page.close();
  });

  it('shows the DCC both, but not vending, which only a Supplier does', async () => {
    const page = await browser.newPage();
    await signIn(page, server.base, 'alice.dcc');
    const links = await menu(page);
    for (const l of ['Removal notices', 'Triage bench', 'No-WAN visit queue', 'Returns and NFF']) assert.ok(links.includes(l), `${l} in ${links.join(', ')}`);
    assert.ok(!links.includes('Vend and reprint'));
    assert.equal(await status('/v1/removal-notices', 'demo-dcc-key'), 200);
    await page.close();
  });
});
