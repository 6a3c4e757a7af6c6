import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
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
  close(): Promise<void>;
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
  // Fail fast with the driver's own message if the server is not there.
  const probe = await pool.connect();
  try {
    if (target.schema) await probe.query(`CREATE SCHEMA IF NOT EXISTS ${target.schema}`);
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
    async close() {
      await db.destroy();
    },
  };
}
