// npm run screenshots: a PNG of each page of the web app into docs/screenshots/, from a fresh demo
// server in Debian's Chromium. Each demo person signs in and every page of their menu is visited
// (the menu is what their roles allow), each page once, by the first person whose menu has it;
// the HHT app is taken at a phone's size. Names are PERSON--PAGE.png. Needs a build (npm install makes one; else npm run build).
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumSkip, launchChromium } from '../test/web/support/browser.ts';
import { DEMO_PASSWORD, startDemo } from '../test/web/support/demo-server.ts';

if (chromiumSkip) {
  console.error(`screenshots: ${chromiumSkip}`);
  process.exit(2);
}
// Who is photographed: a supplier's operator and its approver, a network operator, the DCC, and
// an administrator where the demo has one (skipped, with a note, where it has not).
const PEOPLE = (process.env.SCREENSHOT_PEOPLE ?? 'alice.supplier-a,bob.supplier-a,alice.dno-10,bob.dcc,carol.dcc').split(',');
const out = join('docs', 'screenshots');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

const server = await startDemo();
const browser = await launchChromium();
let written = 0;
const shot = new Set<string>();
try {
  for (const person of PEOPLE) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const signedIn = await context.request.post(`${server.base}/v1/sessions`, { data: { username: person, password: DEMO_PASSWORD } });
    if (signedIn.status() !== 201) {
      console.log(`  ${person}: not a demo person here (sign-in answered ${signedIn.status()}): skipped`);
      await context.close();
      continue;
    }
    const page = await context.newPage();
    // The CSRF token the sign-in answered, where the app keeps it, so pages that change things work.
    const { csrfToken } = (await signedIn.json()) as { csrfToken: string };
    await page.goto(`${server.base}/`);
    await page.evaluate((t) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('meterops.csrf', t), csrfToken);
    await page.getByTestId('who').waitFor();
    const shoot = async (name: string) => {
      await page.waitForLoadState('networkidle');
      // Until the page's data (and a lazy chunk, such as the dashboards' charts) has come.
      await page
        .waitForFunction(() => !(globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector('[role="status"]'), undefined, {
          timeout: 20_000,
        })
        .catch(() => console.log(`  ${person}: ${name} still loading after 20 s; taken as it is`));
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(out, `${slug(person)}--${name}.png`), fullPage: true });
      written++;
    };
    await shoot('home');
    const links = await page.locator('nav a[href*="#/"]').evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href')!, label: (a.textContent ?? '').trim() })));
    for (const l of links) {
      // Each page once, by the first person whose menu has it (the menus overlap).
      if (shot.has(l.href)) continue;
      shot.add(l.href);
      await page.goto(`${server.base}/${l.href}`);
      await page.locator('main').waitFor();
      await shoot(slug(l.label) || slug(l.href));
    }
    console.log(`  ${person}: ${links.length} pages in the menu`);
    await context.close();
  }
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const hht = await phone.newPage();
  await hht.goto(`${server.base}/hht/`);
  await hht.waitForLoadState('networkidle');
  await hht.screenshot({ path: join(out, 'hht--start.png'), fullPage: true });
  written++;
  await phone.close();
  console.log(`screenshots: ${written} PNGs written to ${out}/`);
} finally {
  await browser.close();
  await server.stop();
}
