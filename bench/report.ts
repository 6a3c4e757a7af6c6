import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

export interface BenchFigure {
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  /** The baseline measured in the same run, or null where the figure is an absolute target. */
  readonly baseline: number | null;
  readonly ratio: number | null;
}

/** The machine, named once per run: CPU, cores, memory, Node, OS, and PostgreSQL where one is used. */
export function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown cpu';
  let os: string = process.platform;
  try {
    os = /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? os;
  } catch {
    // not Linux
  }
  return `${cpus().length} x ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os}`;
}

// The load when the bench started, to compare with the load when it reported.
const startLoad = loadavg();
const startedAt = new Date();

/** What else the machine was doing: 1-minute load averages at start and end, against the core count. */
export function load(): string {
  const f = (n: number) => n.toFixed(2);
  return `load average ${f(startLoad[0]!)} at start, ${f(loadavg()[0]!)} at end (1 min), on ${cpus().length} cores`;
}

export function figure(metric: string, value: number, unit: string, baseline: number | null = null): BenchFigure {
  const round = (n: number) => (Math.abs(n) >= 100 ? Math.round(n) : Number(n.toPrecision(4)));
  return { metric, value: round(value), unit, baseline: baseline === null ? null : round(baseline), ratio: baseline ? Number((value / baseline).toFixed(3)) : null };
}

/**
 * Prints each figure beside its baseline and writes bench/results/NAME.json with the machine, the
 * load, the run's BENCH_* settings and, where given, the database server: docs/benchmarks.md is
 * generated from these files (npm run bench:docs).
 */
export function report(name: string, results: readonly BenchFigure[], extra: { database?: string } = {}): void {
  const params = Object.fromEntries(
    Object.entries(process.env)
      .filter(([k]) => k.startsWith('BENCH_'))
      .sort(),
  );
  const out = { name, date: new Date().toISOString(), startedAt: startedAt.toISOString(), machine: machine(), load: load(), database: extra.database ?? null, params, results };
  mkdirSync(join('bench', 'results'), { recursive: true });
  writeFileSync(join('bench', 'results', `${name}.json`), JSON.stringify(out, null, 2) + '\n');
  console.log(`\n${name} on ${out.machine}; ${out.load}${out.database ? `; ${out.database}` : ''}`);
  for (const r of results) {
    const base = r.baseline === null ? '' : `   baseline ${r.baseline} ${r.unit}   ratio ${r.ratio}`;
    console.log(`  ${r.metric.padEnd(44)} ${String(r.value).padStart(12)} ${r.unit}${base}`);
  }
  console.log(`written bench/results/${name}.json`);
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
