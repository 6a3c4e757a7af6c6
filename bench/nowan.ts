// No-WAN benchmark, on PostgreSQL: 100,000 UTRN vends through the HTTP API beside the raw UTRN rate
// of the GBCS core in the same run; 1,000 concurrent vend requests over 100 idempotency keys; and
// one HHT upload of 10,000 device responses, verified and recorded, beside the same verification
// done in memory with no database.
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import pg from 'pg';
import { buildApp } from '../src/api/app.ts';
import { DEFAULT_API_LIMITS } from '../src/api/api-limits.ts';
import type { Eui, Party } from '../src/domain/index.ts';
import type { Esme } from '../src/world/devices/esme.ts';
import { Fleet } from '../src/world/devices/fleet.ts';
import { FleetKeyStore } from '../src/world/devices/fleet-key-store.ts';
import { fromHex } from '../src/gbcs/byte-reader.ts';
import { withAgreementCache } from '../src/gbcs/agreement-cache.ts';
import { generateUtrn } from '../src/gbcs/generate-utrn.ts';
import { USE_CASES } from '../src/gbcs/use-cases.ts';
import { verifyLocalResponse } from '../src/gbcs/verify-local-response.ts';
import { hashApiKey } from '../src/services/authenticate.ts';
import type { ServiceDeps } from '../src/services/deps.ts';
import { wireWorld } from '../src/composition/wire-world.ts';
import { noKeySource } from '../src/services/keystore-key-source.ts';
import { fleetId, SimulatedWorld } from '../src/world/simulated-world.ts';
import { generateFleet } from '../src/world/fleet-service.ts';
import { createWorkOrder } from '../src/services/work-orders.ts';
import { openDatabase } from '../src/store/database.ts';
import { migrate } from '../src/store/migrate.ts';
import { storeOn } from '../src/store/store.ts';
import { auditKeyFromSeed } from '../src/keys/audit-key-file.ts';
import { figure, report, type BenchFigure } from './report.ts';
import { vendPgbenchTps } from './vend-pgbench.ts';

const VENDS = Number(process.env.BENCH_VENDS ?? 100_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const UPLOAD = Number(process.env.BENCH_UPLOAD ?? 10_000);
const PG_URL = process.env.METEROPS_BENCH_DATABASE_URL ?? process.env.METEROPS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PREMISES = 2_000;
const results: BenchFigure[] = [];

const schema = `bench_nowan_${randomBytes(4).toString('hex')}`;
const database = await openDatabase({ kind: 'postgres', url: PG_URL, schema, poolSize: 20 });
await migrate(database);
const store = storeOn(database);
const deps: ServiceDeps = wireWorld(
  new SimulatedWorld(),
  {
    store,
    clock: () => new Date(),
    log: pino({ level: 'silent' }),
    auditKey: auditKeyFromSeed(new Uint8Array(32).fill(1)),
    policy: { vendDailyCapPence: 1_000_000_000, anomalyLimits: { utrn_vend: { max: 10_000_000, windowMinutes: 60 }, hht_work_order: { max: 10_000_000, windowMinutes: 60 } } },
  },
  noKeySource(),
);
try {
  const dcc: Party = { id: 'bench-dcc', name: 'DCC', role: 'dcc', eui: null, distributorId: null };
  await store.transaction((tx) => tx.parties.insert(dcc));
  await generateFleet(deps, dcc, { premises: PREMISES, seed: 'bench-nowan' });
  const fleet = new Fleet({ premises: PREMISES, seed: 'bench-nowan' });
  const supplierEui = fleet.parties.suppliers[0]!.eui;
  const supplier = (await store.read.parties.list()).find((p) => p.eui === supplierEui)!;
  await store.transaction((tx) => tx.parties.addApiKey(supplier.id, hashApiKey('bench-key'), 'bench'));
  const premises = Array.from({ length: PREMISES }, (_, i) => fleet.premise(i)).filter((p) => p.supplier === supplierEui);
  const meters = premises.map((p) => p.devices.ESME!);
  console.log(`fleet: ${PREMISES} premises, ${meters.length} electricity meters of ${supplier.id}`);

  // Baseline: the GBCS core making UTRNs, no HTTP, no database, with the same keys the API path
  // uses (platform-keys.ts: the fleet's keystore with its ECDH results cached per key pair), warm on
  // every meter as the API path is after its warm-up below. Measured before and after the API run;
  // the baseline is their mean, so drift during the long run shows and does not favour either side.
  const keys = withAgreementCache(new FleetKeyStore(fleet));
  for (let i = 0; i < meters.length; i++) await generateUtrn(keys, { supplier: supplierEui, device: meters[i]!, counter: BigInt(i + 1) << 32n, value: 1, valueClass: 'pounds' });
  const rawN = 50_000;
  const rawUtrnRate = async () => {
    const t0 = performance.now();
    for (let i = 0; i < rawN; i++)
      await generateUtrn(keys, { supplier: supplierEui, device: meters[i % meters.length]!, counter: BigInt(i + 1) << 32n, value: 1, valueClass: 'pounds' });
    return rawN / ((performance.now() - t0) / 1000);
  };
  const rawBefore = await rawUtrnRate();
  let t = performance.now();

  // The limiter runs, as in serve, but with limits no bench run reaches: the bench measures capacity.
  const app = await buildApp(deps, { limits: { ...DEFAULT_API_LIMITS, perKey: { max: 1e9, windowSeconds: 60 }, perAddress: { max: 1e9, windowSeconds: 60 } } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const vendOnce = async (key: string, device: string) => {
    const res = await fetch(`${base}/v1/vends`, {
      method: 'POST',
      headers: { authorization: 'Bearer bench-key', 'idempotency-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'credit', deviceEui: device, value: 1, valueClass: 'pounds' }),
    });
    const body = (await res.json()) as { code?: string; detail?: string };
    if (res.status !== 201 && res.status !== 200) throw new Error(`vend ${key}: ${res.status} ${body.detail}`);
    return body.code!;
  };
  // Warm-up on every meter (its ECDH result cached, as the baseline's are), then the timed run:
  // CONCURRENCY clients, each with its own keys.
  for (let i = 0; i < Math.max(200, meters.length); i++) await vendOnce(`warm-${i}`, meters[i % meters.length]!);
  let next = 0;
  t = performance.now();
  let lastPrint = t;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < VENDS; i = next++) {
        await vendOnce(`v-${i}`, meters[i % meters.length]!);
        if (performance.now() - lastPrint > 10_000) {
          lastPrint = performance.now();
          console.log(`  ${i} vends, ${Math.round(i / ((lastPrint - t) / 1000))}/s`);
        }
      }
    }),
  );
  const apiSeconds = (performance.now() - t) / 1000;
  const apiRate = VENDS / apiSeconds;
  // Same run, same clients: pgbench sending the SQL statements of one vend, for as long as the API ran.
  const pgbenchTps = await vendPgbenchTps({
    url: PG_URL,
    schema,
    supplierId: supplier.id,
    fleetId: fleetId(fleet.tag),
    meters,
    clients: CONCURRENCY,
    seconds: Math.max(5, Math.round(apiSeconds)),
  });
  if (pgbenchTps === null) console.log('  pgbench is not installed: no SQL baseline');
  else
    results.push(
      figure(
        `UTRN vends via HTTP API (${CONCURRENCY} clients), against pgbench running one vend's SQL statements (custom script, same clients, same run)`,
        apiRate,
        'vends/s',
        pgbenchTps,
      ),
    );
  const rawAfter = await rawUtrnRate();
  results.push(
    figure(`UTRN vends via HTTP API on PostgreSQL (${CONCURRENCY} clients), against raw UTRNs with the same cached keys`, apiRate, 'vends/s', (rawBefore + rawAfter) / 2),
  );
  results.push(figure('raw UTRNs, same keys, before the API run', rawBefore, 'UTRNs/s'));
  results.push(figure('raw UTRNs, same keys, after the API run', rawAfter, 'UTRNs/s'));

  // 1,000 concurrent requests over 100 idempotency keys: exactly 100 UTRNs.
  const codes = await Promise.all(Array.from({ length: 1_000 }, (_, i) => vendOnce(`dup-${i % 100}`, meters[(i % 100) % meters.length]!)));
  const distinct = new Set(codes).size;
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  const rows = Number((await c.query(`SELECT count(*) AS n FROM ${schema}.vends WHERE idempotency_key LIKE 'dup-%'`)).rows[0].n);
  await c.end();
  if (distinct !== 100 || rows !== 100) throw new Error(`1,000 requests over 100 keys gave ${distinct} codes and ${rows} vends`);
  results.push(figure('UTRNs from 1,000 concurrent requests over 100 keys', distinct, 'UTRNs', 100));

  // One HHT upload of UPLOAD responses: orders of 10 reads each, delivered to the simulated meters.
  const perOrder = 10;
  const uploadRows: Array<{ orderId: string; seq: number; response: string; deliveredAt: string }> = [];
  const expected: Array<{ response: Uint8Array; device: Eui; counter: bigint }> = [];
  const delivered = new Date().toISOString();
  for (let o = 0; o < UPLOAD / perOrder; o++) {
    const p = premises[o % premises.length]!;
    const premiseId = `fleet-${fleet.tag.toLowerCase()}-p${p.index}`;
    const { order, commands } = await createWorkOrder(deps, supplier, 'bench', {
      premiseId,
      commands: Array.from({ length: perOrder }, () => ({ deviceEui: p.devices.ESME!, useCase: 'ECS45' })),
    });
    const esme = fleet.device(p.devices.ESME!) as Esme;
    for (const cmd of commands) {
      const r = esme.receive(fromHex(cmd.frame), new Date());
      if (!r.accepted) throw new Error(`meter refused ${cmd.orderId}/${cmd.seq}: ${r.detail}`);
      uploadRows.push({ orderId: order.id, seq: cmd.seq, response: Buffer.from(r.response).toString('hex').toUpperCase(), deliveredAt: delivered });
      expected.push({ response: r.response, device: cmd.deviceEui, counter: cmd.counter });
    }
  }
  // Baseline: the same verifications in memory, no HTTP, no database.
  const verifyKeys = withAgreementCache(new FleetKeyStore(fleet));
  t = performance.now();
  for (const e of expected) {
    const v = await verifyLocalResponse(
      e.response,
      { device: e.device, user: supplierEui, counter: e.counter, messageCode: USE_CASES.ECS45!.messageCode, critical: false },
      verifyKeys,
      fleet.parties.acb.eui,
    );
    if (!v.ok) throw new Error(v.reason);
  }
  const verifyS = (performance.now() - t) / 1000;
  t = performance.now();
  const res = await fetch(`${base}/v1/hht/uploads`, {
    method: 'POST',
    headers: { authorization: 'Bearer bench-key', 'content-type': 'application/json' },
    body: JSON.stringify({ responses: uploadRows }),
  });
  const up = (await res.json()) as { recorded: number; rejected: number };
  const uploadS = (performance.now() - t) / 1000;
  if (up.recorded !== UPLOAD) throw new Error(`upload recorded ${up.recorded} of ${UPLOAD} (${up.rejected} rejected)`);
  results.push(figure(`one HHT upload of ${UPLOAD} responses, verified and recorded`, uploadS, 's', verifyS));
  results.push(figure('target for that upload', 5, 's'));
  await app.close();
} finally {
  await store.close();
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
}
const server = new pg.Client({ connectionString: PG_URL });
await server.connect();
const version = String((await server.query('SHOW server_version')).rows[0].server_version);
await server.end();
report('nowan', results, { database: `PostgreSQL ${version} at ${new URL(PG_URL).host}` });
