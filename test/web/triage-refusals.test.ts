// The triage bench's other refusals, each shown in place with the server's reason, on a fresh demo,
// with the demo's return ESME: as alice.supplier-a, triage at supplier-a's stores `alpha-stores`
// (registered, but not secure: docs/demo.md) is refused, and at its secure lab alpha-lab too, since
// SMETS2 is the manufacturer's to triage ("under current governance for SMETS2, performing triage by
// anyone other than manufacturers, would not be possible"); as alice.mfr-a, after a pass at
// acme-works and a hand-over that finds the seal broken, refurbishment without new seal numbers is
// refused; with the device in the manufacturer's custody, supplier-a's triage is refused (not the custodian).
// What the server then holds is read back with the demo API key: none of the refusals changed it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { assertAccessible, chromiumSkip, launchChromium } from './support/browser.ts';
import { signIn, startDemo, type DemoServer } from './support/demo-server.ts';

const EUI = '0F8F000000000002';
const KEY = { authorization: 'Bearer demo-supplier-a-key' };

describe('the triage bench refusals', { skip: chromiumSkip }, () => {
  let server: DemoServer;
  let browser: Browser;
  before(async () => {
    [server, browser] = await Promise.all([startDemo(), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Hands the line over through the form, and waits for the custody chain to show it. */
  const handOver = async (page: Page, to: string, site: string, seal: { id: string; intact: boolean }, custodyRows: number) => {
    const form = page.getByRole('region', { name: 'Hand over' });
    await form.getByLabel('To party').fill(to);
    await form.getByLabel('Site (facility id or place)').fill(site);
    await form.getByLabel('Seal number 1').fill(seal.id);
    await form.getByLabel('Seal 1 intact').setChecked(seal.intact);
    await form.getByRole('button', { name: 'Hand over' }).click();
    await page
      .getByTestId('custody')
      .locator('tbody tr')
      .nth(custodyRows - 1)
      .waitFor();
    await page.locator('[data-testid="custodian"]', { hasText: new RegExp(`^${to}$`) }).waitFor();
  };
  /** The refusal shown in a section: its status, rule and the server's reason, all in place. */
  const refusalIn = async (section: Locator, status: number, rule: string, reason: RegExp) => {
    const problem = section.getByTestId('problem');
    await problem.getByText(new RegExp(`rule ${rule}`)).waitFor();
    const text = await problem.innerText();
    assert.match(text, new RegExp(`Refused \\(${status}\\)`));
    assert.match(text, reason);
    return text;
  };

  it('shows not a secure facility, not a party that may triage SMETS2, seals broken and not the custodian in place, with their reasons', async () => {
    const page = await browser.newPage();
    await signIn(page, server.base, 'alice.supplier-a');
    await page.goto(`${server.base}/#/triage/${EUI}`);
    await page.getByTestId('device').waitFor();
    await page.getByRole('region', { name: 'Create a return' }).getByRole('button', { name: 'Create return' }).click();
    await page.getByTestId('return-line').waitFor();

    // 1. Not a secure facility: handed to supplier-a's stores, triage there is refused.
    await handOver(page, 'supplier-a', 'alpha-stores', { id: 'S1', intact: true }, 1);
    const triage = page.getByRole('region', { name: 'Triage on the bench' });
    await triage.getByLabel('Facility').selectOption('alpha-stores');
    assert.match(await triage.getByLabel('Facility').locator('option:checked').innerText(), /alpha-stores: .*\(not secure\)/);
    await triage.getByRole('button', { name: 'Run triage' }).click();
    const insecure = await refusalIn(triage, 403, 'secure-facility', /only at a registered secure facility.*alpha-stores is not registered as secure/);
    assert.match(insecure, /field facilityId/);
    await assertAccessible(page, 'the bench refusing a facility that is not secure');

    // 2. Not a party that may triage SMETS2: at supplier-a's secure lab, its own pass is refused.
    await handOver(page, 'supplier-a', 'alpha-lab', { id: 'S1', intact: true }, 2);
    await triage.getByLabel('Facility').selectOption('alpha-lab');
    await triage.getByRole('button', { name: 'Run triage' }).click();
    const governed = await refusalIn(
      triage,
      403,
      'triage-governance',
      /governance\.triage\.smets2 \(METEROPS_GOVERNANCE\) lets only manufacturer triage 0F8F000000000002.*under current governance for SMETS2, performing triage by anyone other than manufacturers, would not be possible/s,
    );
    assert.match(governed, /field lineId/);
    await assertAccessible(page, 'the bench refusing a party governance does not let triage SMETS2');

    // 3. Seals broken: handed to the manufacturer, a pass at acme-works (no fault found), then a
    // hand-over that finds seal S1 broken; refurbishing without new seal numbers is refused.
    await handOver(page, 'mfr-a', 'acme-works', { id: 'S1', intact: true }, 3);
    const maker = await browser.newPage();
    await signIn(maker, server.base, 'alice.mfr-a');
    await maker.goto(`${server.base}/#/triage/${EUI}`);
    await maker.getByTestId('return-line').waitFor();
    const works = maker.getByRole('region', { name: 'Triage on the bench' });
    await works.getByLabel('Facility').selectOption('acme-works');
    await works.getByRole('button', { name: 'Run triage' }).click();
    await works.getByTestId('triage-outcome').waitFor();
    assert.match(await works.getByTestId('triage-outcome').innerText(), /no-fault-found/);
    await handOver(maker, 'mfr-a', 'acme-works', { id: 'S1', intact: false }, 4);
    await maker.getByTestId('custody').getByText('S1 BROKEN').waitFor();
    const refurbish = maker.getByRole('region', { name: 'Refurbish' });
    await refurbish.getByLabel('Stock location').fill('bay 3');
    await refurbish.getByLabel('New seal numbers (if the seals are broken)').fill('');
    await refurbish.getByRole('button', { name: 'Refurbish' }).click();
    const broken = await refusalIn(refurbish, 422, 'reseal-required', /tamper seals are broken: re-use mandates re-sealing/);
    assert.match(broken, /field newSeals/);
    await assertAccessible(maker, 'the bench refusing to refurbish with broken seals');
    await maker.close();

    // 4. Not the custodian: with the manufacturer at its works, supplier-a's triage is refused.
    await triage.getByLabel('Facility').selectOption('alpha-lab');
    await triage.getByRole('button', { name: 'Run triage' }).click();
    const custody = await refusalIn(triage, 403, 'custody', /in the custody of mfr-a, not supplier-a/);
    assert.match(custody, /field lineId/);
    await assertAccessible(page, 'the bench refusing a party that is not the custodian');
    await page.close();

    // The independent path: the refusals changed nothing the server holds.
    const lines = (await (await fetch(`${server.base}/v1/return-lines?deviceEui=${EUI}`, { headers: KEY })).json()) as { lines: Array<Record<string, unknown>> };
    assert.equal(lines.lines.length, 1);
    const l = lines.lines[0]!;
    assert.deepEqual(
      [l.state, l.outcome, l.triageCount, l.sealsIntact, l.custodianPartyId, l.site, l.stockLocation],
      ['triaged', 'no-fault-found', 1, false, 'mfr-a', 'acme-works', null],
    );
    const shown = (await (await fetch(`${server.base}/v1/return-lines/${String(l.id)}`, { headers: KEY })).json()) as { history: Array<{ kind: string }> };
    assert.deepEqual(
      shown.history.map((e) => e.kind),
      ['returned', 'custody', 'custody', 'custody', 'triage', 'custody'],
    );
  });
});
