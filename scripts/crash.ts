// npm run crash [-- --cycles N] [-- --backends pglite,postgres]: kills `meterops serve` with SIGKILL
// in the middle of concurrent acknowledged writes (UTRN vends over HTTP, 16 clients), N times on
// PGlite and N times on PostgreSQL (default 10 each), and after every restart checks that:
// the server opens the data; every vend acknowledged before any crash is still there with the same
// code (GET /v1/vends/:key, and a retry of the POST answers 200 with that code, not a new vend);
// GET /v1/audit/verify reports a valid log (entries the crash left pending are pending, not faults).
// At the end a burst of vends: every entry must be placed in the signed tree within 1 s of the last
// acknowledgement (the sequencer's bound). Prints the figures.
// PostgreSQL is METEROPS_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres),
// in which a fresh database is created and dropped. Exits 1 on any failed check.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/store.ts';
import { DCC_AUTH as DCC, SUPPLIER_AUTH as SUPPLIER, freePort, freshPgDatabase, prepareVending, serve, vendBody as body } from '../test/support/served-fleet.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
};
const CYCLES = Number(opt('cycles', process.env.CRASH_CYCLES ?? '10'));
const BACKENDS = opt('backends', 'pglite,postgres').split(',');
const CLIENTS = Number(opt('clients', '16'));
const PG_BASE = process.env.METEROPS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SEED = 'crash-test';
const PREMISES = 20;

/** A fixed sequence of pseudo-random numbers (mulberry32), so that a run can be repeated. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Target {
  readonly name: string;
  readonly flags: string[];
  readonly open: () => ReturnType<typeof openStore>;
  cleanup(): Promise<void>;
}

async function targetFor(name: string): Promise<Target> {
  if (name === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'meterops-crash-'));
    return { name, flags: ['--data-dir', dir], open: () => openStore({ kind: 'pglite', dataDir: dir }), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const db = await freshPgDatabase(PG_BASE);
  // The data directory holds the audit log key only.
  const dir = mkdtempSync(join(tmpdir(), 'meterops-crash-pg-'));
  return {
    name,
    flags: ['--database-url', db.url, '--data-dir', dir],
    open: () => openStore({ kind: 'postgres', url: db.url }),
    async cleanup() {
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function prepare(t: Target): Promise<string[]> {
  const { store } = await t.open();
  try {
    return await prepareVending(store, PREMISES, SEED);
  } finally {
    await store.close();
  }
}

async function verify(base: string): Promise<{ valid: boolean; entries: number; integrated: number; pending: number; problemCount: number; problems: unknown[] }> {
  const r = await fetch(`${base}/v1/audit/verify`, { headers: DCC });
  if (r.status !== 200) throw new Error(`GET /v1/audit/verify: ${r.status} ${await r.text()}`);
  return (await r.json()) as never;
}

interface CycleFigure {
  backend: string;
  cycle: number;
  startMs: number;
  acked: number;
  checked: number;
  lost: number;
  valid: boolean;
  pendingAfterRestart: number;
  integrated: number;
}

async function runBackend(name: string): Promise<{ figures: CycleFigure[]; failures: string[]; drainMs: number | null }> {
  const t = await targetFor(name);
  const failures: string[] = [];
  const figures: CycleFigure[] = [];
  let drainMs: number | null = null;
  const acked = new Map<string, { code: string; device: string }>();
  try {
    const meters = await prepare(t);
    if (meters.length === 0) throw new Error('the fixture fleet has no meter of the supplier');
    const random = prng(name === 'pglite' ? 1 : 2);
    for (let cycle = 0; cycle <= CYCLES; cycle++) {
      const port = await freePort();
      const t0 = Date.now();
      const server = serve(port, t.flags);
      const base = server.base;
      try {
        await server.ready;
      } catch (e) {
        failures.push(`${name} cycle ${cycle}: the restart did not open the data: ${(e as Error).message}`);
        server.child.kill('SIGKILL');
        break;
      }
      const startMs = Date.now() - t0;
      // First the log as the restart found it (what the crash left pending is pending, not a fault).
      const v = await verify(base);
      // Every acknowledged vend of every earlier cycle: reprinted with its code, and a retry is not a new vend.
      let lost = 0;
      const entries = [...acked.entries()];
      for (let i = 0; i < entries.length; i += 32) {
        await Promise.all(
          entries.slice(i, i + 32).map(async ([key, v]) => {
            const r = await fetch(`${base}/v1/vends/${key}`, { headers: SUPPLIER });
            const again = await fetch(`${base}/v1/vends`, {
              method: 'POST',
              headers: { ...SUPPLIER, 'content-type': 'application/json', 'idempotency-key': key },
              body: body(v.device),
            });
            const a = r.status === 200 ? ((await r.json()) as { code: string }).code : null;
            const b = again.status === 200 ? ((await again.json()) as { code: string }).code : `status ${again.status}`;
            if (a !== v.code || b !== v.code) {
              lost++;
              if (lost <= 5) failures.push(`${name} cycle ${cycle}: acknowledged vend ${key} (${v.code}) came back as ${a ?? `status ${r.status}`} / ${b}`);
            }
          }),
        );
      }
      if (!v.valid) failures.push(`${name} cycle ${cycle}: verify after restart: ${JSON.stringify(v.problems.slice(0, 5))}`);
      const figure: CycleFigure = {
        backend: name,
        cycle,
        startMs,
        acked: 0,
        checked: entries.length,
        lost,
        valid: v.valid,
        pendingAfterRestart: v.pending,
        integrated: v.integrated,
      };
      figures.push(figure);

      if (cycle === CYCLES) {
        // The last start: no crash. A burst of acknowledged vends, then how long from the last
        // acknowledgement until the sequencer has placed them all (the bound is 1 s): the time of
        // the first verify request that finds nothing pending, so its own run time is not counted.
        const burst = await Promise.all(
          Array.from({ length: 4 * CLIENTS }, async (_, i) => {
            const r = await fetch(`${base}/v1/vends`, {
              method: 'POST',
              headers: { ...SUPPLIER, 'content-type': 'application/json', 'idempotency-key': `final-${i}` },
              body: body(meters[i % meters.length]!),
            });
            if (r.status !== 201) failures.push(`${name}: final vend ${i}: ${r.status} ${await r.text()}`);
            return Date.now();
          }),
        );
        const lastAck = Math.max(...burst);
        for (;;) {
          const asked = Date.now();
          const w = await verify(base);
          // Every request is audited as its key's use, the verify request too: its own entry (written
          // as it arrived) may be the one pending. Asked every 250 ms, so the previous ask's entry has
          // had a sequencer run (every 200 ms) to be placed.
          if (w.pending <= 1) {
            drainMs = asked - lastAck;
            if (!w.valid) failures.push(`${name}: verify after the last restart, all placed: ${JSON.stringify(w.problems.slice(0, 5))}`);
            if (drainMs > 1_000) failures.push(`${name}: entries were still pending ${drainMs} ms after the last acknowledged write (bound: 1 s)`);
            break;
          }
          if (asked - lastAck > 30_000) {
            failures.push(`${name}: ${w.pending} entries still pending 30 s after the last acknowledged write`);
            break;
          }
          await sleep(250);
        }
        await server.stop();
        process.stdout.write(
          `${name} final start: ${startMs} ms to open, ${entries.length} acknowledged vends checked, ${lost} lost, log valid ${v.valid}, then ${4 * CLIENTS} vends, all placed in the tree within ${drainMs} ms of the last acknowledgement\n`,
        );
        break;
      }

      // Concurrent acknowledged writes, then SIGKILL at a (seeded) moment among them.
      let stop = false;
      let n = 0;
      const writers = Array.from({ length: CLIENTS }, async (_, w) => {
        for (let i = 0; !stop; i++) {
          const key = `c${cycle}-w${w}-${i}`;
          const device = meters[(w + i) % meters.length]!;
          try {
            const r = await fetch(`${base}/v1/vends`, { method: 'POST', headers: { ...SUPPLIER, 'content-type': 'application/json', 'idempotency-key': key }, body: body(device) });
            if (r.status === 201) {
              acked.set(key, { code: ((await r.json()) as { code: string }).code, device });
              n++;
            } else if (!stop) failures.push(`${name} cycle ${cycle}: vend ${key} refused: ${r.status} ${await r.text()}`);
          } catch {
            return; // the connection died with the server: this write was never acknowledged
          }
        }
      });
      await sleep(1_000 + Math.floor(random() * 2_000));
      server.child.kill('SIGKILL');
      await new Promise((r) => server.child.once('exit', r));
      stop = true;
      await Promise.all(writers);
      figure.acked = n;
      process.stdout.write(
        `${name} cycle ${cycle + 1}/${CYCLES}: opened in ${startMs} ms, ${entries.length} earlier vends checked (${lost} lost), log valid ${v.valid} (${v.integrated} in the tree, ${v.pending} pending), ${n} vends acknowledged, then SIGKILL\n`,
      );
    }
  } finally {
    await t.cleanup();
  }
  return { figures, failures, drainMs };
}

const all: string[] = [];
const summary: string[] = [];
for (const b of BACKENDS) {
  const r = await runBackend(b);
  all.push(...r.failures);
  const crashes = r.figures.filter((f) => f.cycle < CYCLES);
  const acked = crashes.reduce((s, f) => s + f.acked, 0);
  const lost = Math.max(0, ...r.figures.map((f) => f.lost));
  const invalid = r.figures.filter((f) => !f.valid).length;
  summary.push(
    `${b}: ${crashes.length} SIGKILL cycles, ${r.figures.length} restarts opened the data, ${acked} acknowledged vends, ${lost} lost, verify valid after ${r.figures.length - invalid} of ${r.figures.length} restarts, a burst's entries all placed within ${r.drainMs ?? '?'} ms of its last acknowledgement`,
  );
}
process.stdout.write(`\n${summary.join('\n')}\n`);
if (all.length) {
  process.stdout.write(`\nFAILED:\n${all.slice(0, 50).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write('crash test passed\n');
