import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

/** A port nothing listens on now: the system picks it, rather than a random guess. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('meterops serve', () => {
  it('serves, then on SIGTERM finishes, closes the database, releases the lock and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meterops-serve-'));
    const port = await freePort();
    let child: ReturnType<typeof spawn> | undefined;
    try {
      child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve', '--no-demo', '--port', String(port), '--data-dir', dir], {
        env: { ...process.env, METEROPS_DATABASE_URL: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout!.on('data', (d) => (out += d));
      child.stderr!.on('data', (d) => (out += d));
      const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
      let gone = false;
      void exited.then(() => (gone = true));
      // Up to 180 s while the server lives: on this 2-core machine under a load of 15-20, starting
      // tsx and a fresh PGlite data directory (initdb, migrations) took more than 90 s.
      for (let i = 0; i < 900 && !gone && !out.includes('meterops is running'); i++) await new Promise((r) => setTimeout(r, 200));
      assert.match(out, /meterops is running/);
      const health = await fetch(`http://localhost:${port}/health`);
      assert.equal(health.status, 200);
      assert.ok(existsSync(join(dir, 'meterops.lock')), 'the data directory is locked while serving');
      child.kill('SIGTERM');
      assert.equal(await exited, 0, out);
      assert.match(out, /shutting down: finishing in-flight requests/);
      assert.match(out, /"msg":"stopped"/);
      assert.equal(existsSync(join(dir, 'meterops.lock')), false, 'the lock is released');
    } finally {
      // A failed assertion must not leave the server running: it would keep this test file alive.
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
