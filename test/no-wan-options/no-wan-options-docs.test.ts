import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { describeAssumptions, resolveAssumptions } from '../../src/world/no-wan-options/assumptions.ts';
import { meterops } from '../support/cli.ts';

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

  it('lists every assumption with its default', () => {
    for (const [k, v] of Object.entries(describeAssumptions(resolveAssumptions()))) assert.ok(doc.includes(`| \`${k}\` | ${v.default} |`), k);
  });
});
