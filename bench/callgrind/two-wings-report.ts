// Reads the callgrind parts written by bench/callgrind/two-wings.sh and prints, per segment, the
// instructions per unit of work in each run before and after the split, their spread and the ratio
// after/before. With --write FILE it puts those figures into a bench results file (FILE's other
// results are kept; its instruction metrics are replaced).
//
//   node --import tsx bench/callgrind/two-wings-report.ts OUTDIR BEFORE_PREFIX AFTER_PREFIX [--write bench/results/two-wings.json]
//
// A prefix names a checkout's runs: OUTDIR/<prefix>-<tag>.cg with its parts .cg.1, .cg.2, ...
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, beforePrefix, afterPrefix] = process.argv.slice(2);
if (!dir || !beforePrefix || !afterPrefix) {
  console.error('usage: two-wings-report.ts OUTDIR BEFORE_PREFIX AFTER_PREFIX [--write FILE]');
  process.exit(2);
}
const writeAt = process.argv.indexOf('--write');
const writeTo = writeAt > 0 ? process.argv[writeAt + 1] : undefined;

/** Each segment's name in the results, its unit of work and how many units the segment did. */
const SEGMENTS: Array<{ metric: string; what: string; unit: string; units: (built: number) => number }> = [
  { metric: 'http-vend-instructions', what: 'one UTRN vend through the HTTP API (POST /v1/vends, Fastify inject, PGlite)', unit: 'instructions/vend', units: () => 100 },
  { metric: 'work-order-instructions', what: 'one HHT work order of 10 ECS45 commands built, signed and stored', unit: 'instructions/order', units: () => 20 },
  {
    metric: 'device-answer-instructions',
    what: 'one simulated meter answering a work-order command (the world, not the platform)',
    unit: 'instructions/response',
    units: () => 200,
  },
  {
    metric: 'hht-upload-instructions',
    what: 'one response of an HHT upload of 200 (POST /v1/hht/uploads), verified and recorded',
    unit: 'instructions/response',
    units: () => 200,
  },
  {
    metric: 'fleet-command-instructions',
    what: 'one signed command (ECS42/43) verified, executed and answered by a simulated meter',
    unit: 'instructions/command',
    units: () => 400,
  },
  { metric: 'fleet-build-instructions', what: 'one simulated device built (a fleet of 400 premises)', unit: 'instructions/device', units: (built) => built },
  { metric: 'rtds-verify-instructions', what: 'one RTDS frame decoded and verified (2 passes of 1,275 frames)', unit: 'instructions/frame', units: () => 2 * 1275 },
  { metric: 'ecs43-build-instructions', what: 'one ECS43 frame built, signed and MACed', unit: 'instructions/frame', units: () => 200 },
];

const totals = (file: string) => {
  const m = /^totals:\s+(\d+)/m.exec(readFileSync(file, 'utf8'));
  if (!m) throw new Error(`${file}: no totals line`);
  return Number(m[1]);
};

/**
 * Per run (tag): instructions per unit for each segment whose part is complete (a part is written
 * when the next one starts, so a run still going, or stopped, gives the segments it finished).
 */
function runs(prefix: string) {
  const out: Array<{ tag: string; perUnit: Array<number | undefined> }> = [];
  for (const f of readdirSync(dir!).sort()) {
    const m = new RegExp(`^${prefix}-(.+)\\.cg$`).exec(f);
    if (!m) continue;
    const log = readFileSync(join(dir!, f.replace(/\.cg$/, '.log')), 'utf8');
    const seg = /segments: (\[.*\]) built=(\d+)/.exec(log);
    if (seg && (JSON.parse(seg[1]!) as string[]).length !== SEGMENTS.length) throw new Error(`${f}: not the ${SEGMENTS.length} segments expected`);
    // The fleet of 400 premises has 1,491 devices (its seed fixes it; a finished run's log says so).
    const built = seg ? Number(seg[2]) : 1491;
    const parts: number[] = [];
    for (let i = 1; existsSync(join(dir!, `${f}.${i}`)); i++) parts.push(totals(join(dir!, `${f}.${i}`)));
    if (seg && parts.length !== 1 + 2 * SEGMENTS.length) throw new Error(`${f}: ${parts.length} parts, expected ${1 + 2 * SEGMENTS.length}`);
    // Part 1: start-up to the first mark; then a gap (GC) and the segment itself, per segment.
    out.push({ tag: m[1]!, perUnit: SEGMENTS.map((s, k) => (parts[2 + 2 * k] === undefined ? undefined : parts[2 + 2 * k]! / s.units(built))) });
  }
  if (!out.length) throw new Error(`no runs ${prefix}-*.cg in ${dir}`);
  return out;
}

const before = runs(beforePrefix);
const after = runs(afterPrefix);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const spread = (xs: number[]) => (Math.max(...xs) - Math.min(...xs)) / mean(xs);
const runsOf = (n: number) => (n === 1 ? '1 run' : `${n} runs`);
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const results = SEGMENTS.flatMap((s, k) => {
  const b = before.flatMap((r) => r.perUnit[k] ?? []);
  const a = after.flatMap((r) => r.perUnit[k] ?? []);
  if (!b.length || !a.length) {
    console.log(`${s.metric}: not measured yet (${b.length} runs before, ${a.length} after)`);
    return [];
  }
  const ratio = mean(a) / mean(b);
  console.log(
    `${s.metric}: before ${b.map((x) => Math.round(x)).join(', ')} (spread ${pct(spread(b))}); after ${a.map((x) => Math.round(x)).join(', ')} (spread ${pct(spread(a))}); after/before ${ratio.toFixed(4)}`,
  );
  return {
    metric: `${s.metric}: ${s.what}, callgrind, mean of ${runsOf(b.length)} before and ${runsOf(a.length)} after (before ${b.map((x) => Math.round(x)).join(', ')}; after ${a.map((x) => Math.round(x)).join(', ')})`,
    value: Math.round(mean(a)),
    unit: s.unit,
    baseline: Math.round(mean(b)),
    ratio: Number(ratio.toFixed(4)),
  };
});

if (writeTo) {
  const file = JSON.parse(readFileSync(writeTo, 'utf8')) as { results: Array<{ metric: string }> };
  const ours = new Set(SEGMENTS.map((s) => s.metric));
  file.results = [...file.results.filter((r) => !ours.has(r.metric.split(':')[0]!)), ...results];
  writeFileSync(writeTo, `${JSON.stringify(file, null, 2)}\n`);
  console.log(`wrote ${results.length} instruction metrics into ${writeTo}`);
}
