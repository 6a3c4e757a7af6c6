// npm run bench -- cli: how long the installed command takes to start, against node itself.
// Runs `node bin/meterops.js --help` (the build `npm install` made, dist/) and `node -e 0`
// alternately, BENCH_RUNS times each (default 20), and reports the median and the 90th percentile
// of each. Target (issue 12): `meterops --help` in at most 0.3 s.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { figure, percentile, report } from './report.ts';

const runs = Number(process.env.BENCH_RUNS ?? 20);
if (!Number.isInteger(runs) || runs < 3 || runs > 1000) {
  console.error('BENCH_RUNS is a whole number from 3 to 1000');
  process.exit(2);
}
if (!existsSync(join('dist', 'main.js'))) {
  console.error('bench cli: no dist/main.js: run npm run build first (npm install runs it)');
  process.exit(2);
}

/** Wall-clock seconds of one run of node with these arguments, output discarded. */
function timed(args: readonly string[]): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.toString().trim()}`);
  return s;
}

const help: number[] = [];
const sub: number[] = [];
const bare: number[] = [];
timed(['bin/meterops.js', '--help']); // warm the file cache once, measured by neither
for (let i = 0; i < runs; i++) {
  bare.push(timed(['-e', '0']));
  help.push(timed(['bin/meterops.js', '--help']));
  sub.push(timed(['bin/meterops.js', 'devices', 'list', '--help']));
}
for (const a of [help, sub, bare]) a.sort((x, y) => x - y);
const median = (a: readonly number[]) => percentile(a, 50);

report('cli', [
  figure('meterops --help, median', median(help), 's', median(bare)),
  figure('meterops --help, 90th percentile', percentile(help, 90), 's', percentile(bare, 90)),
  figure('meterops devices list --help, median', median(sub), 's', median(bare)),
  figure('node -e 0, median (the baseline)', median(bare), 's'),
]);
const ok = median(help) <= 0.3;
console.log(`target: meterops --help <= 0.3 s (median): ${ok ? 'met' : 'missed'} (${median(help).toFixed(3)} s; node -e 0 ${median(bare).toFixed(3)} s)`);
