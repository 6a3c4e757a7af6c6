// `meterops serve` with the demo world, as `npm start` runs it (dist/, web pages included), on a
// fresh embedded data directory: what a new user's browser meets.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { freePort } from '../../support/served-fleet.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');

export interface DemoServer {
  readonly base: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts the demo on a fresh data directory; resolves when it is serving (up to 240 s on a loaded machine). */
export async function startDemo(env: Record<string, string> = {}): Promise<DemoServer> {
  if (!existsSync(join(ROOT, 'dist', 'web', 'index.html'))) throw new Error('dist/web is not built: run npm run build');
  const dir = mkdtempSync(join(tmpdir(), 'meterops-web-'));
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'meterops.js'), 'serve', '--data-dir', dir, '--port', String(port), '--host', '127.0.0.1'], {
    env: { ...process.env, METEROPS_DATABASE_URL: '', METEROPS_LOG_LEVEL: 'warn', METEROPS_RATE_LIMIT_PER_KEY: '1000000', METEROPS_RATE_LIMIT_PER_ADDRESS: '1000000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 2_400; i++) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`the demo server exited (${child.exitCode}) while starting:\n${out}`);
    }
    if (out.includes('meterops is running')) return { base: `http://127.0.0.1:${port}`, output: () => out, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`the demo server did not start in 240 s:\n${out}`);
}

/** Every demo person's password (src/world/seed-demo.ts; printed by `npm start`). */
export const DEMO_PASSWORD = 'demo-password';

/** Signs in through the sign-in page, as a person would, and waits for the app's frame. */
export async function signIn(page: Page, base: string, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByLabel('Username').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('who').waitFor();
}
