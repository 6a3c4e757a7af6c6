// The supplier's operations team (alice.supplier-a) in the web app: a vend whose double click makes
// one code (checked in the API under the form's idempotency key) and its reprint; the SECMP0032
// visit queue with the demo's two no-WAN premises; a premise page with the server's route
// decisions; a work order created on the page, carried by the HHT CLI (pull, visit, push) and
// followed on its status page to its verified responses. axe on every page.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { assertAccessible, chromiumSkip, launchChromium } from './support/browser.ts';
import { signIn, startDemo, type DemoServer } from './support/demo-server.ts';

const KEY = 'demo-supplier-a-key';
const ROOT = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

describe('supplier operations in the web app', { skip: chromiumSkip }, () => {
  let server: DemoServer;
  let browser: Browser;
  let page: Page;
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${server.base}${path}`, { headers: { authorization: `Bearer ${KEY}` } });
    assert.equal(res.status, 200, `GET ${path}`);
    return (await res.json()) as T;
  };
  before(async () => {
    [server, browser] = await Promise.all([startDemo(), launchChromium()]);
    page = await browser.newPage();
    await signIn(page, server.base, 'alice.supplier-a');
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('vends a top-up on a double click as ONE code under the form key, and reprints the same code', async () => {
    await page.goto(`${server.base}/#/supplier/vend`);
    await page.getByRole('heading', { name: 'Vend and reprint' }).waitFor();
    await page.getByTestId('empty').waitFor(); // no vends yet: the designed empty state
    await assertAccessible(page, 'the vend page');
    await page.getByRole('textbox', { name: 'Device EUI', exact: true }).fill('0F8F00000000004A');
    await page.getByRole('textbox', { name: 'Value', exact: true }).fill('10');
    const formKey = (await page.getByTestId('form-key').innerText()).replace(/^.*: /, '').trim();
    assert.match(formKey, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await page.getByRole('button', { name: 'Vend', exact: true }).dblclick();
    const code = (await page.getByTestId('vend-code').first().innerText()).trim();
    assert.match(code, /^\d{20}$/);
    // Let both requests of the double click land before counting.
    await page.waitForLoadState('networkidle');
    const vends = await get<{ vends: Array<{ idempotencyKey: string; code: string; pence: number }> }>('/v1/vends?deviceEui=0F8F00000000004A&limit=500');
    const mine = vends.vends.filter((v) => v.idempotencyKey === formKey);
    assert.equal(mine.length, 1, 'one vend for the form key');
    assert.equal(vends.vends.length, 1, 'and no other vend for the device');
    assert.equal(mine[0]!.code, code);
    assert.equal(mine[0]!.pence, 1000);
    // The form keeps its key until reset: vending again gives the same code.
    await page.getByRole('button', { name: 'Vend', exact: true }).click();
    await page.waitForLoadState('networkidle');
    assert.equal((await get<{ vends: unknown[] }>('/v1/vends?deviceEui=0F8F00000000004A')).vends.length, 1);

    // Reprint from the list: the server's code under the key.
    await page.getByRole('button', { name: `Reprint ${formKey}` }).click();
    await page.getByRole('heading', { name: 'Reprint', level: 2 }).last().waitFor();
    const reprint = page
      .getByTestId('vend-result')
      .filter({ hasText: 'Reprint' })
      .filter({ has: page.getByTestId('vend-code') });
    await reprint.waitFor();
    assert.equal((await reprint.getByTestId('vend-code').innerText()).trim(), code);
    assert.equal((await get<{ code: string }>(`/v1/vends/${formKey}`)).code, code);
    await assertAccessible(page, 'the vend page with a code and its reprint');

    // Reset: a new key, so the next vend is a new code.
    await page.getByRole('button', { name: 'New vend (reset the form)' }).click();
    const nextKey = (await page.getByTestId('form-key').innerText()).replace(/^.*: /, '').trim();
    assert.notEqual(nextKey, formKey);
  });

  it('refuses a vend in place with the field the server names', async () => {
    await page.goto(`${server.base}/#/supplier/vend`);
    await page.getByRole('textbox', { name: 'Device EUI', exact: true }).fill('not-an-eui');
    await page.getByRole('button', { name: 'Vend', exact: true }).click();
    const problem = page.getByTestId('problem');
    await problem.waitFor();
    assert.match(await problem.innerText(), /deviceEui/);
  });

  it('shows the SECMP0032 visit queue: the two no-WAN prepayment premises with their clocks, as the API ranks them', async () => {
    await page.goto(`${server.base}/#/supplier/visit-queue`);
    await page.getByTestId('visit-queue').waitFor();
    const shown = await page.locator('[data-testid="visit-queue"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-premise')));
    const api = await get<Array<{ premiseId: string; fix30: { state: string } }>>('/v1/no-wan/visit-queue');
    assert.deepEqual(shown, ['fleet-0f8f-p4', 'fleet-0f8f-p15']);
    assert.deepEqual(
      shown,
      api.map((e) => e.premiseId),
    );
    const p15 = page.locator('[data-premise="fleet-0f8f-p15"]');
    assert.match(await p15.innerText(), new RegExp(api[1]!.fix30.state, 'i'));
    await assertAccessible(page, 'the visit queue');
  });

  it('shows a premise: devices, WAN status, credit and supply, and the route of each request with its reasons', async () => {
    await page.goto(`${server.base}/#/supplier/visit-queue`);
    await page.getByRole('link', { name: 'fleet-0f8f-p4' }).click();
    await page.getByRole('heading', { name: 'Premise fleet-0f8f-p4' }).waitFor();
    await page.locator('[data-request="credentialChange"] b').waitFor();
    const premise = await get<{ installations: unknown[] }>('/v1/premises/fleet-0f8f-p4');
    assert.equal(await page.locator('[data-testid="devices"] tbody tr').count(), premise.installations.length);
    assert.match(await page.getByTestId('wan-status').innerText(), /no-wan/i);
    assert.match(await page.getByTestId('credit-supply').innerText(), /Credit £0\.00[\s\S]*Supply disabled/);
    const eui = await page.getByLabel('Route decisions for device').inputValue();
    for (const request of ['enableSupply', 'topUp']) {
      const r = await get<{ route: string; reasons: string[] }>(`/v1/devices/${eui}/route?request=${request}`);
      const row = page.locator(`[data-request="${request}"]`);
      assert.equal((await row.locator('b').innerText()).trim(), r.route);
      for (const reason of r.reasons) assert.ok((await row.innerText()).includes(reason), `${request}: ${reason}`);
    }
    await assertAccessible(page, 'the premise page');
  });

  it('creates a work order and follows it to its verified responses after the HHT pulls, visits and pushes', async () => {
    await page.goto(`${server.base}/#/supplier/work-orders`);
    await page.getByRole('heading', { name: 'Work orders', level: 1 }).waitFor();
    await page.getByTestId('empty').waitFor(); // none yet: the designed empty state
    await assertAccessible(page, 'the work orders page');
    await page.getByLabel('Premise ID').fill('fleet-0f8f-p4');
    await page.getByLabel('Command 1 device EUI').fill('0F8F000000000022');
    await page.getByLabel('Command 1 use case').selectOption('ECS42');
    await page.getByRole('button', { name: 'Add a command' }).click();
    await page.getByLabel('Command 2 device EUI').fill('0F8F000000000022');
    await page.getByLabel('Command 2 use case').selectOption('CS01a');
    await page.getByLabel('Command 2 value', { exact: true }).fill('10');
    await page.getByRole('button', { name: 'Create work order' }).click();
    await page.getByRole('heading', { name: 'Work order', level: 1 }).waitFor();
    await page.getByTestId('order-state').waitFor();
    const id = decodeURIComponent(new URL(page.url()).hash.replace('#/supplier/work-orders/', ''));
    assert.match(id, /^wo-/);
    assert.equal((await page.getByTestId('order-state').innerText()).trim().toLowerCase(), 'open');
    const created = await get<{ order: { premiseId: string }; commands: Array<{ useCase: string; pence: number }> }>(`/v1/work-orders/${id}`);
    assert.equal(created.order.premiseId, 'fleet-0f8f-p4');
    assert.deepEqual(
      created.commands.map((c) => [c.useCase, c.pence]),
      [
        ['ECS42', 0],
        ['CS01a', 1000],
      ],
    );
    await assertAccessible(page, 'the work order status page');

    // The field engineer's HHT, as docs/demo.md runs it: pull, visit offline, push.
    const dir = mkdtempSync(join(tmpdir(), 'meterops-hht-'));
    try {
      const cli = (...args: string[]) => run(process.execPath, [join(ROOT, 'bin', 'meterops.js'), 'hht', ...args], { cwd: dir });
      await cli('pull', id, '--server', server.base, '--hht', 'F0F0F0F0F0F00001', '--out', 'order.json', '--api-key', KEY);
      await cli('visit', 'order.json');
      await cli('push', 'order.json', '--server', server.base, '--api-key', KEY);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // The page refreshes itself to the verified responses.
    await page.locator('[data-testid="order-state"]', { hasText: 'completed' }).waitFor({ timeout: 20_000 });
    const done = await get<{ order: { state: string }; commands: Array<{ state: string; outcome: string | null }> }>(`/v1/work-orders/${id}`);
    assert.equal(done.order.state, 'completed');
    for (const c of done.commands) {
      const row = (await page.locator(`[data-testid="commands"] tbody tr`).nth(done.commands.indexOf(c)).innerText()).toLowerCase();
      assert.ok(row.includes(c.state) && row.includes(c.outcome!), row);
    }
    await page.goto(`${server.base}/#/supplier/work-orders`);
    await page.getByLabel('Filter by state').selectOption('completed');
    await page.getByRole('button', { name: 'Filter work orders' }).click();
    await page.getByRole('link', { name: id }).waitFor();
  });
});
