// docs/benchmarks.md is generated from bench/results and bench/notes: a hand edit, or a results
// file newer than the document, fails here.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

describe('docs/benchmarks.md', () => {
  it('is exactly what bench:docs makes of bench/results and bench/notes', () => {
    const r = spawnSync(process.execPath, ['scripts/bench-docs.mjs', '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  it('shows every results file, each with the machine and load it was measured on', () => {
    const doc = readFileSync('docs/benchmarks.md', 'utf8');
    const files = existsSync('bench/results') ? readdirSync('bench/results').filter((f) => f.endsWith('.json')) : [];
    for (const f of files) {
      const r = JSON.parse(readFileSync(`bench/results/${f}`, 'utf8')) as { machine: string; date: string; results: Array<{ metric: string }> };
      assert.ok(doc.includes(`Measured ${r.date} on **${r.machine}**`), `${f}: its machine and date`);
      for (const m of r.results) assert.ok(doc.includes(m.metric.replace(/\|/g, '\\|')), `${f}: ${m.metric}`);
    }
    // Every section either has its figures or says it has none.
    const sections = doc.split('\n## ').slice(1);
    assert.ok(sections.length >= 6, `${sections.length} sections`);
    for (const s of sections) assert.ok(s.includes('| metric |') || s.includes('_No results file'), s.split('\n')[0]);
  });
});
