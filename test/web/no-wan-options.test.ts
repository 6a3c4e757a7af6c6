// The no-WAN options dashboard: a person runs the 2012 SDAG paper's eight options study from the
// page (a job on the server), sees it running, then the options side by side. Every cell of the
// page's table is checked against the table `meterops report no-wan-options` prints for the same
// fleet (an independent path: the CLI runs the study in its own process and prints it as text).
// axe on the empty page and on the result.
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

const ROOT = join(import.meta.dirname, '..', '..');
const PREMISES = 300;
const SEED = 'web-no-wan';

/** The CLI's table: option id → its ten task cells, then visits and hours (the CLI's own notation). */
async function cliTable(): Promise<Map<string, string[]>> {
  const dir = mkdtempSync(join(tmpdir(), 'meterops-nwo-'));
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(ROOT, 'bin', 'meterops.js'), 'report', 'no-wan-options', '--premises', String(PREMISES), '--seed', SEED, '--data-dir', dir],
      {
        env: { ...process.env, METEROPS_DATABASE_URL: '', METEROPS_DEMO: 'false' },
      },
    );
    const rows = new Map<string, string[]>();
    for (const line of stdout.split('\n')) {
      const m = /^(\d) ([a-z-]+)\s+(.*)$/.exec(line);
      if (m) rows.set(m[2]!, m[3]!.trim().split(/\s+/).slice(0, 12));
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The page's notation in the CLI's: "24 visits" → "24v", "–" → "-". */
const asCli = (cell: string) => cell.replace(/^(\d+) visits/, '$1v').replace(/^–/, '-');

describe('the no-WAN options dashboard', { skip: chromiumSkip }, () => {
  let server: DemoServer;
  let browser: Browser;
  let page: Page;
  before(async () => {
    [server, browser] = await Promise.all([startDemo(), launchChromium()]);
    page = await browser.newPage();
    await signIn(page, server.base, 'alice.supplier-a');
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('runs the study as a job and shows the options side by side, cell for cell as the CLI prints them', async () => {
    const expected = cliTable();
    await page.goto(`${server.base}/#/dashboards/no-wan-options`);
    await page.getByRole('heading', { name: 'No-WAN options side by side' }).waitFor();
    await page.getByTestId('empty').waitFor();
    await assertAccessible(page, 'the no-WAN options page before a run');

    await page.getByLabel('Premises in the generated fleet').fill(String(PREMISES));
    await page.getByLabel('Fleet seed').fill(SEED);
    await page.getByRole('button', { name: 'Run the study' }).click();
    await page.getByTestId('run-done').waitFor({ timeout: 120_000 });
    const table = page.getByTestId('no-wan-options-table');
    const cli = await expected;
    assert.equal(cli.size, 8, 'the CLI printed eight options');
    for (const [option, cells] of cli) {
      const row = table.locator(`tr[data-option="${option}"]`);
      const tasks = (await row.locator('td[data-task]').allInnerTexts()).map(asCli);
      const totals = [await row.locator('td[data-cell="visits"]').innerText(), await row.locator('td[data-cell="hours"]').innerText()];
      assert.deepEqual([...tasks, ...totals], cells, option);
    }
    await page.getByTestId('chart').first().waitFor();
    assert.ok((await page.getByTestId('no-wan-options-verdicts').locator('tbody tr').count()) > 8, 'the verdicts are listed');
    await assertAccessible(page, 'the no-WAN options result');

    // A reload shows the party's newest run without running it again.
    await page.reload();
    await page.getByTestId('run-done').waitFor();
    assert.equal(await page.getByTestId('no-wan-options-table').locator('tbody tr').count(), 8);
  });

  it('shows a refusal in place, naming the field', async () => {
    await page.getByLabel('Fleet seed').fill('no spaces');
    await page.getByRole('button', { name: 'Run the study' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'The study was not started' });
    await alert.waitFor();
    assert.match(await alert.innerText(), /seed/);
  });
});
