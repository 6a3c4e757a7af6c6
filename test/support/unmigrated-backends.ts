import { PGlite } from '@electric-sql/pglite';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { fromPglite, openDatabase, type Database } from '../../src/store/database.ts';
import { INT8_OID, parseInt8 } from '../../src/store/int8.ts';
import { PG_URL } from './backends.ts';
import { skipBecause } from './skips.ts';

/** An empty database on each backend, migrated by the test itself (to test a migration over old rows). */
export interface UnmigratedBackend {
  readonly name: 'pglite' | 'postgres';
  readonly skip: string | false;
  open(): Promise<{ db: Database; drop(): Promise<void> }>;
}

export const UNMIGRATED_BACKENDS: readonly UnmigratedBackend[] = [
  {
    name: 'pglite',
    skip: false,
    open: async () => {
      const db = fromPglite(await PGlite.create({ parsers: { [INT8_OID]: parseInt8 } }));
      return { db, drop: () => db.close() };
    },
  },
  {
    name: 'postgres',
    skip: PG_URL ? false : skipBecause('postgres', 'PostgreSQL suite skipped: set METEROPS_TEST_DATABASE_URL to run it'),
    open: async () => {
      // A schema of its own, dropped afterwards: the server's database is shared with other files.
      const schema = `t_${randomBytes(6).toString('hex')}`;
      const db = await openDatabase({ kind: 'postgres', url: PG_URL!, schema, poolSize: 2 });
      return {
        db,
        async drop() {
          await db.close();
          const c = new pg.Client({ connectionString: PG_URL });
          await c.connect();
          await c.query(`DROP SCHEMA ${schema} CASCADE`);
          await c.end();
        },
      };
    },
  },
];
