// The triage bench's journey, start to finish, on a fresh demo: alice.supplier-a scans the demo's
// return ESME, creates its return, is refused triage while it is still at the premise and, at its
// secure lab alpha-lab, refused again because SMETS2 is the manufacturer's to triage ("under current
// governance for SMETS2, performing triage by anyone other than manufacturers, would not be
// possible"), both in place with the server's reason; hands it to mfr-a at acme-works with seal S1.
// alice.mfr-a runs a gold plan there (each step's row arriving as the bench finishes it), is refused
// a second pass in the same custody, refurbishes it to vanilla, prints its label (EUI as a QR code)
// and hands it back; alice.supplier-a reinstalls it at fleet-0f8f-p6. What the server then holds is
// read back with the demo API key.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { assertAccessible, chromiumSkip, launchChromium } from './support/browser.ts';
import { signIn, startDemo, type DemoServer } from './support/demo-server.ts';

const EUI = '0F8F000000000002';

/** What the section showed at one change, as the page noted it. */
interface Seen {
  rows: string[];
  news: string;
  outcome: boolean;
}
/** The page's globals the test uses (the test's own types have no DOM). */
interface InPage {
  triageSeen: Seen[];
  MutationObserver: new (cb: () => void) => { observe(target: unknown, o: Record<string, boolean>): void };
}
const KEY = { authorization: 'Bearer demo-supplier-a-key' };

describe('the triage bench', { skip: chromiumSkip }, () => {
  let server: DemoServer;
  let browser: Browser;
  before(async () => {
    // Each watched bench step takes 400 ms here (the serve default is 250): time to see the rows arrive.
    [server, browser] = await Promise.all([startDemo({ METEROPS_SIM_BENCH_STEP_MS: '400' }), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('returns, hands over, triages, refurbishes, labels and reinstalls the demo ESME; refusals shown in place', async () => {
    const supplierPage = await browser.newPage();
    let page = supplierPage;
    await signIn(page, server.base, 'alice.supplier-a');
    await page.getByRole('link', { name: 'Triage bench' }).first().click();
    await page.getByRole('heading', { name: 'Triage bench', level: 1 }).waitFor();
    await assertAccessible(page, 'the empty triage bench');

    // Scan (type, then Enter as a barcode scanner does).
    await page.getByLabel('Device EUI').fill(EUI.toLowerCase());
    await page.getByLabel('Device EUI').press('Enter');
    await page.getByTestId('device').waitFor();
    assert.match((await page.getByTestId('asset-status').textContent()) ?? '', /in_field/);
    assert.match((await page.getByTestId('inventory-status').textContent()) ?? '', /Commissioned/);
    await page.getByText('This device has no return yet.').waitFor();

    await page.getByRole('region', { name: 'Create a return' }).getByRole('button', { name: 'Create return' }).click();
    await page.getByTestId('return-line').waitFor();
    assert.match((await page.getByTestId('line-state').textContent()) ?? '', /^returned$/);
    await assertAccessible(page, 'the bench with a returned device');

    // Refused: still at the consumer's premises. Shown in the triage section, with the rule.
    const supplierTriage = page.getByRole('region', { name: 'Triage on the bench' });
    await supplierTriage.getByRole('button', { name: 'Run triage' }).click();
    const refusal = supplierTriage.getByTestId('problem');
    await refusal.waitFor();
    const refusalText = await refusal.innerText();
    assert.match(refusalText, /403/);
    assert.match(refusalText, /not-at-premises/);
    assert.match(refusalText, /never done at a consumer's premises/);
    await assertAccessible(page, 'the bench showing a refusal');

    // Hand over to supplier-a at alpha-lab with seal S1 intact.
    let handover = page.getByRole('region', { name: 'Hand over' });
    await handover.getByLabel('Site (facility id or place)').fill('alpha-lab');
    await handover.getByLabel('Seal number 1').fill('S1');
    await handover.getByRole('button', { name: 'Hand over' }).click();
    await page.getByTestId('custody').getByText('S1 intact').waitFor();

    // Refused: a Supplier may not triage a SMETS2 meter, even at its secure lab (the default governance).
    await supplierTriage.getByLabel('Facility').selectOption('alpha-lab');
    await supplierTriage.getByRole('button', { name: 'Run triage' }).click();
    await supplierTriage
      .getByTestId('problem')
      .getByText(/triage-governance/)
      .waitFor();
    const governed = await supplierTriage.getByTestId('problem').innerText();
    assert.match(governed, /403/);
    assert.match(governed, /governance\.triage\.smets2 \(METEROPS_GOVERNANCE\) lets only manufacturer triage/);
    assert.match(governed, /under current governance for SMETS2, performing triage by anyone other than manufacturers, would not be possible/);

    // To the manufacturer at its works, seal S1 still intact.
    await handover.getByLabel('To party').fill('mfr-a');
    await handover.getByLabel('Site (facility id or place)').fill('acme-works');
    await handover.getByLabel('Seal number 1').fill('S1');
    await handover.getByRole('button', { name: 'Hand over' }).click();
    await handover
      .getByRole('status')
      .getByText(/Handed to mfr-a at acme-works/)
      .waitFor();

    // The manufacturer's technician takes it on the bench.
    page = await browser.newPage();
    await signIn(page, server.base, 'alice.mfr-a');
    await page.getByRole('link', { name: 'Triage bench' }).first().click();
    await page.getByLabel('Device EUI').fill(EUI);
    await page.getByLabel('Device EUI').press('Enter');
    await page.getByTestId('return-line').waitFor();
    const triage = page.getByRole('region', { name: 'Triage on the bench' });
    await triage.getByLabel('Facility').selectOption('acme-works');

    // A gold plan on the bench: each step's row fills in as the bench finishes it (streamed), the
    // next one running, the live region saying so; then the outcome recorded.
    await triage.getByLabel('Gold (DCC test hub)').check();
    // What the section shows at each change (the rows' states, the live region, the outcome),
    // noted in the page, so the order is checked whatever the test's own timing.
    await page.locator('#triage').evaluate((title) => {
      const section = title.closest('section')!;
      const seen: Seen[] = [];
      const inPage = globalThis as unknown as InPage;
      inPage.triageSeen = seen;
      new inPage.MutationObserver(() =>
        seen.push({
          rows: [...section.querySelectorAll('tr[data-step]')].map((r) => `${r.getAttribute('data-step')}=${r.getAttribute('data-state')}`),
          news: section.querySelector('[data-testid="triage-progress"]')?.textContent ?? '',
          outcome: section.querySelector('[data-testid="triage-outcome"]') !== null,
        }),
      ).observe(section, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await triage.getByRole('button', { name: 'Run triage' }).click();
    const rows = triage.getByTestId('triage-steps');
    await rows.locator('tr[data-step="seals-and-visual"][data-state="pass"]').waitFor();
    assert.equal(await triage.getByTestId('triage-outcome').count(), 0, 'the first step is shown before the outcome');
    assert.equal(await triage.getByTestId('triage-progress').getAttribute('role'), 'status');
    await assertAccessible(page, 'the bench while a plan runs');
    await triage.getByTestId('triage-outcome').waitFor();
    assert.match(await triage.getByTestId('triage-outcome').innerText(), /no-fault-found/);
    const stepRows = await triage.getByTestId('triage-steps').locator('tbody tr').allInnerTexts();
    assert.equal(stepRows.length, 6);
    assert.match(stepRows[2]!, /join\s+pass\s+joined the test hub/i);
    assert.match(stepRows[4]!, /wan-test\s+skipped/i);
    await page.getByTestId('line-state').getByText('triaged').waitFor();
    const seen = await page.evaluate(() => (globalThis as unknown as InPage).triageSeen);
    const steps = ['seals-and-visual', 'power-on', 'join', 'diagnostics', 'wan-test', 'credential-read'];
    // The rows were answered in plan order, a few at a time at most (axe above holds the page's
    // thread for a while), the next one running, and all of them before the outcome.
    const answered = (v: Seen) => v.rows.findIndex((r) => /=(running|waiting)$/.test(r));
    const counts: number[] = [];
    for (const v of seen.filter((x) => x.rows.length)) {
      const n = answered(v) === -1 ? v.rows.length : answered(v);
      assert.ok(
        v.rows.slice(n).every((r, i) => r.endsWith(i === 0 ? '=running' : '=waiting')),
        `answered rows come first, then the running one, then those waiting: ${v.rows.join(' ')}`,
      );
      assert.deepEqual(
        v.rows.map((r) => r.split('=')[0]),
        steps,
      );
      if (v.outcome) assert.equal(n, steps.length, 'the outcome only after every step');
      if (counts.at(-1) !== n) counts.push(n);
    }
    assert.equal(counts[0], 0, 'the rows first show the plan, nothing answered yet');
    assert.equal(counts[1], 1, 'then the first step alone');
    assert.ok(counts.length >= 5 && counts.at(-1) === steps.length, `then the others, one or two at a time: ${counts.join(',')}`);
    assert.deepEqual(
      [...counts].sort((x, y) => x - y),
      counts,
    );
    const said = seen.map((v) => /^Step (\d) of 6, ([a-z-]+): /.exec(v.news)).filter((m) => m !== null);
    assert.equal(said[0]![1], '1');
    assert.equal(said[0]![2], steps[0]);
    // In order (the last step and the outcome may come in one render: then it says the outcome).
    const numbers = said.map((m) => Number(m[1]));
    assert.deepEqual(
      [...numbers].sort((x, y) => x - y),
      numbers,
    );
    assert.ok(numbers.at(-1)! >= 5, `the live region followed the plan: ${numbers.join(',')}`);
    for (const m of said) assert.equal(m[2], steps[Number(m[1]) - 1]);
    assert.ok(seen.at(-1)!.outcome && /Outcome recorded: no-fault-found/.test(seen.at(-1)!.news));

    // Refused: one pass per custody.
    await triage.getByRole('button', { name: 'Run triage' }).click();
    await triage
      .getByTestId('problem')
      .getByText(/already-triaged/)
      .waitFor();
    assert.match(await triage.getByTestId('problem').innerText(), /409/);

    // Refurbish to vanilla, grade A, bay 3.
    const refurbish = page.getByRole('region', { name: 'Refurbish' });
    await refurbish.getByLabel('Grade').selectOption('A');
    await refurbish.getByLabel('Stock location').fill('bay 3');
    await refurbish.getByRole('button', { name: 'Refurbish' }).click();
    await refurbish
      .getByRole('status')
      .getByText(/vanilla credentials, grade A, stocked at bay 3/)
      .waitFor();
    await page.getByTestId('line-state').getByText('in-stock').waitFor();

    // The label: the EUI as a QR code; printing shows the label alone.
    const label = page.getByTestId('label');
    const qr = label.getByRole('img', { name: `QR code of EUI ${EUI}` });
    await qr.waitFor();
    assert.match((await qr.getAttribute('src')) ?? '', /^data:image\/png;base64,/);
    assert.match(await label.innerText(), /grade A · vanilla/);
    assert.match(await label.innerText(), /Stock: bay 3/);
    await page.getByRole('button', { name: 'Print label' }).waitFor();
    await page.emulateMedia({ media: 'print' });
    assert.equal(await qr.isVisible(), true);
    assert.equal(await page.locator('#handover').isVisible(), false, 'printing hides the bench around the label');
    await page.emulateMedia({ media: 'screen' });
    await assertAccessible(page, 'the bench after refurbishment, with the label');

    // Back to supplier-a, which reinstalls it.
    handover = page.getByRole('region', { name: 'Hand over' });
    await handover.getByLabel('To party').fill('supplier-a');
    await handover.getByLabel('Site (facility id or place)').fill('supplier-a van stock');
    await handover.getByRole('button', { name: 'Hand over' }).click();
    await handover
      .getByRole('status')
      .getByText(/Handed to supplier-a at supplier-a van stock/)
      .waitFor();
    await page.close();
    page = supplierPage;
    await page.reload();
    await page.getByLabel('Device EUI').fill(EUI);
    await page.getByLabel('Device EUI').press('Enter');
    await page.getByTestId('line-state').getByText('in-stock').waitFor();

    // Reinstall at fleet-0f8f-p6 (another DNO region).
    const reinstall = page.getByRole('region', { name: 'Reinstall' });
    await reinstall.getByLabel('Premise').fill('fleet-0f8f-p6');
    await reinstall.getByRole('button', { name: 'Reinstall' }).click();
    await reinstall.getByRole('status').waitFor();
    await page.getByTestId('line-state').getByText('reinstalled').waitFor();
    await page.close();

    // The independent path: what the server holds, read with the demo key.
    const lines = (await (await fetch(`${server.base}/v1/return-lines?deviceEui=${EUI}`, { headers: KEY })).json()) as { lines: Array<Record<string, unknown>> };
    assert.equal(lines.lines.length, 1);
    const l = lines.lines[0]!;
    assert.equal(l.state, 'reinstalled');
    assert.equal(l.outcome, 'no-fault-found');
    assert.equal(l.grade, 'A');
    assert.equal(l.stockLocation, 'bay 3');
    assert.equal(l.triageCount, 1, 'the refused passes changed nothing');
    assert.equal(l.site, 'supplier-a van stock');
    const shown = (await (await fetch(`${server.base}/v1/return-lines/${String(l.id)}`, { headers: KEY })).json()) as {
      history: Array<{ kind: string; details: Record<string, unknown> }>;
    };
    assert.deepEqual(
      shown.history.map((e) => e.kind),
      ['returned', 'custody', 'custody', 'triage', 'refurbish', 'stock', 'custody', 'reinstall'],
    );
    const custody = shown.history.filter((e) => e.kind === 'custody');
    assert.deepEqual(
      custody.map((e) => [e.details.to, e.details.site, e.details.seals]),
      [
        ['supplier-a', 'alpha-lab', [{ id: 'S1', intact: true }]],
        ['mfr-a', 'acme-works', [{ id: 'S1', intact: true }]],
        ['supplier-a', 'supplier-a van stock', []],
      ],
    );
    const pass = shown.history.find((e) => e.kind === 'triage')!;
    assert.equal(pass.details.method, 'gold');
    assert.equal(pass.details.facility, 'acme-works');
    assert.deepEqual(pass.details.governance, { setting: 'governance.triage.smets2', extension: false });
    const device = (await (await fetch(`${server.base}/v1/devices/${EUI}`, { headers: KEY })).json()) as Record<string, unknown>;
    assert.equal(device.assetStatus, 'installed');
    assert.equal(device.premiseId, 'fleet-0f8f-p6');
  });
});
