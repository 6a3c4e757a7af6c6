import { PGlite } from '@electric-sql/pglite';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

const MIGRATIONS = join(import.meta.dirname, '..', '..', 'src', 'store', 'migrations');
let template: Promise<Blob> | undefined;

/**
 * A migrated PGlite data directory to copy each fresh database from: initdb and the migrations run
 * once per set of migrations (and PGlite version), not once per test file. Kept in the system's
 * temp directory under a name that hashes both, so a changed migration makes a new one.
 */
function migratedTemplate(): Promise<Blob> {
  template ??= (async () => {
    const pglite = join(import.meta.dirname, '..', '..', 'node_modules', '@electric-sql', 'pglite', 'package.json');
    const h = createHash('sha256').update(existsSync(pglite) ? readFileSync(pglite) : 'unknown pglite');
    for (const f of readdirSync(MIGRATIONS).sort()) h.update(f).update(readFileSync(join(MIGRATIONS, f)));
    const file = join(tmpdir(), `meterops-pglite-template-${h.digest('hex').slice(0, 16)}.tar`);
    if (existsSync(file)) return new Blob([readFileSync(file)]);
    const pg = await PGlite.create({ parsers: { [INT8_OID]: parseInt8 } });
    await migrate(fromPglite(pg));
    const dump = await pg.dumpDataDir('none');
    await pg.close();
    // Written aside and renamed, so a file running beside this one reads a whole template or none.
    const part = `${file}.${randomBytes(4).toString('hex')}`;
    writeFileSync(part, Buffer.from(await dump.arrayBuffer()));
    renameSync(part, file);
    return dump;
  })();
  return template;
}

/** A fresh, migrated in-memory PGlite database (a copy of the migrated template). */
export async function freshPglite(): Promise<Database> {
  const database = fromPglite(await PGlite.create({ parsers: { [INT8_OID]: parseInt8 }, loadDataDir: await migratedTemplate() }));
  // Applies nothing on the template, but checks its migrations' checksums against the files.
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
      // pg-boss's schema beside it, where a test started a job runtime (src/jobs/pg-boss-runtime.ts).
      await c.query(`DROP SCHEMA IF EXISTS ${schema}_pgboss CASCADE`);
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
