// npm run test:repeat [-- N] [-- FILES...]: the suite (or the files given) N times in a row (default
// 20), each run a fresh scripts/run-tests.mjs, and how many passed. Not part of CI.
// METEROPS_REPEAT_MINUTES stops starting new runs after that long; the count says how many ran.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const n = args.length && /^\d+$/.test(args[0]) ? Number(args.shift()) : 20;
const budgetMs = process.env.METEROPS_REPEAT_MINUTES ? Number(process.env.METEROPS_REPEAT_MINUTES) * 60_000 : Infinity;
const logDir = join('.tmp', 'repeat');
mkdirSync(logDir, { recursive: true });
const log = join(logDir, `repeat-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
const started = Date.now();
const runs = [];
for (let i = 1; i <= n; i++) {
  if (Date.now() - started > budgetMs) break;
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['scripts/run-tests.mjs', ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  appendFileSync(log, `\n===== run ${i} exit ${r.status}\n${out}`);
  const closing =
    out
      .trimEnd()
      .split('\n')
      .reverse()
      .find((l) => /^run-tests: \d+ passed, \d+ failed/.test(l)) ?? '(no summary line)';
  const failed = [...out.matchAll(/^\s*✖ (.+?) \(\d/gm)].map((m) => m[1]).filter((v, k, a) => a.indexOf(v) === k);
  runs.push({ i, ok: r.status === 0, seconds: Math.round((Date.now() - t0) / 1000), closing, failed });
  console.log(
    `run ${i}: ${r.status === 0 ? 'passed' : `FAILED (exit ${r.status})`} in ${runs.at(-1).seconds} s: ${closing}${failed.length ? `\n  failing: ${failed.join('; ')}` : ''}`,
  );
}
const passed = runs.filter((r) => r.ok).length;
console.log(`\ntest:repeat: ${passed} of ${runs.length} runs passed${runs.length < n ? ` (${n} asked; stopped by METEROPS_REPEAT_MINUTES)` : ''}; log in ${log}`);
process.exit(passed === runs.length && runs.length > 0 ? 0 : 1);
