// The dashboards in the web app: first the designed empty state of a demo with no returns; then,
// after returns made through the API (one triaged no-fault-found by the manufacturer and refurbished, as docs/demo.md
// section 4 does, and one change-of-supplier return, also triaged), the charts render (an ECharts
// canvas each, with its accessible name) and the figures beside them are the API's own report,
// fetched independently by the test, with and without change-of-supplier returns; the page picks
// the new figures up by itself (it refreshes every 30 s), says when it last did, and can be paused.
// supplier-b's seeded stock (two bays of beta-lab) shows by stock location. axe on the page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { assertAccessible, chromiumSkip, launchChromium } from './support/browser.ts';
import { signIn, startDemo, type DemoServer } from './support/demo-server.ts';

const KEY = 'demo-supplier-a-key';

interface Group {
  key: string;
  nffRate: number | null;
  vanilla: number;
  regionLocked: number;
}
interface Report {
  overall: Group & { returns: number };
  by: Record<string, Group[]>;
  money: Record<string, number | null>;
  stockLocations: { withVanilla: number; regionLocked: number };
  stockByLocation: {
    limit: number;
    total: number;
    locations: Array<{ location: string | null; inStock: number; vanilla: number; regionLocked: number; deviceTypes: Array<{ deviceType: string }> }>;
  };
}

describe('the dashboards in the web app', { skip: chromiumSkip }, () => {
  let server: DemoServer;
  let browser: Browser;
  let page: Page;
  const call = async <T>(path: string, body?: unknown, key = KEY): Promise<T> => {
    const res = await fetch(`${server.base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    assert.ok(res.ok, `${path}: ${res.status} ${await res.clone().text()}`);
    return (await res.json()) as T;
  };
  /** A return of one device, handed to the manufacturer at acme-works (SMETS2 is the manufacturer's to triage), triaged there (gold); refurbished when asked. */
  const returnAndTriage = async (deviceEui: string, reason: string, refurbish: boolean) => {
    const r = await call<{ lines: Array<{ id: string }> }>('/v1/returns', { lines: [{ deviceEui, reason }] });
    const line = r.lines[0]!.id;
    await call(`/v1/return-lines/${line}/handover`, { toPartyId: 'mfr-a', site: 'acme-works', seals: [{ id: `S-${deviceEui}`, intact: true }] });
    await call(`/v1/return-lines/${line}/triage`, { facilityId: 'acme-works', method: 'gold' }, 'demo-mfr-a-key');
    if (refurbish) await call(`/v1/return-lines/${line}/refurbish`, { grade: 'A', location: 'bay 3' }, 'demo-mfr-a-key');
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

  it('shows the designed empty state while the demo has no returns', async () => {
    await page.goto(`${server.base}/#/dashboards/returns`);
    await page.getByRole('heading', { name: 'Returns dashboard' }).waitFor();
    await page.getByText(/^No returns yet/).waitFor();
    await page.getByText(/^No return orders yet/).waitFor();
    assert.equal(await page.locator('canvas').count(), 0);
    await page.locator('[data-testid="updated"]', { hasText: /^Updated \d\d:\d\d:\d\d; refreshes every 30 s while this tab is shown\.$/ }).waitFor();
    assert.equal((await call<Report>('/v1/reports/returns')).overall.returns, 0);
    await assertAccessible(page, 'the empty returns dashboard');
  });

  it('renders the charts with the figures of the API report, with and without change-of-supplier returns', async () => {
    await returnAndTriage('0F8F000000000002', 'no-fault-general', true);
    const premises = await call<{ premises: Array<{ id: string }> }>('/v1/premises?limit=5');
    const elsewhere = premises.premises.find((p) => p.id !== 'fleet-0f8f-p0')!.id;
    const premise = await call<{ installations: Array<{ deviceEui: string; hubEui: string | null }> }>(`/v1/premises/${elsewhere}`);
    const other = premise.installations.find((i) => i.hubEui !== null)!.deviceEui;
    await returnAndTriage(other, 'change-of-supplier', false);
    const [all, withoutCos] = await Promise.all([call<Report>('/v1/reports/returns'), call<Report>('/v1/reports/returns?excludeChangeOfSupplier=true')]);
    assert.equal(all.overall.returns, 2);

    // No reload: the dashboard asks again within 30 s, and says when it last did.
    const before = await page.locator('[data-testid="updated"] time').getAttribute('datetime');
    await page.getByTestId('overall').waitFor({ timeout: 45_000 });
    assert.ok(((await page.locator('[data-testid="updated"] time').getAttribute('datetime')) ?? '') > (before ?? ''), 'updated moved on');
    await page.getByTestId('returns-over-time').waitFor();
    // Every chart draws on a canvas, and each has its accessible name.
    const charts = page.getByTestId('chart');
    const n = await charts.count();
    // One NFF chart per dimension the API report has (eight: model to age in service).
    assert.equal(n, Object.keys(all.by).length + 3 + 1, 'an NFF chart per dimension, costs, stock by device type and by location, returns over time');
    assert.equal(Object.keys(all.by).length, 8);
    for (let i = 0; i < n; i++) {
      assert.equal(await charts.nth(i).locator('canvas').count(), 1, `chart ${i} has a canvas`);
      assert.ok(((await charts.nth(i).getAttribute('aria-label')) ?? '').length > 10);
    }
    await page.getByRole('img', { name: /no-fault-found rate by SMETS generation/ }).waitFor();

    const rate = (r: number | null) => (r === null ? 'not triaged' : `${r}%`);
    assert.match(
      await page.getByTestId('overall').innerText(),
      new RegExp(`NFF rate ${rate(all.overall.nffRate)}; without change-of-supplier returns ${rate(withoutCos.overall.nffRate)}`),
    );
    for (const dim of ['model', 'manufacturer', 'party', 'reason', 'smets_generation', 'device_type', 'found', 'age_in_service']) {
      const rows = page.locator(`[data-testid="nff-table-${dim}"] tbody tr`);
      assert.equal(await rows.count(), all.by[dim]!.length, dim);
      for (const g of all.by[dim]!) {
        const row = page.locator(`[data-testid="nff-table-${dim}"] tbody tr[data-key="${g.key}"]`);
        assert.equal(await row.locator('[data-cell="nffRate"]').innerText(), rate(g.nffRate), `${dim} ${g.key}`);
        const o = withoutCos.by[dim]!.find((x) => x.key === g.key);
        assert.equal(await row.locator('[data-cell="nffRateWithoutCos"]').innerText(), o ? rate(o.nffRate) : 'only change of supplier', `${dim} ${g.key} without CoS`);
      }
    }
    // The change-of-supplier reason is in the first figures only.
    assert.ok(all.by.reason!.some((g) => g.key === 'change-of-supplier'));
    assert.ok(!withoutCos.by.reason!.some((g) => g.key === 'change-of-supplier'));

    for (const [label, key] of [
      ['testing', 'testPence'],
      ['refurbishing', 'refurbishPence'],
      ['scrapping', 'scrapPence'],
      ['logistics', 'logisticsPence'],
      ['avoided by refurbishing hubs', 'avoidedPence'],
    ] as const)
      assert.equal(await page.locator(`[data-testid="costs-table"] tr[data-key="${label}"] td`).getAttribute('data-pence'), String(all.money[key]), label);
    assert.equal(
      await page.getByTestId('stock-locations').innerText(),
      `Stock locations needed: ${all.stockLocations.withVanilla} with vanilla credentials, ${all.stockLocations.regionLocked} if region-locked.`,
    );
    for (const g of all.by.device_type!) {
      const cells = await page.locator(`[data-testid="stock-table"] tr[data-key="${g.key}"] td`).allInnerTexts();
      assert.deepEqual([cells[1], cells[2]], [String(g.vanilla), String(g.regionLocked)], g.key);
    }
    // Stock by location: supplier-a's refurbished ESME in bay 3, as the API counts it.
    assert.deepEqual(
      all.stockByLocation.locations.map((l) => [l.location, l.inStock, l.vanilla, l.regionLocked]),
      [['bay 3', 1, 1, 0]],
    );
    for (const l of all.stockByLocation.locations) {
      const cells = page.locator(`[data-testid="stock-by-location-table"] tr[data-location="${l.location}"]`);
      assert.deepEqual(
        [
          await cells.locator('[data-cell="inStock"]').innerText(),
          await cells.locator('[data-cell="vanilla"]').innerText(),
          await cells.locator('[data-cell="regionLocked"]').innerText(),
        ],
        [String(l.inStock), String(l.vanilla), String(l.regionLocked)],
      );
    }
    // Returns over time: both orders, on the day they were made.
    const orders = await call<{ returns: Array<{ createdAt: string }> }>('/v1/returns?limit=500');
    const total = (await page.locator('[data-testid="returns-over-time-table"] tbody td').allInnerTexts()).reduce((s, x) => s + Number(x), 0);
    assert.equal(total, orders.returns.length);
    await assertAccessible(page, 'the returns dashboard');
  });

  it('pauses and resumes the refresh, and keeps the figures while paused', async () => {
    const toggle = page.getByTestId('refresh-toggle');
    await toggle.click();
    await page.locator('[data-testid="updated"]', { hasText: /refresh paused\.$/ }).waitFor();
    assert.equal(await toggle.innerText(), 'Resume refresh');
    const at = await page.locator('[data-testid="updated"] time').getAttribute('datetime');
    await page.waitForTimeout(1_000);
    assert.equal(await page.locator('[data-testid="updated"] time').getAttribute('datetime'), at);
    await assertAccessible(page, 'the paused returns dashboard');
    await toggle.click();
    assert.equal(await toggle.innerText(), 'Pause refresh');
    await page.locator('[data-testid="updated"]', { hasText: /refreshes every 30 s/ }).waitFor();
  });

  it("shows supplier-b's seeded stock at its two stock locations, with the API's figures", async () => {
    const b = await browser.newPage();
    await signIn(b, server.base, 'alice.supplier-b');
    await b.goto(`${server.base}/#/dashboards/returns`);
    const table = b.getByTestId('stock-by-location-table');
    await table.waitFor();
    const r = await call<Report>('/v1/reports/returns', undefined, 'demo-supplier-b-key');
    assert.ok(r.stockByLocation.locations.length >= 2, 'the demo has stock in more than one location');
    const shown = await table.locator('tbody tr').evaluateAll((rows) => rows.map((x) => x.getAttribute('data-location')));
    assert.deepEqual(
      shown,
      r.stockByLocation.locations.map((l) => l.location),
    );
    for (const l of r.stockByLocation.locations) {
      const row = table.locator(`tr[data-location="${l.location}"]`);
      assert.equal(await row.locator('[data-cell="inStock"]').innerText(), String(l.inStock));
      assert.equal(await row.locator('[data-cell="vanilla"]').innerText(), String(l.vanilla));
      assert.equal(await row.locator('[data-cell="regionLocked"]').innerText(), String(l.regionLocked));
      assert.match(await row.locator('[data-cell="types"]').innerText(), new RegExp(`^${l.deviceTypes[0]!.deviceType} `));
    }
    await b.getByRole('img', { name: /devices in stock at each stock location/ }).waitFor();
    await assertAccessible(b, "supplier-b's returns dashboard");
    await b.close();
  });
  it('draws the response time distribution of each route against its target, with the figures of the API', async () => {
    await page.goto(`${server.base}/#/dashboards/response-times`);
    await page.getByRole('heading', { name: 'Response times per route' }).waitFor();
    await page.getByTestId('refresh-toggle').waitFor();
    await page.getByTestId('response-times-table').waitFor({ timeout: 60_000 });
    const api = await call<{
      simulated: Array<{ route: string; withinTarget: number | null; target: { seconds: number } | null; histogram: Array<{ count: number }>; samples: number }>;
    }>('/v1/reports/response-times');
    const routes = await page.locator('[data-testid="response-times-table"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-route')));
    assert.deepEqual(
      routes,
      api.simulated.map((r) => r.route),
    );
    for (const r of api.simulated) {
      const within = await page.locator(`[data-testid="response-times-table"] tr[data-route="${r.route}"] [data-cell="within"]`).innerText();
      assert.equal(within, r.withinTarget === null ? 'not confirmed' : `${r.withinTarget}%`, r.route);
      assert.equal(
        r.histogram.reduce((n, b) => n + b.count, 0),
        r.samples,
      );
      const card = page.getByTestId(`route-${r.route}`);
      assert.equal(await card.locator('canvas').count(), 1, `${r.route} has its histogram`);
      if (r.target && r.withinTarget !== null)
        assert.match(await card.getByTestId('route-summary').innerText(), new RegExp(`${r.withinTarget}% within the ${r.target.seconds} s target`));
    }
    assert.ok(api.simulated.some((r) => r.target?.seconds === 30) && api.simulated.some((r) => r.target?.seconds === 60));
    await page.getByRole('img', { name: /response times of the wan route/ }).waitFor();
    await assertAccessible(page, 'the response times dashboard');
  });
});
