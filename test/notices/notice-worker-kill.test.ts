// A worker killed with SIGKILL in the middle of a webhook delivery loses nothing: its attempt never
// committed, so once the job's lease ends another worker (a separate `meterops worker` process on
// the same PostgreSQL) makes it again, with the same webhook-id; the receiver, which had the first
// request, acknowledges the repeat without acting on it twice (at least once, idempotent).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import pino from 'pino';
import type { Party } from '../../src/domain/index.ts';
import { openJobRuntime } from '../../src/jobs/pg-boss-runtime.ts';
import { openNoticeKeyFile } from '../../src/keys/secret-box.ts';
import { showDelivery } from '../../src/services/notices/delivery-log.ts';
import { NOTICE_DELIVERY_JOB, writeNotices } from '../../src/services/notices/outbox.ts';
import { createEndpoint } from '../../src/services/notices/webhook-endpoints.ts';
import { openStore } from '../../src/store/store.ts';
import { PG_URL } from '../support/backends.ts';
import { aParty, depsFor } from '../support/builders.ts';
import { freshPgDatabase } from '../support/served-fleet.ts';
import { skipBecause } from '../support/skips.ts';
import { startReceiver, until } from '../support/webhook-receiver.ts';

const MAIN = join(import.meta.dirname, '..', '..', 'src', 'main.ts');
const TIMEOUT_MS = 3_000;

function worker(flags: readonly string[], env: Record<string, string>): { child: ChildProcess; exited: Promise<unknown>; ready: () => boolean } {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'worker', '--maintenance-seconds', '1', ...flags], {
    env: { ...process.env, METEROPS_LOG_LEVEL: 'warn', METEROPS_DEMO: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let banner = false;
  child.stdout!.on('data', (d: Buffer) => (banner ||= d.toString().includes('meterops worker:')));
  child.stderr!.on('data', () => {});
  return { child, exited: new Promise((ok) => child.on('exit', ok)), ready: () => banner };
}

describe(
  'a webhook delivery whose worker is killed',
  { skip: PG_URL ? false : skipBecause('postgres', 'worker processes test skipped: set METEROPS_TEST_DATABASE_URL to run it') },
  () => {
    it('is made again by another worker once the lease ends: the same webhook-id, acted on once', { timeout: 120_000 }, async () => {
      const db = await freshPgDatabase(PG_URL!);
      const dir = mkdtempSync(join(tmpdir(), 'meterops-notice-kill-'));
      const keyFile = join(dir, 'notice-key');
      const env = { METEROPS_NOTICE_KEY_FILE: keyFile, METEROPS_WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS) };
      const flags = ['--database-url', db.url, '--data-dir', dir];
      const { store } = await openStore({ kind: 'postgres', url: db.url });
      const rx = await startReceiver(1_500);
      const workers: Array<ReturnType<typeof worker>> = [];
      const jobs = await openJobRuntime(store, pino({ level: 'silent' }), { supervise: false });
      try {
        const dno: Party = aParty({ id: 'kill-dno', role: 'network_operator', distributorId: 12 });
        await store.transaction((tx) => tx.parties.insert(dno));
        // This process writes and reads; the workers deliver (the kind is known here by name only).
        await jobs.register({ name: NOTICE_DELIVERY_JOB, expireInSeconds: 60, handler: async () => assert.fail('the test process delivers nothing') });
        const deps = { ...depsFor(store), secrets: openNoticeKeyFile(keyFile), jobs };
        const { secret } = await createEndpoint(deps, dno, { url: `${rx.url}/held`, eventTypes: ['device.removed'] });
        rx.secret('held', secret);
        // The receiver holds each request 1.5 s before answering: long enough to kill the worker.
        rx.behave('held', 'slow');
        const a = worker(flags, env);
        workers.push(a);
        await until('worker A', () => (a.ready() ? true : undefined), 60_000);
        const [notice] = await store.transaction((tx) => writeNotices(deps, tx, [{ eventType: 'device.removed', partyId: dno.id, data: { deviceEui: 'KILLED' } }]));
        await until('the first request', () => (rx.received.some((m) => m.path === 'held') ? true : undefined), 30_000);
        a.child.kill('SIGKILL');
        await a.exited;
        const b = worker(flags, env);
        workers.push(b);
        const d = (await store.read.notices.deliveryPage({ noticeId: notice!.id }, { limit: 1 })).items[0]!;
        const done = await until(
          'the delivery by worker B',
          async () => {
            const x = await showDelivery(deps, dno, d.id);
            return x.delivery.state === 'delivered' ? x : undefined;
          },
          90_000,
        );
        const got = rx.received.filter((m) => m.path === 'held');
        assert.equal(got.length, 2, 'the cut-off attempt and the one made again');
        assert.ok(got.every((m) => m.verified && m.id === notice!.id));
        assert.deepEqual(
          got.map((m) => m.duplicate),
          [false, true],
        );
        assert.equal(rx.accepted(notice!.id), 1, 'acted on once');
        // The killed attempt never committed: the log has the one that finished.
        assert.deepEqual(
          done.attempts.map((x) => [x.attempt, x.statusCode]),
          [[1, 200]],
        );
      } finally {
        for (const w of workers) w.child.kill('SIGKILL');
        await Promise.all(workers.map((w) => w.exited));
        await jobs.stop(1_000);
        await rx.close();
        await store.close();
        await db.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
