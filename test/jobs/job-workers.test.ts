// Job workers as separate processes on one PostgreSQL (`meterops worker`): a worker killed with
// SIGKILL in the middle of a job loses nothing (its transaction never committed; once the job's
// lease runs out the queue's maintenance puts it back and another worker runs it to completion);
// two workers take different jobs, and no job is run to completion twice.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import pino from 'pino';
import type { Eui } from '../../src/domain/eui.ts';
import { openJobRuntime } from '../../src/jobs/pg-boss-runtime.ts';
import type { JobRuntime, JobStatus } from '../../src/services/ports/job-queue.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { PG_URL } from '../support/backends.ts';
import { freshPgDatabase } from '../support/served-fleet.ts';
import { skipBecause } from '../support/skips.ts';

const MAIN = join(import.meta.dirname, '..', '..', 'src', 'main.ts');

interface Worker {
  readonly child: ChildProcess;
  /** Job ids this worker logged, by message ('job started', 'job completed'). */
  readonly seen: (msg: string) => string[];
  readonly exited: Promise<number | null>;
  /** Whether it printed its banner (it works from then on). */
  readonly ready: () => boolean;
}

function worker(flags: readonly string[]): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'worker', '--maintenance-seconds', '1', ...flags], {
    env: { ...process.env, METEROPS_LOG_LEVEL: 'info', METEROPS_DEMO: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<{ msg?: string; job?: string }> = [];
  let buf = '';
  let banner = false;
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    if (buf.includes('meterops worker:')) banner = true;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line.startsWith('{')) lines.push(JSON.parse(line) as { msg?: string; job?: string });
    }
  });
  child.stderr!.on('data', () => {});
  const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
  return { child, exited, ready: () => banner, seen: (msg) => lines.filter((l) => l.msg === msg && l.job).map((l) => l.job!) };
}

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const settled = (jobs: JobRuntime, id: string) =>
  until(`job ${id}`, async () => {
    const s = await jobs.status(id);
    return s && (s.state === 'completed' || s.state === 'failed') ? s : undefined;
  });

async function setUp(url: string): Promise<{ store: Store; jobs: JobRuntime }> {
  const { store } = await openStore({ kind: 'postgres', url });
  await store.transaction((tx) => tx.parties.insert({ id: 'dcc', name: 'DCC', role: 'dcc', eui: null, distributorId: null }));
  // This process only enqueues and reads: the kinds are known by name, the workers run them.
  const jobs = await openJobRuntime(store, pino({ level: 'silent' }), { supervise: false });
  await store.transaction((tx) => tx.parties.insert({ id: 'sup', name: 'Supplier', role: 'supplier', eui: '00DB1234567890A1' as Eui, distributorId: null }));
  for (const name of ['fleet-generate', 'hht-upload'])
    await jobs.register({ name, expireInSeconds: 3_600, retryLimit: 1, handler: async () => assert.fail('the test process runs no jobs') });
  return { store, jobs };
}

describe('job workers on one PostgreSQL', { skip: PG_URL ? false : skipBecause('postgres', 'worker processes test skipped: set METEROPS_TEST_DATABASE_URL to run it') }, () => {
  it('a worker killed with SIGKILL mid-job loses nothing: another runs the job again once its lease ends', async () => {
    const db = await freshPgDatabase(PG_URL!);
    const dir = mkdtempSync(join(tmpdir(), 'meterops-workers-'));
    const { store, jobs } = await setUp(db.url);
    const flags = ['--database-url', db.url, '--data-dir', dir];
    const workers: Worker[] = [];
    try {
      const a = worker(flags);
      workers.push(a);
      // A fleet of 5,000 premises takes a second or two to generate and store; the lease is 8 s.
      const id = await store.transaction((tx) => jobs.enqueue(tx, 'fleet-generate', { partyId: 'dcc', premises: 5_000, seed: 'sigkill' }, { partyId: 'dcc', expireInSeconds: 8 }));
      await until('worker A to start the job', () => (a.seen('job started').includes(id) ? true : undefined));
      await new Promise((r) => setTimeout(r, 300));
      a.child.kill('SIGKILL');
      await a.exited;
      assert.deepEqual(a.seen('job completed'), []);
      const cut = await jobs.status(id);
      assert.equal(cut?.state, 'active', 'the queue still thinks A runs it until the lease ends');
      const b = worker(flags);
      workers.push(b);
      const s: JobStatus = await settled(jobs, id);
      assert.equal(s.state, 'completed', JSON.stringify(s.error));
      assert.equal(s.attempts, 2);
      assert.deepEqual(b.seen('job completed'), [id]);
      const result = s.result as { premises: number; devices: number; id: string };
      assert.equal(result.premises, 5_000);
      // Exactly one fleet stored, with exactly the devices the completed run reported.
      const counts = await sql<{
        fleets: number;
        devices: number;
      }>`SELECT (SELECT count(*)::int FROM sim_fleets) AS fleets, (SELECT count(*)::int FROM devices) AS devices`.execute(store.database.db);
      assert.deepEqual(counts.rows[0], { fleets: 1, devices: result.devices });
    } finally {
      for (const w of workers) w.child.kill('SIGKILL');
      await Promise.all(workers.map((w) => w.exited));
      await jobs.stop(1_000);
      await store.close();
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('two workers take different jobs, and no job runs to completion twice', async () => {
    const db = await freshPgDatabase(PG_URL!);
    const dir = mkdtempSync(join(tmpdir(), 'meterops-workers-'));
    const { store, jobs } = await setUp(db.url);
    const flags = ['--database-url', db.url, '--data-dir', dir];
    const workers = [worker(flags), worker(flags)];
    try {
      await until('both workers to start', () => (workers.every((w) => w.ready()) ? true : undefined));
      // HHT uploads of rows for orders that do not exist: each job verifies and rejects its 20 rows.
      const rows = (i: number) => Array.from({ length: 20 }, (_, k) => ({ orderId: `order-${i}`, seq: k, response: 'DF09', deliveredAt: '2026-01-01T00:00:00Z' }));
      const ids = await store.transaction(async (tx) => {
        const out: string[] = [];
        for (let i = 0; i < 16; i++) out.push(await jobs.enqueue(tx, 'hht-upload', { partyId: 'sup', person: 'test', responses: rows(i) }, { partyId: 'sup' }));
        return out;
      });
      const final = await Promise.all(ids.map((id) => settled(jobs, id)));
      assert.deepEqual(
        final.map((s) => [s.state, s.attempts, s.error?.message]),
        ids.map(() => ['completed', 1, undefined]),
      );
      const [x, y] = workers.map((w) => w.seen('job completed')) as [string[], string[]];
      assert.ok(x.length > 0 && y.length > 0, `each worker ran some: ${x.length} and ${y.length}`);
      assert.deepEqual(
        x.filter((id) => y.includes(id)),
        [],
        'no job completed by both',
      );
      assert.deepEqual([...x, ...y].sort(), [...ids].sort());
      for (const f of final) assert.equal((f.result as { rejected: unknown[] }).rejected.length, 20);
    } finally {
      for (const w of workers) w.child.kill('SIGTERM');
      await Promise.all(workers.map((w) => w.exited));
      await jobs.stop(1_000);
      await store.close();
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
