// Several processes starting at once on a fresh PostgreSQL database (the two-server start of
// docs/scaling.md): they migrate it at once, and start the job runtime at once where pg-boss is not
// yet installed. Every one starts, the migrations are applied once, and the queue works. Without the
// install lock (src/jobs/pg-boss-runtime.ts) the losers of the race failed with
// `duplicate key value violates unique constraint "pg_namespace_nspname_index"` (seen in CI).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import pg from 'pg';
import pino from 'pino';
import { openJobRuntime } from '../../src/jobs/pg-boss-runtime.ts';
import type { JobRuntime } from '../../src/services/ports/job-queue.ts';
import { openDatabase } from '../../src/store/database.ts';
import { loadMigrations, migrate } from '../../src/store/migrate.ts';
import { storeOn, type Store } from '../../src/store/store.ts';
import { PG_URL } from '../support/backends.ts';
import { skipBecause } from '../support/skips.ts';

const log = pino({ level: 'silent' });
const PROCESSES = 4;
const ROUNDS = 3;

async function dropSchemas(schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL! });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.query(`DROP SCHEMA IF EXISTS ${schema}_pgboss CASCADE`);
  await c.end();
}

describe(
  'processes starting at once on a fresh PostgreSQL database',
  { skip: PG_URL ? false : skipBecause('postgres', 'install race skipped: set METEROPS_TEST_DATABASE_URL to run it') },
  () => {
    it(`${PROCESSES} processes migrate one fresh schema at once: each migration applied once, every process sees them all (${ROUNDS} schemas)`, async () => {
      const files = loadMigrations().map((m) => `${m.version}_${m.name}`);
      for (let round = 0; round < ROUNDS; round++) {
        const schema = `t_${randomBytes(6).toString('hex')}`;
        const opened = await Promise.allSettled(Array.from({ length: PROCESSES }, () => openDatabase({ kind: 'postgres', url: PG_URL!, schema, poolSize: 2 })));
        const databases = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
        try {
          assert.deepEqual(
            opened.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error).message)] : [])),
            [],
            `round ${round}: databases that failed to open`,
          );
          const reports = await Promise.allSettled(databases.map((d) => migrate(d)));
          const failures = reports.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error).message)] : []));
          assert.deepEqual(failures, [], `round ${round}: migrators that failed`);
          const applied = reports.flatMap((r) => (r.status === 'fulfilled' ? r.value.applied : []));
          // Every file applied by exactly one of them, in all.
          assert.deepEqual([...applied].sort(), [...files].sort());
          const { rows } = await databases[PROCESSES - 1]!.executeSql('SELECT version FROM schema_migrations ORDER BY version');
          assert.equal(rows.length, files.length);
        } finally {
          await Promise.allSettled(databases.map((d) => d.close()));
          await dropSchemas(schema);
        }
      }
    });

    it(`${PROCESSES} runtimes, each on its own connection pool, all start and share one queue (${ROUNDS} fresh schemas)`, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const schema = `t_${randomBytes(6).toString('hex')}`;
        const stores: Store[] = [];
        const runtimes: JobRuntime[] = [];
        try {
          const first = await openDatabase({ kind: 'postgres', url: PG_URL!, schema, poolSize: 3 });
          await migrate(first);
          stores.push(storeOn(first));
          for (let i = 1; i < PROCESSES; i++) stores.push(storeOn(await openDatabase({ kind: 'postgres', url: PG_URL!, schema, poolSize: 3 })));
          await stores[0]!.transaction((tx) => tx.parties.insert({ id: 'sup-1', name: 'Supplier 1', role: 'supplier', eui: null, distributorId: null }));
          const started = await Promise.allSettled(stores.map((s) => openJobRuntime(s, log, { supervise: false })));
          for (const r of started) if (r.status === 'fulfilled') runtimes.push(r.value);
          const failures = started.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error).message)] : []));
          assert.deepEqual(failures, [], `round ${round}: runtimes that failed to start`);
          // One queue between them: a job one enqueues, another sees.
          await runtimes[0]!.register({ name: 'race-echo', expireInSeconds: 60, handler: async () => ({ ok: true }) });
          const id = await stores[0]!.transaction((tx) => runtimes[0]!.enqueue(tx, 'race-echo', { n: round }, { partyId: 'sup-1' }));
          const seen = await runtimes[PROCESSES - 1]!.status(id);
          assert.equal(seen?.id, id);
          assert.equal(seen?.name, 'race-echo');
        } finally {
          await Promise.allSettled(runtimes.map((r) => r.stop(5_000)));
          await Promise.allSettled(stores.map((s) => s.close()));
          await dropSchemas(schema);
        }
      }
    });
  },
);
