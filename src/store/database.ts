import { PGlite } from '@electric-sql/pglite';
import { CompiledQuery, Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { lockDataDir, type DataDirLock } from './data-dir-lock.ts';
import { INT8_OID, parseInt8 } from './int8.ts';
import { PgliteDialect } from './pglite-dialect.ts';
import type { DB } from './schema.ts';

export type DatabaseKind = 'pglite' | 'postgres';

export type DatabaseTarget =
  { readonly kind: 'pglite'; readonly dataDir: string | null } | { readonly kind: 'postgres'; readonly url: string; readonly schema?: string; readonly poolSize?: number };

/** One multi-statement SQL script runner bound to one session (migrations, bulk setup). */
export type ScriptRunner = (script: string) => Promise<void>;

export interface Database {
  readonly kind: DatabaseKind;
  readonly db: Kysely<DB>;
  /** Runs fn on one session with a script runner for multi-statement SQL on that same session. */
  withSession<T>(fn: (session: Kysely<DB>, exec: ScriptRunner) => Promise<T>): Promise<T>;
  /**
   * One SQL text as a library hands it over (the job queue's own statements): with parameters, one
   * statement; without, possibly a script of several, whose last result's rows are returned.
   */
  executeSql(text: string, values?: readonly unknown[]): Promise<{ rows: unknown[] }>;
  close(): Promise<void>;
}

/** Runs one parameterised statement on a Kysely executor (a transaction's, so it joins it). */
export async function executeOn(db: Kysely<DB>, text: string, values: readonly unknown[] = []): Promise<{ rows: unknown[] }> {
  const r = await db.executeQuery(CompiledQuery.raw(text, [...values]));
  return { rows: [...r.rows] };
}

export type Tx = Transaction<DB>;

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  return target.kind === 'pglite' ? openPglite(target.dataDir) : openPostgres(target);
}

async function openPglite(dataDir: string | null): Promise<Database> {
  const lock: DataDirLock | null = dataDir ? lockDataDir(dataDir) : null;
  try {
    const pglite = await PGlite.create({
      ...(dataDir ? { dataDir: `${dataDir}/pglite` } : {}),
      parsers: { [INT8_OID]: parseInt8 },
    });
    return fromPglite(pglite, lock);
  } catch (err) {
    lock?.release();
    throw err;
  }
}

/** Wraps an open PGlite (also a clone of a migrated template in tests). */
export function fromPglite(pglite: PGlite, lock: DataDirLock | null = null): Database {
  const db = new Kysely<DB>({ dialect: new PgliteDialect(pglite) });
  return {
    kind: 'pglite',
    db,
    withSession: (fn) =>
      db.connection().execute(async (conn) =>
        // The session lock is held for the callback, so exec on the raw PGlite cannot interleave.
        fn(conn, async (script) => {
          await pglite.exec(script);
        }),
      ),
    executeSql: (text, values = []) =>
      db.connection().execute(async (conn) => {
        if (values.length > 0) return executeOn(conn, text, values);
        // PGlite's query() takes one statement; a script without parameters goes through exec().
        const results = await pglite.exec(text);
        return { rows: [...(results.at(-1)?.rows ?? [])] };
      }),
    async close() {
      await db.destroy();
      await pglite.close();
      lock?.release();
    },
  };
}

async function openPostgres(target: { url: string; schema?: string; poolSize?: number }): Promise<Database> {
  const types = {
    getTypeParser: (oid: number, format?: string) => (oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format as 'text')),
  };
  if (target.schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(target.schema)) {
    throw new Error(`schema name ${target.schema} is not a plain lower-case identifier`);
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: target.poolSize ?? 10,
    types,
    ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
  });
  // A pooled connection the server ends while idle (an administrator, a restart, a failover) is
  // dropped from the pool and the next checkout opens a fresh one; without a listener node-postgres
  // raises it as an uncaught 'error' and the process dies. Queries in flight still fail to their callers.
  pool.on('error', (err) => process.emitWarning(`PostgreSQL ended an idle pooled connection: ${err.message}`, { code: 'METEROPS_PG_IDLE' }));
  // Fail fast with the driver's own message if the server is not there.
  const probe = await pool.connect();
  try {
    // Two processes creating one schema at once: the loser can fail on pg_namespace's unique
    // index instead of skipping (PostgreSQL's IF NOT EXISTS is not race-free), and the schema is there.
    if (target.schema) {
      await probe.query(`CREATE SCHEMA IF NOT EXISTS ${target.schema}`).catch((err: { code?: string }) => {
        if (err.code !== '23505') throw err;
      });
    }
  } finally {
    probe.release();
  }
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    db,
    withSession: (fn) =>
      db.connection().execute(async (conn) =>
        // pg sends a query without parameters by the simple protocol, which accepts many statements.
        fn(conn, async (script) => {
          await sql.raw(script).execute(conn);
        }),
      ),
    // Without parameters pg uses the simple protocol, which takes a script of several statements.
    executeSql: (text, values = []) => executeOn(db, text, values),
    async close() {
      await db.destroy();
    },
  };
}
