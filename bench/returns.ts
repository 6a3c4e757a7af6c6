// Returns benchmark, on PostgreSQL. (1) A year of returns through the whole flow (return, custody,
// gold and bronze triage on the simulated devices, refurbishment with real CS02b frames, scrap,
// reinstallation), BENCH_RETURNS of them, against the 200,000-in-10-minutes goal. (2) The analytics
// at 200,000 return lines: each query timed, against the 1-second goal.
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import pg from 'pg';
import type { Eui, NewDevice, ReturnLine } from '../src/domain/index.ts';
import type { ServiceDeps } from '../src/services/deps.ts';
import { wireWorld } from '../src/composition/wire-world.ts';
import { noKeySource } from '../src/services/keystore-key-source.ts';
import { SimulatedWorld } from '../src/world/simulated-world.ts';
import { allowedTriage, RETURN_DIMENSIONS, returnsReport } from '../src/services/returns/returns-analytics.ts';
import { DEFAULT_GOVERNANCE } from '../src/domain/governance.ts';
import { simulateReturnsYear } from '../src/world/studies/simulate-year.ts';
import { openDatabase } from '../src/store/database.ts';
import { migrate } from '../src/store/migrate.ts';
import { storeOn } from '../src/store/store.ts';
import { auditKeyFromSeed } from '../src/keys/audit-key-file.ts';
import { figure, percentile, report, type BenchFigure } from './report.ts';

const RETURNS = Number(process.env.BENCH_RETURNS ?? 5_000);
const LINES = Number(process.env.BENCH_ANALYTICS_LINES ?? 200_000);
const PG_URL = process.env.METEROPS_BENCH_DATABASE_URL ?? process.env.METEROPS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const results: BenchFigure[] = [];

async function fresh() {
  const schema = `bench_returns_${randomBytes(4).toString('hex')}`;
  const database = await openDatabase({ kind: 'postgres', url: PG_URL, schema, poolSize: 4 });
  await migrate(database);
  const store = storeOn(database);
  const deps: ServiceDeps = wireWorld(
    new SimulatedWorld(),
    { store, clock: () => new Date(), log: pino({ level: 'silent' }), auditKey: auditKeyFromSeed(new Uint8Array(32).fill(1)) },
    noKeySource(),
  );
  return {
    deps,
    store,
    async drop() {
      await store.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}

{
  const { deps, drop } = await fresh();
  try {
    let last = 0;
    const y = await simulateReturnsYear(deps, { returns: RETURNS, seed: `bench-${Date.now()}` }, (phase, done, total) => {
      if (performance.now() - last > 15_000) {
        last = performance.now();
        console.log(`  ${phase} ${done}/${total}`);
      }
    });
    console.log(`year of ${y.returns} returns: ${JSON.stringify(y.seconds)}; NFF ${y.report.overall.nffRate}%`);
    const perSecond = y.returns / y.seconds.total;
    results.push(figure(`returns worked through end to end (${y.returns}, full flow)`, perSecond, 'returns/s', 200_000 / 600));
    results.push(figure('200,000 returns at that rate (goal 600 s)', 200_000 / perSecond, 's', 600));
  } finally {
    await drop();
  }
}

{
  const { deps, store, drop } = await fresh();
  try {
    const now = new Date();
    await store.transaction((tx) => tx.parties.insert({ id: 'bench-supplier', name: 'Supplier', role: 'supplier', eui: null, distributorId: null }));
    const types = ['ESME', 'CHF', 'GSME', 'GPF', 'PPMID'] as const;
    const models = ['E470', 'CH-DB1', 'G4', 'CH-DB1', 'P1', 'NW-SB2'];
    const reasons = ['no-fault-general', 'change-of-supplier', 'sm-wan-fault', 'led-fault', 'damaged-case', 'smhan-interface-fault'] as const;
    let t = performance.now();
    for (let start = 0; start < LINES; start += 5_000) {
      const n = Math.min(5_000, LINES - start);
      const devices: NewDevice[] = Array.from({ length: n }, (_, k) => {
        const i = start + k;
        return {
          eui: (0x00ee000000000000n + BigInt(i)).toString(16).toUpperCase().padStart(16, '0') as Eui,
          type: types[i % 5]!,
          smetsGeneration: i % 9 ? 'SMETS2+' : 'SMETS1',
          manufacturer: i % 3 ? 'Acme' : 'Northwind',
          model: models[i % 6]!,
          firmwareVersion: '1',
          inventoryStatus: 'Pending',
          assetStatus: 'removed',
          ownerPartyId: null,
          supplierPartyId: null,
          custodianPartyId: null,
        };
      });
      const lines: ReturnLine[] = devices.map((d, k) => {
        const i = start + k;
        const triaged = i % 10 !== 0;
        return {
          id: `l-${i}`,
          returnId: `r-${Math.floor(start / 5_000)}`,
          lineNo: k + 1,
          deviceEui: d.eui,
          deviceType: d.type,
          manufacturer: d.manufacturer,
          model: d.model,
          smetsGeneration: d.smetsGeneration,
          reason: reasons[i % 6]!,
          found: 'after-installation',
          incidentId: `i-${Math.floor(i / 2)}`,
          changeOfSupplier: i % 6 === 1,
          returnedBy: 'bench-supplier',
          removedFrom: null,
          removedDistributor: 10 + (i % 14),
          daysInService: i % 900,
          state: i % 7 === 0 ? 'scrapped' : i % 3 === 0 ? 'in-stock' : 'triaged',
          custodianPartyId: 'bench-supplier',
          site: 'lab',
          sealsIntact: true,
          triageCount: triaged ? 1 + (i % 4 === 0 ? 1 : 0) : 0,
          triageParties: triaged ? 1 + (i % 8 === 0 ? 1 : 0) : 0,
          lastTriagedIn: 0,
          custodyPass: 1,
          outcome: triaged ? (i % 10 < 7 ? 'no-fault-found' : 'fault') : null,
          fault: null,
          noCredential: null,
          vanilla: i % 3 === 0 && i % 2 === 0,
          grade: i % 3 === 0 ? 'A' : null,
          stockLocation: null,
          scrapReason: null,
          reinstalledAt: null,
          createdAt: now,
          updatedAt: now,
        };
      });
      await store.transaction(async (tx) => {
        await tx.devices.insertMany(devices, now);
        await tx.returns.insertReturn({ id: `r-${Math.floor(start / 5_000)}`, partyId: 'bench-supplier', reference: null, createdBy: 'bench', createdAt: now }, lines);
      });
    }
    console.log(`loaded ${LINES} return lines in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query('ANALYZE');
    await c.end();
    const read = store.read.returns;
    // Each query's first run (the first time this query runs on this data, after ANALYZE) and the
    // median of the 5 runs after it, when PostgreSQL's buffers and plan are warm: both are reported,
    // and named so.
    const time = async (label: string, fn: () => Promise<unknown>) => {
      t = performance.now();
      await fn();
      const first = performance.now() - t;
      const ms: number[] = [];
      for (let k = 0; k < 5; k++) {
        t = performance.now();
        await fn();
        ms.push(performance.now() - t);
      }
      results.push(figure(`${label}: first run`, first, 'ms', 1000));
      results.push(
        figure(
          `${label}: warm, median of the next 5`,
          percentile(
            ms.sort((a, b) => a - b),
            50,
          ),
          'ms',
          1000,
        ),
      );
    };
    await time(`analytics at ${LINES} lines: overall`, () => read.groups(null, { excludeChangeOfSupplier: false, allowedTriage: allowedTriage(DEFAULT_GOVERNANCE) }));
    for (const d of RETURN_DIMENSIONS)
      await time(`analytics at ${LINES} lines: by ${d}`, () => read.groups(d, { excludeChangeOfSupplier: true, allowedTriage: allowedTriage(DEFAULT_GOVERNANCE) }));
    const dcc = { id: 'bench-dcc', name: 'DCC', role: 'dcc' as const, eui: null, distributorId: null };
    await time(`whole returns report at ${LINES} lines (7 queries)`, () => returnsReport(deps, dcc));
  } finally {
    await drop();
  }
}
report('returns', results);
