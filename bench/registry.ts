// Registry benchmark: import N devices through the registration service and measure point
// lookups, on PGlite and on PostgreSQL; beside them, the same rows loaded with COPY (server-side
// COPY over an open connection on PostgreSQL, timed alone; COPY from a blob on PGlite) in the same run.
import { PGlite } from '@electric-sql/pglite';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { wireWorld } from '../src/composition/wire-world.ts';
import { noKeySource } from '../src/services/keystore-key-source.ts';
import { SimulatedWorld } from '../src/world/simulated-world.ts';
import pg from 'pg';
import type { Eui, Party } from '../src/domain/index.ts';
import { registerDevices, type NumberedInput } from '../src/services/register-devices.ts';
import { fromPglite } from '../src/store/database.ts';
import { INT8_OID, parseInt8 } from '../src/store/int8.ts';
import { migrate } from '../src/store/migrate.ts';
import { storeOn, type Store } from '../src/store/store.ts';
import { openDatabase } from '../src/store/database.ts';
import { auditKeyFromSeed } from '../src/keys/audit-key-file.ts';
import { figure, percentile, report, type BenchFigure } from './report.ts';

const N = Number(process.env.BENCH_DEVICES ?? 1_000_000);
const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 20_000);
const PG_URL = process.env.METEROPS_BENCH_DATABASE_URL ?? process.env.METEROPS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TYPES = ['ESME', 'GSME', 'CHF', 'GPF', 'PPMID'];
const actor: Party = { id: 'bench-dcc', name: 'DCC', role: 'dcc', eui: null, distributorId: null };

const euiOf = (i: number) => (0x00bb000000000000n + BigInt(i)).toString(16).toUpperCase().padStart(16, '0') as Eui;
// Built per import and dropped after it, so the lookups run on a heap the size a server would have.
const makeRows = (): NumberedInput[] =>
  Array.from({ length: N }, (_, i) => ({
    row: i + 1,
    input: { eui: euiOf(i), type: TYPES[i % 5], manufacturer: 'Acme', model: `M${i % 7}`, firmwareVersion: '1.0.0', ownerPartyId: actor.id },
  }));
const collectGarbage = () => (globalThis as { gc?: () => void }).gc?.();
const csvLine = (i: number) => `${euiOf(i)},${TYPES[i % 5]},SMETS2+,Acme,M${i % 7},1.0.0,Pending,in_stock,${actor.id},,${actor.id}`;
const COPY_COLUMNS = 'eui,device_type,smets_generation,manufacturer,model,firmware_version,inventory_status,asset_status,owner_party_id,supplier_party_id,custodian_party_id';

async function seedActor(store: Store) {
  await store.transaction((tx) => tx.parties.insert(actor));
}

async function importRate(store: Store): Promise<number> {
  await seedActor(store);
  const rows = makeRows();
  const t = performance.now();
  const result = await registerDevices(
    wireWorld(new SimulatedWorld(), { store, clock: () => new Date(), log: pino({ level: 'silent' }), auditKey: auditKeyFromSeed(new Uint8Array(32).fill(1)) }, noKeySource()),
    actor,
    rows,
  );
  const s = (performance.now() - t) / 1000;
  if (result.written !== N) throw new Error(`imported ${result.written} of ${N}`);
  return N / s;
}

async function lookupLatencies(store: Store): Promise<number[]> {
  collectGarbage();
  // Warm the JIT and the connection pool first; only the steady state is reported.
  for (let k = 0; k < 2_000; k++) await store.read.devices.get(euiOf(Math.floor(Math.random() * N)));
  const ms: number[] = [];
  for (let k = 0; k < LOOKUPS; k++) {
    const eui = euiOf(Math.floor(Math.random() * N));
    const t = performance.now();
    const d = await store.read.devices.get(eui);
    ms.push(performance.now() - t);
    if (!d) throw new Error(`lookup of ${eui} found nothing`);
  }
  return ms.sort((a, b) => a - b);
}

const results: BenchFigure[] = [];
const dir = mkdtempSync(join(tmpdir(), 'meterops-bench-'));
const csvPath = join(dir, 'devices.csv');
writeFileSync(csvPath, Array.from({ length: N }, (_, i) => csvLine(i)).join('\n') + '\n');

try {
  // PostgreSQL: raw COPY through psql into a fresh schema, then the service into another.
  const run = randomBytes(4).toString('hex');
  const schemaRaw = `bench_raw_${run}`;
  const schemaSvc = `bench_svc_${run}`;
  const raw = await openDatabase({ kind: 'postgres', url: PG_URL, schema: schemaRaw });
  await migrate(raw);
  await storeOn(raw).transaction((tx) => tx.parties.insert(actor));
  await raw.close();
  // Server-side COPY over an open connection, so the timing is the load alone: no psql process
  // start, no client-side file streaming. The server reads the file, so it must be able to.
  chmodSync(dir, 0o755);
  chmodSync(csvPath, 0o644);
  const copier = new pg.Client({ connectionString: PG_URL });
  await copier.connect();
  await copier.query(`SET search_path = ${schemaRaw}`);
  const t0 = performance.now();
  await copier.query(`COPY devices (${COPY_COLUMNS}) FROM '${csvPath}' WITH (FORMAT csv)`);
  const copyRate = N / ((performance.now() - t0) / 1000);
  const version = String((await copier.query('SHOW server_version')).rows[0].server_version);
  await copier.end();
  console.log(`postgres: raw COPY ${Math.round(copyRate)} rows/s`);

  const svcDb = await openDatabase({ kind: 'postgres', url: PG_URL, schema: schemaSvc });
  await migrate(svcDb);
  const pgStore = storeOn(svcDb);
  const pgImport = await importRate(pgStore);
  console.log(`postgres: service import ${Math.round(pgImport)} devices/s`);
  const pgLookups = await lookupLatencies(pgStore);
  await pgStore.close();
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`DROP SCHEMA ${schemaRaw} CASCADE; DROP SCHEMA ${schemaSvc} CASCADE`);
  await admin.end();

  results.push(
    figure('postgres: import via registerDevices', pgImport, 'rows/s', copyRate),
    figure('postgres: lookup p50 at N devices', percentile(pgLookups, 50), 'ms'),
    figure('postgres: lookup p99 at N devices', percentile(pgLookups, 99), 'ms'),
  );

  // PGlite: COPY from a blob into one fresh instance, the service into another.
  const pgliteRaw = await PGlite.create({ dataDir: join(dir, 'pglite-raw'), parsers: { [INT8_OID]: parseInt8 } });
  const rawDb = fromPglite(pgliteRaw);
  await migrate(rawDb);
  await storeOn(rawDb).transaction((tx) => tx.parties.insert(actor));
  const t1 = performance.now();
  await pgliteRaw.query(`COPY devices (${COPY_COLUMNS}) FROM '/dev/blob' WITH (FORMAT csv)`, [], { blob: new Blob([readFileSync(csvPath)]) });
  const pgliteCopy = N / ((performance.now() - t1) / 1000);
  await rawDb.close();
  console.log(`pglite: raw COPY ${Math.round(pgliteCopy)} rows/s`);

  const pgliteSvc = fromPglite(await PGlite.create({ dataDir: join(dir, 'pglite-svc'), parsers: { [INT8_OID]: parseInt8 } }));
  await migrate(pgliteSvc);
  const liteStore = storeOn(pgliteSvc);
  const liteImport = await importRate(liteStore);
  console.log(`pglite: service import ${Math.round(liteImport)} devices/s`);
  const liteLookups = await lookupLatencies(liteStore);
  await liteStore.close();
  results.push(
    figure('pglite: import via registerDevices', liteImport, 'rows/s', pgliteCopy),
    figure('pglite: lookup p50 at N devices', percentile(liteLookups, 50), 'ms'),
    figure('pglite: lookup p99 at N devices', percentile(liteLookups, 99), 'ms'),
    figure('devices (N)', N, 'devices'),
  );
  report('registry', results, { database: `PostgreSQL ${version} at ${new URL(PG_URL).host}; PGlite in process` });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
