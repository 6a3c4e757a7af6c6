// Scale-out benchmark, on PostgreSQL: UTRN vends over HTTP by BENCH_CONCURRENCY keep-alive clients
// against one `meterops serve` process, then the same clients split over two processes on the same
// database (issue 13, item 4), BENCH_SECONDS each after a warm-up vend per meter on every process.
// Each process is `node --import tsx src/main.ts serve`, as deployed; the clients run in this
// process. At the end the shared audit log must verify with nothing pending.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/store.ts';
import { DCC_AUTH, freePort, freshPgDatabase, prepareVending, serve, SUPPLIER_AUTH, vendBody, type ServedProcess } from '../test/support/served-fleet.ts';
import { figure, report, type BenchFigure } from './report.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const PREMISES = Number(process.env.BENCH_PREMISES ?? 200);
const PG_URL = process.env.METEROPS_BENCH_DATABASE_URL ?? process.env.METEROPS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const db = await freshPgDatabase(PG_URL);
const dir = mkdtempSync(join(tmpdir(), 'meterops-scaleout-'));
const servers: ServedProcess[] = [];
const results: BenchFigure[] = [];
let keyNo = 0;
const vendOnce = async (s: ServedProcess, device: string) => {
  const key = `b-${keyNo++}`;
  const res = await fetch(`${s.base}/v1/vends`, {
    method: 'POST',
    headers: { ...SUPPLIER_AUTH, 'content-type': 'application/json', 'idempotency-key': key },
    body: vendBody(device),
  });
  if (res.status !== 201) throw new Error(`vend ${key}: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
};

/** Vends per second for SECONDS, CONCURRENCY clients spread over `over`. */
async function rate(over: readonly ServedProcess[], meters: readonly string[]): Promise<number> {
  for (const s of over) for (const m of meters) await vendOnce(s, m);
  let n = 0;
  const end = performance.now() + SECONDS * 1000;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, c) => {
      for (let i = 0; performance.now() < end; i++) {
        await vendOnce(over[c % over.length]!, meters[(c * 7 + i) % meters.length]!);
        n++;
      }
    }),
  );
  return n / ((performance.now() - t) / 1000);
}

try {
  const { store } = await openStore({ kind: 'postgres', url: db.url });
  let meters: string[];
  try {
    meters = await prepareVending(store, PREMISES, 'bench-scaleout');
  } finally {
    await store.close();
  }
  const flags = ['--database-url', db.url, '--data-dir', dir];
  servers.push(serve(await freePort(), flags));
  await servers[0]!.ready;
  const one = await rate(servers, meters);
  console.log(`  1 process: ${one.toFixed(1)} vends/s`);
  servers.push(serve(await freePort(), flags));
  await servers[1]!.ready;
  const two = await rate(servers, meters);
  console.log(`  2 processes: ${two.toFixed(1)} vends/s`);
  results.push(
    figure(`UTRN vends via HTTP, 2 serve processes on one PostgreSQL (${CONCURRENCY} clients), against 1 process`, two, 'vends/s', one),
    figure(`UTRN vends via HTTP, 1 serve process (${CONCURRENCY} clients)`, one, 'vends/s'),
    figure('meters vended to (one Supplier)', meters.length, 'meters'),
  );
  // The shared log, once both sequencers have placed everything.
  for (let i = 0; ; i++) {
    const v = (await (await fetch(`${servers[0]!.base}/v1/audit/verify`, { headers: DCC_AUTH })).json()) as { valid: boolean; pending: number; problems: unknown[] };
    if (!v.valid) throw new Error(`the shared log does not verify: ${JSON.stringify(v.problems.slice(0, 3))}`);
    if (v.pending === 0) break;
    if (i > 100) throw new Error(`${v.pending} entries still pending`);
    await new Promise((r) => setTimeout(r, 100));
  }
} finally {
  for (const s of servers) await s.stop();
  rmSync(dir, { recursive: true, force: true });
  await db.drop();
}
report('scaleout', results, { database: `PostgreSQL at ${new URL(PG_URL).host}` });
