import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { freePort, needsServer, readerFolder, REPO, shellBlocks, startServer, type ShellBlock } from '../support/docs-runner.ts';
import { SKIP_DCCBOXED } from '../support/reference.ts';

/** Docs whose examples another test runs, with what it checks besides. */
const RUN_ELSEWHERE: Record<string, string> = {
  'docs/demo.md': 'test/docs/demo-walkthrough.test.ts',
  'docs/no-wan-options.md': 'test/no-wan-options/no-wan-options-docs.test.ts',
};

function docs(): string[] {
  return [
    'README.md',
    ...readdirSync(join(REPO, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => `docs/${f}`),
  ];
}

const all = (): ShellBlock[] => docs().flatMap((f) => shellBlocks(f, readFileSync(join(REPO, f), 'utf8')));

/**
 * The docs are the contract: every shell example in README.md and docs/*.md runs as written
 * against a fresh demo, in the order a reader meets them, in a folder beside the checkout (so
 * `../shared` is where the docs say). Examples that talk to the server run with it up; the others
 * use the embedded database, so they run with it stopped, as the README says. The only change to
 * a script is the server's port. An example that is not run says why, on the line above it.
 */
describe('every shell example in README.md and docs/*.md', () => {
  it('is run here, run by another test, or says why it is not run', () => {
    const blocks = all();
    assert.ok(blocks.length >= 20, `${blocks.length} examples found`);
    for (const b of blocks) {
      if (RUN_ELSEWHERE[b.file]) assert.ok(existsSync(join(REPO, RUN_ELSEWHERE[b.file]!)), `${b.file} is run by ${RUN_ELSEWHERE[b.file]}`);
      if (b.notRun !== null) assert.ok(b.notRun.length >= 10, `${b.file}:${b.line} says why it is not run`);
    }
    const notRun = blocks.filter((b) => b.notRun !== null);
    assert.ok(notRun.length <= 4, `only a few examples are not run: ${notRun.map((b) => `${b.file}:${b.line} (${b.notRun})`).join('; ')}`);
  });

  it('runs as written against a fresh demo', { skip: SKIP_DCCBOXED, timeout: 1_500_000 }, async () => {
    const folder = readerFolder();
    const port = await freePort();
    const base = `http://localhost:${port}`;
    let server: Awaited<ReturnType<typeof startServer>> | undefined;
    try {
      for (const b of all()) {
        if (b.notRun !== null || RUN_ELSEWHERE[b.file]) continue;
        if (needsServer(b.script) && !server) server = await startServer(folder.dir, port);
        if (!needsServer(b.script) && server) {
          await server.stop();
          server = undefined;
        }
        // The first example that needs no server still needs the demo's data: seed it once.
        if (!server && !existsSync(join(folder.dir, 'data'))) await (await startServer(folder.dir, port)).stop();
        const r = spawnSync('bash', ['-euo', 'pipefail', '-c', b.script.replaceAll('http://localhost:8080', base)], {
          cwd: folder.dir,
          encoding: 'utf8',
          env: { ...process.env, METEROPS_SERVER: base, METEROPS_DATABASE_URL: '', METEROPS_LOG_LEVEL: 'warn' },
          timeout: 600_000,
        });
        assert.equal(
          r.status,
          0,
          `${b.file}:${b.line} failed (exit ${r.status}${r.signal ? `, ${r.signal}` : ''}):\n${b.script}\n--- stdout\n${r.stdout.slice(-3000)}\n--- stderr\n${r.stderr.slice(-3000)}${server ? `\n--- server\n${server.output().slice(-2000)}` : ''}`,
        );
      }
    } finally {
      await server?.stop();
      folder.remove();
    }
  });
});
