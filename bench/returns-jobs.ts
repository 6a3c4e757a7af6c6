// The returns year as jobs (issue 13, item 5), on PostgreSQL: BENCH_RETURNS returns (default
// 20,000; the year is 200,000) worked through (1) in this process, one batch after another
// (`simulateReturnsYear`, the single-thread baseline), then (2) on a fresh database as one
// `returns-year` job whose triage batches are jobs taken by BENCH_WORKERS (default 2) `meterops
// worker` processes (`node --import tsx src/main.ts worker`, one slot per kind each). The split
// figure is from the enqueue to the job's completion as its status reports it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { wireWorld } from '../src/composition/wire-world.ts';
import { openJobRuntime } from '../src/jobs/pg-boss-runtime.ts';
import { auditKeyFromSeed } from '../src/keys/audit-key-file.ts';
import { noKeySource } from '../src/services/keystore-key-source.ts';
import { openStore } from '../src/store/store.ts';
import { SimulatedWorld } from '../src/world/simulated-world.ts';
import { simulateReturnsYear } from '../src/world/studies/simulate-year.ts';
import { freshPgDatabase } from '../test/support/served-fleet.ts';
import { figure, report, type BenchFigure } from './report.ts';

const RETURNS = Number(process.env.BENCH_RETURNS ?? 20_000);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const BASELINE = process.env.BENCH_BASELINE !== 'skip';
const PG_URL = process.env.METEROPS_BENCH_DATABASE_URL ?? process.env.METEROPS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MAIN = join(import.meta.dirname, '..', 'src', 'main.ts');
const results: BenchFigure[] = [];
const log = pino({ level: 'silent' });
const seed = `bench-jobs-${Date.now()}`;

let baseline: number | null = null;
if (BASELINE) {
  const db = await freshPgDatabase(PG_URL);
  const { store } = await openStore({ kind: 'postgres', url: db.url, poolSize: 4 });
  try {
    const deps = wireWorld(new SimulatedWorld(), { store, clock: () => new Date(), log, auditKey: auditKeyFromSeed(new Uint8Array(32).fill(1)) }, noKeySource());
    const y = await simulateReturnsYear(deps, { returns: RETURNS, seed: `${seed}-one` });
    console.log(`one thread: ${y.returns} returns in ${y.seconds.total} s ${JSON.stringify(y.seconds)}`);
    baseline = y.seconds.total;
    results.push(figure(`year of ${y.returns} returns, one thread (the baseline): fleet`, y.seconds.fleet, 's'));
    results.push(figure(`year of ${y.returns} returns, one thread: triage and refurbishment`, y.seconds.triageAndRefurbish, 's'));
  } finally {
    await store.close();
    await db.drop();
  }
}

{
  const db = await freshPgDatabase(PG_URL);
  const dir = mkdtempSync(join(tmpdir(), 'meterops-bench-jobs-'));
  const { store } = await openStore({ kind: 'postgres', url: db.url, poolSize: 4 });
  const workers: ChildProcess[] = [];
  try {
    await store.transaction((tx) => tx.parties.insert({ id: 'dcc', name: 'DCC', role: 'dcc', eui: null, distributorId: null }));
    const jobs = await openJobRuntime(store, log, { supervise: false });
    await jobs.register({ name: 'returns-year', expireInSeconds: 6 * 3600, retryLimit: 0, handler: async () => Promise.reject(new Error('this process runs no jobs')) });
    for (let i = 0; i < WORKERS; i++) {
      const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'worker', '--database-url', db.url, '--data-dir', dir], {
        env: { ...process.env, METEROPS_LOG_LEVEL: 'warn', METEROPS_DEMO: 'false' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      workers.push(child);
      await new Promise<void>((ok, fail) => {
        let out = '';
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('meterops worker:')) ok();
        });
        child.on('exit', (code) => fail(new Error(`worker exited with ${code}: ${out}`)));
      });
    }
    const t0 = performance.now();
    const id = await store.transaction((tx) => jobs.enqueue(tx, 'returns-year', { partyId: 'dcc', returns: RETURNS, seed: `${seed}-split` }, { partyId: 'dcc' }));
    let last = 0;
    for (;;) {
      const s = await jobs.status(id);
      if (s?.state === 'failed') throw new Error(`the year failed: ${s.error?.message}`);
      if (s?.state === 'completed') {
        const wall = (performance.now() - t0) / 1000;
        const r = s.result as { returns: number; batches: number; seconds: Record<string, number> };
        console.log(`${WORKERS} workers: ${r.returns} returns in ${wall.toFixed(1)} s (${r.batches} batch jobs) ${JSON.stringify(r.seconds)}`);
        results.push(figure(`year of ${r.returns} returns as jobs over ${WORKERS} worker processes: fleet (in one job)`, r.seconds.fleet!, 's'));
        results.push(
          figure(`year of ${r.returns} returns as jobs over ${WORKERS} worker processes: triage and refurbishment (${r.batches} batch jobs)`, r.seconds.triageAndRefurbish!, 's'),
        );
        results.push(figure(`year of ${r.returns} returns as jobs over ${WORKERS} worker processes, enqueue to completion (baseline: one thread)`, wall, 's', baseline));
        // How many batches ran at once, on average: the batches' run times summed over the span
        // from the first start to the last completion (1: one after another; 2: both workers busy).
        const batches = await Promise.all((await store.read.jobs.children(id)).map((c) => jobs.status(c.id)));
        const runs = batches.map((b) => [b!.startedAt!.getTime(), b!.completedAt!.getTime()] as const);
        const span = Math.max(...runs.map((r) => r[1])) - Math.min(...runs.map((r) => r[0]));
        results.push(figure(`batch jobs running at once, on average (their run times over their span)`, runs.reduce((n, r) => n + r[1] - r[0], 0) / span, 'batches'));
        if (RETURNS !== 200_000) results.push(figure(`200,000 returns at the split rate, extrapolated linearly (goal 300 s)`, (wall * 200_000) / r.returns, 's', 300));
        break;
      }
      if (performance.now() - last > 15_000) {
        last = performance.now();
        console.log(`  ${s?.state} ${s?.progress.done}/${s?.progress.total ?? '?'}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    await jobs.stop(1_000);
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(workers.map((w) => new Promise((ok) => (w.exitCode !== null ? ok(null) : w.on('exit', ok)))));
    await store.close();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
report('returns-jobs', results, { database: 'PostgreSQL on the same machine' });
