// The first page a new user meets at http://localhost:8080/ after `npm start`: the sign-in page,
// a refused password shown in place with the server's reason, a demo person signed in, the menu of
// what their roles allow, and sign-out. Both pages pass axe's WCAG A/AA rules with no serious or
// critical violation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { assertAccessible, chromiumSkip, launchChromium } from './support/browser.ts';
import { signIn, startDemo, type DemoServer } from './support/demo-server.ts';

describe('signing in to the web app', { skip: chromiumSkip }, () => {
  let server: DemoServer;
  let browser: Browser;
  before(async () => {
    [server, browser] = await Promise.all([startDemo(), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('refuses a wrong password in place, naming why, then signs alice.supplier-a in and out', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.base}/`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await assertAccessible(page, 'the sign-in page');
    await page.getByLabel('Username').fill('alice.supplier-a');
    await page.locator('input[name="password"]').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const problem = page.getByTestId('problem');
    await problem.waitFor();
    // The server's own problem: 401, its code, and nothing signed in.
    assert.match(await problem.innerText(), /401/);
    assert.equal(await page.getByTestId('who').count(), 0);

    await signIn(page, server.base, 'alice.supplier-a');
    assert.equal(await page.getByTestId('who').innerText(), 'alice.supplier-a · supplier-a');
    assert.match(await page.locator('main').innerText(), /roles operator, field_engineer/);
    await assertAccessible(page, 'the home page');
    // A reload keeps the session (the cookie), and the CSRF token for changes.
    await page.reload();
    await page.getByTestId('who').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const me = await page.evaluate(async () => (await fetch('/v1/me')).status);
    assert.equal(me, 401);
    await page.close();
  });
});
