import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

describe('meterops serve', () => {
  it('serves, then on SIGTERM finishes, closes the database, releases the lock and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meterops-serve-'));
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    let child: ReturnType<typeof spawn> | undefined;
    try {
      child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve', '--no-demo', '--port', String(port), '--data-dir', dir], {
        env: { ...process.env, METEROPS_DATABASE_URL: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      const proc = child;
      proc.stdout!.on('data', (d) => (out += d));
      proc.stderr!.on('data', (d) => (out += d));
      const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
      // Up to 60 s to start: a loaded CI machine compiles the sources first.
      for (let i = 0; i < 300 && !out.includes('meterops is running'); i++) await new Promise((r) => setTimeout(r, 200));
      assert.match(out, /meterops is running/);
      const health = await fetch(`http://localhost:${port}/health`);
      assert.equal(health.status, 200);
      assert.ok(existsSync(join(dir, 'meterops.lock')), 'the data directory is locked while serving');
      proc.kill('SIGTERM');
      assert.equal(await exited, 0, out);
      assert.match(out, /shutting down: finishing in-flight requests/);
      assert.match(out, /"msg":"stopped"/);
      assert.equal(existsSync(join(dir, 'meterops.lock')), false, 'the lock is released');
    } finally {
      // A failed assertion must not leave the server running: it would hold the test process open.
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
