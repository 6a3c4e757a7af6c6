// Audit log benchmark, on PostgreSQL and PGlite: BENCH_AUDIT_ENTRIES entries appended by
// BENCH_CONCURRENCY concurrent transactions (each one audit() call, as every use case ends), beside
// the same transactions inserting the same row into a table with no log in the same run; then the
// sequencer placing them all (leaves/s, with a signed head per batch of 5,000), verification of the
// whole log (leaves/s), and inclusion proofs of random entries (proofs/s).
import { PGlite } from '@electric-sql/pglite';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { sql } from 'kysely';
import type { Party } from '../src/domain/index.ts';
import { auditKeyFromSeed } from '../src/keys/audit-key-file.ts';
import { audit, verifyAudit } from '../src/services/audit.ts';
import { auditInclusionProof } from '../src/services/audit-proofs.ts';
import { drainAudit } from '../src/services/audit-sequencer.ts';
import { noKeySource } from '../src/services/keystore-key-source.ts';
import { wireWorld } from '../src/composition/wire-world.ts';
import { SimulatedWorld } from '../src/world/simulated-world.ts';
import { fromPglite, openDatabase, type Database } from '../src/store/database.ts';
import { INT8_OID, parseInt8 } from '../src/store/int8.ts';
import { migrate } from '../src/store/migrate.ts';
import { storeOn, type Store } from '../src/store/store.ts';
import { figure, report, type BenchFigure } from './report.ts';

const N = Number(process.env.BENCH_AUDIT_ENTRIES ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const PROOFS = Number(process.env.BENCH_PROOFS ?? 1_000);
const PG_URL = process.env.METEROPS_BENCH_DATABASE_URL ?? process.env.METEROPS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const key = auditKeyFromSeed(new Uint8Array(32).fill(1));
const dcc: Party = { id: 'bench-dcc', name: 'DCC', role: 'dcc', eui: null, distributorId: null };

async function inParallel(n: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const t = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < n; i = next++) await fn(i);
    }),
  );
  return (performance.now() - t) / 1000;
}

async function run(name: string, database: Database): Promise<BenchFigure[]> {
  await migrate(database);
  const store: Store = storeOn(database);
  await sql`CREATE TABLE bench_plain (id bigserial PRIMARY KEY, at timestamptz, actor text, action text, entity text, details text)`.execute(database.db);
  const details = (i: number) => ({ i, device: `00DB1234567890${(i % 256).toString(16).padStart(2, '0')}`, pence: 100 });
  // Alternating halves, so that the machine's load falls on both alike.
  let withLog = 0;
  let plain = 0;
  for (let half = 0; half < 2; half++) {
    plain += await inParallel(N / 2, (i) =>
      database.db.transaction().execute(async (trx) => {
        await sql`INSERT INTO bench_plain (at, actor, action, entity, details) VALUES (${new Date()}, 'p-a', 'vend.credit', ${`vend/${i}`}, ${JSON.stringify(details(i))})`.execute(
          trx,
        );
      }),
    );
    withLog += await inParallel(N / 2, (i) => store.transaction((tx) => audit(tx, new Date(), 'p-a', 'vend.credit', `vend/${half}-${i}`, details(i))));
  }
  let t = performance.now();
  const placed = await drainAudit(store, key);
  const sequencing = (performance.now() - t) / 1000;
  t = performance.now();
  const v = await verifyAudit(store, [key.publicKey]);
  const verifying = (performance.now() - t) / 1000;
  if (!v.valid || v.integrated !== N) throw new Error(`verify: ${JSON.stringify(v.problems.slice(0, 3))}`);
  const deps = wireWorld(new SimulatedWorld(), { store, clock: () => new Date(), log: pino({ level: 'silent' }), auditKey: key }, noKeySource());
  const ids = (await store.read.audit.page(0, N)).map((e) => e.id);
  t = performance.now();
  await inParallel(PROOFS, (i) => auditInclusionProof(deps, dcc, ids[(i * 7919) % ids.length]!));
  const proving = (performance.now() - t) / 1000;
  return [
    figure(`${name}: transactions writing one audit entry (${CONCURRENCY} clients), against the same insert with no log`, N / withLog, 'tx/s', N / plain),
    figure(`${name}: sequencer, entries placed and signed`, placed / sequencing, 'leaves/s'),
    figure(`${name}: verify, whole log`, v.integrated / verifying, 'leaves/s'),
    figure(`${name}: inclusion proofs of random entries (${CONCURRENCY} clients)`, PROOFS / proving, 'proofs/s'),
  ];
}

const results: BenchFigure[] = [];
const schema = `bench_audit_${randomBytes(4).toString('hex')}`;
const pgdb = await openDatabase({ kind: 'postgres', url: PG_URL, schema, poolSize: CONCURRENCY + 2 });
try {
  results.push(...(await run('postgres', pgdb)));
} finally {
  await sql.raw(`DROP SCHEMA ${schema} CASCADE`).execute(pgdb.db);
  await pgdb.close();
}
const lite = fromPglite(await PGlite.create({ parsers: { [INT8_OID]: parseInt8 } }));
try {
  results.push(...(await run('pglite', lite)));
} finally {
  await lite.close();
}
report('audit', results, { database: `PostgreSQL at ${new URL(PG_URL).host}` });
