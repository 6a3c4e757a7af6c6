// The security officer's journey in the web app (docs/web-security.md): a vulnerability recorded
// (refused first, naming the field it lacks), its duties seen with their deadlines and the overdue
// one, one closed with evidence; a held request whose maker is refused its release (two-person
// rule), released by bob, the second person; the audit page checking an inclusion proof in the
// browser and reporting a tampered copy as not verifying. Each step is checked through the API with
// a demo key, and the browser's verdicts against the server's own checker and verify endpoint. Each
// page passes axe's WCAG A/AA rules with no serious or critical violation.
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { checkInclusionProof, type InclusionProofJson } from '../../src/domain/audit-proof.ts';
import { assertAccessible, chromiumSkip, launchChromium } from './support/browser.ts';
import { signIn, startDemo, type DemoServer } from './support/demo-server.ts';

const KEY = { authorization: 'Bearer demo-supplier-a-key' };
const DANA_PASSWORD = 'dana-password-for-tests';

async function getJson<T>(base: string, path: string, headers: Record<string, string> = KEY): Promise<T> {
  const res = await fetch(`${base}${path}`, { headers });
  assert.equal(res.status, 200, `GET ${path}: ${res.status} ${await res.clone().text()}`);
  return (await res.json()) as T;
}

interface Duty {
  id: string;
  duty: string;
  state: string;
  evidence: string | null;
  closedBy: string | null;
  deadline: string;
}

describe('the security officer in the web app', { skip: chromiumSkip }, () => {
  let server: DemoServer;
  let browser: Browser;
  before(async () => {
    // The SSC notice due at once, so that a fresh vulnerability has an overdue duty to show.
    [server, browser] = await Promise.all([startDemo({ METEROPS_DUTY_SLA_DAYS: '{"notify_ssc":0}' }), launchChromium()]);
    // Dana, operator and approver of supplier-a, added by its administrator carol over HTTP: a
    // person who could release requests, but not the ones she made herself.
    const s = await fetch(`${server.base}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'carol.supplier-a', password: 'demo-password' }),
    });
    assert.equal(s.status, 201, await s.clone().text());
    const cookie = s.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await s.json()) as { csrfToken: string };
    const u = await fetch(`${server.base}/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ username: 'dana.supplier-a', name: 'Dana (supplier-a, operations and approvals)', roles: ['operator', 'approver'], password: DANA_PASSWORD }),
    });
    assert.equal(u.status, 201, await u.clone().text());
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('records a vulnerability, shows its duties with deadlines and the overdue one, and closes one with evidence', async () => {
    const page = await browser.newPage();
    await signIn(page, server.base, 'alice.supplier-a');
    await page.goto(`${server.base}/#/security/vulnerabilities`);
    await page.getByRole('heading', { name: 'Vulnerabilities and duties' }).waitFor();
    await page.getByTestId('obligations-summary').waitFor();
    await assertAccessible(page, 'the vulnerabilities page');

    await page.getByLabel(/^Title/).fill('Keypad buffer overflow (web)');
    await page.getByLabel(/^Manufacturer/).fill('Acme Metering');
    await page.getByRole('combobox', { name: 'Models' }).fill('E470');
    await page.getByRole('combobox', { name: 'Models' }).press('Enter');
    // Aware now: each duty runs from its party's own awareness, so only the SSC notice (due at once) is late.
    await page.getByLabel(/^Became aware at/).fill(new Date().toISOString().slice(0, 16));
    await page.getByRole('button', { name: 'Record vulnerability' }).click();
    // The server's refusal, in place, naming the field: a meter vulnerability names its device types.
    const refusal = page.getByRole('alert').filter({ hasText: 'deviceTypes' });
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /422[\s\S]*field deviceTypes/);

    await page.getByRole('combobox', { name: 'Device types' }).fill('ESM');
    await page.getByRole('option', { name: 'ESME' }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Record vulnerability' }).click();
    const recorded = page.getByTestId('recorded');
    await recorded.waitFor();
    const vulnerabilityId = /Recorded (\S+):/.exec(await recorded.innerText())![1]!;

    // The duties the server raised, as the page shows them: filtered to this vulnerability.
    const duties = (await getJson<{ duties: Duty[] }>(server.base, `/v1/duties?vulnerabilityId=${vulnerabilityId}`)).duties;
    assert.ok(duties.length >= 3, `duties of ${vulnerabilityId}: ${duties.map((d) => d.duty).join(', ')}`);
    const overdue = (await getJson<{ duties: Duty[] }>(server.base, `/v1/duties?overdue=true&vulnerabilityId=${vulnerabilityId}`)).duties;
    const ssc = duties.find((d) => d.duty === 'notify_ssc')!;
    assert.deepEqual(
      overdue.map((d) => d.id),
      [ssc.id],
      'the SSC notice (due at once) is the one overdue',
    );
    await page.getByLabel('Vulnerability id').fill(vulnerabilityId);
    for (const d of duties) await page.getByTestId(`duty-${d.id}`).waitFor();
    assert.equal(await page.getByTestId('duties').locator('tbody tr').count(), duties.length);
    const sscRow = page.getByTestId(`duty-${ssc.id}`);
    assert.match(await sscRow.innerText(), /overdue/i);
    assert.match(await sscRow.innerText(), /UTC/, 'its deadline is shown');
    const other = duties.find((d) => d.id !== ssc.id)!;
    assert.doesNotMatch(await page.getByTestId(`duty-${other.id}`).innerText(), /overdue/i);
    // Overdue only: the server's filter, one row.
    await page.getByLabel('Overdue only').check();
    await page.getByTestId(`duty-${other.id}`).waitFor({ state: 'detached' });
    await sscRow.waitFor(); // the filtered page has loaded
    assert.equal(await page.getByTestId('duties').locator('tbody tr').count(), 1);
    await page.getByLabel('Overdue only').uncheck();
    await sscRow.waitFor();

    await sscRow.getByRole('textbox', { name: /^Evidence for/ }).fill('Emailed the SSC, ref 4711');
    // G3.18(c): "the steps being taken ... and the time within which those steps are intended to be completed".
    await sscRow.getByRole('textbox', { name: /^Steps for/ }).fill('Keypad firmware 2.1 to every E470');
    await sscRow.getByLabel(/^Steps complete by \(UTC\) for/).fill('2027-01-31T12:00');
    await sscRow.getByRole('button', { name: /^Mark done: / }).click();
    await sscRow.filter({ hasText: 'Emailed the SSC, ref 4711' }).waitFor();
    assert.match(await sscRow.innerText(), /done/i);
    await assertAccessible(page, 'the vulnerabilities page with its duties');

    // What the server now holds: the duty done, with the evidence and who closed it.
    const after = (await getJson<{ duties: Duty[] }>(server.base, `/v1/duties?vulnerabilityId=${vulnerabilityId}&state=done`)).duties;
    assert.deepEqual(
      after.map((d) => [d.id, d.evidence, d.closedBy]),
      [[ssc.id, 'Emailed the SSC, ref 4711', 'supplier-a']], // closedBy is the party (the server records no person)
    );
    assert.equal((await getJson<{ duties: Duty[] }>(server.base, `/v1/duties?overdue=true&vulnerabilityId=${vulnerabilityId}`)).duties.length, 0);
    await page.close();
  });

  it('refuses the release to the person who made the held request, and releases it as bob, the second person', async () => {
    // The volume check's limit (50 supply disablements an hour): reached with the demo key.
    for (let i = 0; i < 50; i++) {
      const r = await fetch(`${server.base}/v1/command-requests`, {
        method: 'POST',
        headers: { ...KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ commandType: 'disable_supply', target: '0F8F000000000022' }),
      });
      assert.equal(r.status, 201);
    }
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, server.base, 'dana.supplier-a', DANA_PASSWORD);
    await page.goto(`${server.base}/#/security/held-requests`);
    await page.getByRole('heading', { name: 'Held requests', level: 1 }).waitFor();
    await page.getByText('No requests match.').waitFor();
    await assertAccessible(page, 'the held requests page');
    await page.getByLabel('Target').fill('0F8F000000000022');
    await page.getByRole('button', { name: 'Send request' }).click();
    const sent = page.getByTestId('sent');
    await sent.waitFor();
    const [, id, status] = /Request (\d+): (\w+)/.exec(await sent.innerText())!;
    assert.equal(status, 'held');
    await page.getByTestId(`request-${id}`).waitFor();
    assert.match(await page.getByTestId(`request-${id}`).innerText(), /dana\.supplier-a[\s\S]*held/i);

    // Dana is an approver, but she made the held request: the server refuses, and the page says why.
    await page.getByRole('button', { name: 'Release held requests' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'Not released' });
    await refused.waitFor();
    assert.match(await refused.innerText(), /403[\s\S]*rule two-person-release/);
    assert.match(await refused.innerText(), /second person/);
    const stillHeld = await getJson<{ requests: Array<{ id: number }> }>(server.base, '/v1/command-requests?status=held');
    assert.deepEqual(
      stillHeld.requests.map((r) => r.id),
      [Number(id)],
    );
    await assertAccessible(page, 'the held requests page with a refusal');
    await page.getByRole('button', { name: 'Sign out' }).click();

    await signIn(page, server.base, 'bob.supplier-a');
    await page.goto(`${server.base}/#/security/held-requests`);
    await page.getByTestId(`request-${id}`).waitFor();
    await page.getByRole('button', { name: 'Release held requests' }).click();
    const released = page.getByTestId('released');
    await released.waitFor();
    assert.match(await released.innerText(), /Released 1 held disable supply requests/);
    await page.getByText('No requests match.').waitFor();

    const done = await getJson<{ requests: Array<{ id: number; requestedBy: string; releasedBy: string | null }> }>(server.base, '/v1/command-requests?status=released');
    assert.deepEqual(
      done.requests.map((r) => [r.id, r.requestedBy, r.releasedBy]),
      [[Number(id), 'dana.supplier-a', 'bob.supplier-a']],
    );
    await context.close();
  });

  it('checks an inclusion proof and the signed head in the browser, and reports a tampered proof as not verifying', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, server.base, 'bob.supplier-a');
    await page.goto(`${server.base}/#/security/audit`);
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    const headVerdict = page.getByTestId('head-verdict');
    await headVerdict.waitFor();
    assert.match(await headVerdict.innerText(), /Verified in this browser[\s\S]*signed by the log's key/);
    await page.getByTestId('audit-entries').waitFor();
    await assertAccessible(page, 'the audit page');

    // An entry of supplier-a already in the signed tree (the first rows are the demo's seeding).
    const entries = (await getJson<{ entries: Array<{ id: number; leafIndex: number | null }> }>(server.base, '/v1/audit/entries?limit=25')).entries;
    const entry = entries.find((e) => e.leafIndex !== null)!;
    const row = page.getByTestId(`entry-${entry.id}`);
    await row.getByRole('button', { name: `Check proof of entry ${entry.id}` }).click();
    const verdict = page.getByTestId(`proof-verdict-${entry.id}`);
    await verdict.waitFor();
    const good = await verdict.innerText();
    assert.match(good, new RegExp(`Verified in this browser[\\s\\S]*entry ${entry.id} is leaf ${entry.leafIndex} of the signed tree`));

    // The server's own checker agrees on the same proof and key, and its verify endpoint finds the log intact.
    const proof = await getJson<InclusionProofJson>(server.base, `/v1/audit/entries/${entry.id}/inclusion`);
    const { publicKey } = await getJson<{ publicKey: string }>(server.base, '/v1/audit/key');
    const key = createPublicKey(publicKey);
    assert.equal(checkInclusionProof(proof, key).valid, true);
    const verify = await getJson<{ valid: boolean; problemCount: number }>(server.base, '/v1/audit/verify', { authorization: 'Bearer demo-dcc-key' });
    assert.deepEqual([verify.valid, verify.problemCount], [true, 0]);

    // A tampered copy: the page's check fails, as the server's checker does on the same edit.
    await page.getByLabel(/Tamper with the proof/).check();
    await row.getByRole('button', { name: `Check proof of entry ${entry.id}` }).click();
    await verdict.filter({ hasText: 'Tampered copy' }).waitFor();
    const bad = await verdict.innerText();
    assert.match(bad, /Does not verify[\s\S]*Tampered copy: entry \d+ is not leaf \d+ of the signed tree[\s\S]*does not lead to the signed root/);
    const edited = { ...proof, entry: { ...proof.entry, details: proof.entry.details.replace(/^\{/, '{"tampered":true,').replace(/,\}$/, '}') } };
    assert.equal(checkInclusionProof(edited, key).valid, false);
    await assertAccessible(page, 'the audit page with a failed check');

    // Alice holds no audit.read: the page is not in her menu, and the server refuses the entries.
    const alice = await browser.newContext();
    const ap = await alice.newPage();
    await signIn(ap, server.base, 'alice.supplier-a');
    assert.equal(await ap.getByRole('link', { name: 'Audit log and proofs' }).count(), 0);
    await ap.goto(`${server.base}/#/security/audit`);
    const no = ap.getByRole('alert').first();
    await no.waitFor();
    assert.match(await no.innerText(), /403/);
    await alice.close();
    await context.close();
  });
});
