// A PostgreSQL server may end a pooled connection while it sits idle (pg_terminate_backend by an
// administrator, DROP DATABASE ... WITH (FORCE), a restart). node-postgres then emits 'error' on its
// pool, and with no listener that is an uncaught exception: the whole process dies. The store keeps
// serving instead: the pool forgets the dead connection and the next query opens a fresh one.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../../src/store/database.ts';
import { PG_URL } from '../support/backends.ts';
import { skipBecause } from '../support/skips.ts';

describe('a pooled PostgreSQL connection ended by the server while idle', { skip: PG_URL ? false : skipBecause('postgres', 'set METEROPS_TEST_DATABASE_URL to run it') }, () => {
  it('is dropped from the pool with a warning, the process lives on and the next query is answered', async () => {
    const database = await openDatabase({ kind: 'postgres', url: PG_URL!, poolSize: 1 });
    const admin = new pg.Client({ connectionString: PG_URL! });
    await admin.connect();
    try {
      // The pool's one connection runs a query and goes back to the pool, idle, with this backend pid.
      const before = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(database.db);
      const pid = before.rows[0]!.pid;
      const warned = once(process, 'warning') as Promise<[Error & { code?: string }]>;
      const killed = await admin.query<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [pid]);
      assert.equal(killed.rows[0]?.ok, true, 'PostgreSQL ended the idle backend');
      const [warning] = await Promise.race([
        warned,
        new Promise<never>((_, fail) => setTimeout(() => fail(new Error('no warning within 5 s: the ended connection went unnoticed or crashed the process')), 5_000).unref()),
      ]);
      assert.equal(warning.code, 'METEROPS_PG_IDLE');
      assert.match(warning.message, /terminating connection due to administrator command/);
      const after = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(database.db);
      assert.notEqual(after.rows[0]!.pid, pid, 'a fresh connection answered');
    } finally {
      await admin.end();
      await database.close();
    }
  });
});
