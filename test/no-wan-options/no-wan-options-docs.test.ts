import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { describeAssumptions, resolveAssumptions } from '../../src/world/no-wan-options/assumptions.ts';
import { spawnSync } from 'node:child_process';
import { meterops } from '../support/cli.ts';
import { freePort, readerFolder, shellBlocks, startServer } from '../support/docs-runner.ts';

const doc = readFileSync('docs/no-wan-options.md', 'utf8');

describe('docs/no-wan-options.md', () => {
  it('shows the table exactly as the first command prints it today', async () => {
    const text = /```text\n([\s\S]*?)\n```/.exec(doc)?.[1];
    assert.ok(text, 'a text block with the report');
    const r = await meterops('report', 'no-wan-options');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trimEnd(), text);
  });

  it('every example runs as written', async () => {
    const sh = /```sh\n([\s\S]*?)\n```/.exec(doc)![1]!;
    const lines = sh.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim());
    assert.equal(lines.length, 4);
    for (const line of lines.slice(1)) {
      const [npx, bin, ...args] = line.split(/\s+/);
      assert.deepEqual([npx, bin], ['npx', 'meterops'], line);
      const r = await meterops(...args);
      assert.equal(r.code, 0, `${line}: ${r.stderr}`);
      if (args.includes('--json')) assert.ok(JSON.parse(r.stdout).options.length === 8);
    }
    const bad = await meterops('report', 'no-wan-options', '--assume', 'picocellFailureRate=2');
    assert.equal(bad.code, 2);
    assert.ok(
      doc.replace(/\s+/g, ' ').includes(
        bad.stderr
          .trim()
          .replace(/^meterops: /, '`meterops: ')
          .replace(/$/, '`'),
      ),
      bad.stderr,
    );
  });

  it('runs the HTTP example as written against a fresh demo', async () => {
    const blocks = shellBlocks('docs/no-wan-options.md', doc).filter((b) => b.script.includes('http://localhost:8080'));
    assert.equal(blocks.length, 1, 'one example over HTTP');
    const folder = readerFolder();
    const port = await freePort();
    const server = await startServer(folder.dir, port);
    try {
      const r = spawnSync('bash', ['-euo', 'pipefail', '-c', blocks[0]!.script.replaceAll('http://localhost:8080', `http://localhost:${port}`)], {
        cwd: folder.dir,
        encoding: 'utf8',
        timeout: 180_000,
      });
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}\n${server.output().slice(-2000)}`);
      // What the doc says it prints.
      const said = /#\s+(completed: .*)$/m.exec(blocks[0]!.script)?.[1];
      assert.equal(r.stdout.trim(), said);
    } finally {
      await server.stop();
      folder.remove();
    }
  });

  it('lists every assumption with its default', () => {
    for (const [k, v] of Object.entries(describeAssumptions(resolveAssumptions()))) assert.ok(doc.includes(`| \`${k}\` | ${v.default} |`), k);
  });
});
