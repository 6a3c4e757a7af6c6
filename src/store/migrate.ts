import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database } from './database.ts';

export interface Migration {
  readonly version: string;
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** The ordered migration set, one SQL file each: `NNNN_name.sql`. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      return {
        version: file.slice(0, 4),
        name: file.slice(5, -4),
        sql: text,
        checksum: createHash('sha256').update(text).digest('hex'),
      };
    });
}

export interface MigrationReport {
  readonly applied: readonly string[];
  readonly alreadyApplied: number;
}

// An arbitrary constant: the advisory lock that serialises migrators on one PostgreSQL database.
const MIGRATION_LOCK_KEY = 5_318_008_001;

/**
 * Applies every migration not yet applied, each in its own transaction with its bookkeeping row.
 * A migration whose file changed after it was applied is refused: the schema would no longer be
 * what the files say.
 */
export async function migrate(database: Database, migrations = loadMigrations()): Promise<MigrationReport> {
  return database.withSession(async (session, exec) => {
    // The lock first: `CREATE TABLE IF NOT EXISTS` run by two sessions at once can fail on a
    // catalog unique index rather than skip, so even the bookkeeping table is made under it.
    if (database.kind === 'postgres') await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(session);
    try {
      await exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version text PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now())`);
      const done = await session.selectFrom('schema_migrations').select(['version', 'name', 'checksum']).execute();
      const byVersion = new Map(done.map((m) => [m.version, m]));
      const applied: string[] = [];
      for (const m of migrations) {
        const prior = byVersion.get(m.version);
        if (prior) {
          if (prior.checksum !== m.checksum) {
            throw new Error(`migration ${m.version}_${m.name} was changed after it was applied; add a new migration instead`);
          }
          continue;
        }
        await exec('BEGIN');
        try {
          await exec(m.sql);
          await session.insertInto('schema_migrations').values({ version: m.version, name: m.name, checksum: m.checksum }).execute();
          await exec('COMMIT');
        } catch (err) {
          await exec('ROLLBACK');
          throw new Error(`migration ${m.version}_${m.name} failed: ${(err as Error).message}`, { cause: err });
        }
        applied.push(`${m.version}_${m.name}`);
      }
      return { applied, alreadyApplied: done.length };
    } finally {
      if (database.kind === 'postgres') await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(session);
    }
  });
}
