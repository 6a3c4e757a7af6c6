import { PGlite } from '@electric-sql/pglite';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { fromPglite, openDatabase, type Database } from '../../src/store/database.ts';
import { INT8_OID, parseInt8 } from '../../src/store/int8.ts';
import { migrate } from '../../src/store/migrate.ts';
import { storeOn, type Store } from '../../src/store/store.ts';
import { skipBecause } from './skips.ts';

export interface Backend {
  readonly name: 'pglite' | 'postgres';
  /** Why this backend does not run here, or null when it does. */
  readonly skip: string | null;
  /** A migrated store, fresh for the calling test file. */
  open(): Promise<Store>;
}

export const PG_URL = process.env.METEROPS_TEST_DATABASE_URL;

/** A fresh, migrated in-memory PGlite database. */
export async function freshPglite(): Promise<Database> {
  const database = fromPglite(await PGlite.create({ parsers: { [INT8_OID]: parseInt8 } }));
  await migrate(database);
  return database;
}

/** A fresh schema on the test PostgreSQL server, dropped when the store closes. */
export async function freshPostgres(url: string): Promise<Database> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const database = await openDatabase({ kind: 'postgres', url, schema, poolSize: 5 });
  await migrate(database);
  return {
    ...database,
    async close() {
      await database.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}

/** Every backend the store contract runs on: PGlite always, PostgreSQL when configured. */
export const BACKENDS: readonly Backend[] = [
  { name: 'pglite', skip: null, open: async () => storeOn(await freshPglite()) },
  {
    name: 'postgres',
    skip: PG_URL ? null : skipBecause('postgres', 'PostgreSQL suite skipped: set METEROPS_TEST_DATABASE_URL to run it'),
    open: async () => storeOn(await freshPostgres(PG_URL!)),
  },
];
