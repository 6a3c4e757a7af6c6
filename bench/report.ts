import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

export interface BenchFigure {
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  /** The baseline measured in the same run, or null where the figure is an absolute target. */
  readonly baseline: number | null;
  readonly ratio: number | null;
}

export function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown cpu';
  return `${cpus().length} x ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
}

export function figure(metric: string, value: number, unit: string, baseline: number | null = null): BenchFigure {
  const round = (n: number) => (Math.abs(n) >= 100 ? Math.round(n) : Number(n.toPrecision(4)));
  return { metric, value: round(value), unit, baseline: baseline === null ? null : round(baseline), ratio: baseline ? Number((value / baseline).toFixed(3)) : null };
}

/** Prints each figure beside its baseline and writes bench/results/NAME.json. */
export function report(name: string, results: readonly BenchFigure[]): void {
  const out = { name, date: new Date().toISOString(), machine: machine(), results };
  mkdirSync(join('bench', 'results'), { recursive: true });
  writeFileSync(join('bench', 'results', `${name}.json`), JSON.stringify(out, null, 2) + '\n');
  console.log(`\n${name} on ${out.machine}`);
  for (const r of results) {
    const base = r.baseline === null ? '' : `   baseline ${r.baseline} ${r.unit}   ratio ${r.ratio}`;
    console.log(`  ${r.metric.padEnd(44)} ${String(r.value).padStart(12)} ${r.unit}${base}`);
  }
  console.log(`written bench/results/${name}.json`);
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
