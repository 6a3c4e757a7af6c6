// The DNO's removal notices: after supplier-a returns the demo's return ESME (created here through
// the API), the operator of the premise's region (dno-18) sees the notice in the browser; another
// region's operator (dno-10) does not. Both pages pass axe.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { assertAccessible, chromiumSkip, launchChromium } from './support/browser.ts';
import { signIn, startDemo, type DemoServer } from './support/demo-server.ts';

const EUI = '0F8F000000000002';

describe('the DNO removal notices page', { skip: chromiumSkip }, () => {
  let server: DemoServer;
  let browser: Browser;
  before(async () => {
    [server, browser] = await Promise.all([startDemo(), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("shows the region's DNO the removal of a returned device, and not another region's", async () => {
    const res = await fetch(`${server.base}/v1/returns`, {
      method: 'POST',
      headers: { authorization: 'Bearer demo-supplier-a-key', 'content-type': 'application/json' },
      body: JSON.stringify({ lines: [{ deviceEui: EUI, reason: 'no-fault-general' }] }),
    });
    assert.equal(res.status, 201);
    const ret = (await res.json()) as { lines: Array<{ removedFrom: string; removedDistributor: number }> };
    const region = ret.lines[0]!.removedDistributor;
    const premise = ret.lines[0]!.removedFrom;
    assert.equal(region, 18, 'the demo return ESME sits in DNO region 18');

    const page = await browser.newPage();
    await signIn(page, server.base, `alice.dno-${region}`);
    await page.getByRole('link', { name: 'Removal notices' }).first().click();
    await page.getByRole('heading', { name: 'Removal notices', level: 1 }).waitFor();
    const table = page.getByTestId('notices');
    await table.waitFor();
    const rows = await table.locator('tbody tr').allInnerTexts();
    assert.equal(rows.length, 1);
    assert.match(rows[0]!, new RegExp(`${EUI}\\s+${premise}\\s+18 \\(dno-18\\)\\s+supplier-a`));
    await assertAccessible(page, "dno-18's removal notices");

    // Filtered by the API: another EUI gives the empty state.
    await page.getByLabel('Device EUI').fill('0F8F0000000000FF');
    await page.getByTestId('empty').waitFor();
    await page.getByLabel('Device EUI').fill(EUI);
    await table.waitFor();
    await page.close();

    // Another region's operator sees none of it.
    const other = await browser.newPage();
    await signIn(other, server.base, 'alice.dno-10');
    await other.goto(`${server.base}/#/dno/removal-notices`);
    await other.getByTestId('empty').waitFor();
    assert.equal(await other.getByTestId('notices').count(), 0);
    await assertAccessible(other, "dno-10's empty removal notices");
    await other.close();
  });
});
