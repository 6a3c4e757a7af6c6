// A meterops server as a separate process (`node --import tsx src/main.ts serve`) over data made
// for it: a DCC and a simulated fleet whose Supplier has an API key, so that tests and the crash
// script vend over HTTP. Shared by test/cli/two-servers.test.ts and scripts/crash.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';
import pino from 'pino';
import { wireWorld } from '../../src/composition/wire-world.ts';
import { auditKeyFromSeed } from '../../src/keys/audit-key-file.ts';
import { hashApiKey } from '../../src/services/authenticate.ts';
import { noKeySource } from '../../src/services/keystore-key-source.ts';
import type { Store } from '../../src/store/store.ts';
import { Fleet } from '../../src/world/devices/fleet.ts';
import { generateFleet } from '../../src/world/fleet-service.ts';
import { SimulatedWorld } from '../../src/world/simulated-world.ts';

export const SUPPLIER_AUTH = { authorization: 'Bearer served-supplier-key' };
export const DCC_AUTH = { authorization: 'Bearer served-dcc-key' };

/** A port nothing listens on now: the system picks it. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A fresh database on the PostgreSQL server of `baseUrl`; drop() removes it. */
export async function freshPgDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `meterops_served_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Parties with API keys and a simulated fleet of `premises`; the meters of its first Supplier. */
export async function prepareVending(store: Store, premises = 20, seed = 'served-fleet'): Promise<string[]> {
  const deps = wireWorld(
    new SimulatedWorld(),
    { store, clock: () => new Date(), log: pino({ level: 'silent' }), auditKey: auditKeyFromSeed(new Uint8Array(32).fill(3)) },
    noKeySource(),
  );
  const dcc = { id: 'served-dcc', name: 'DCC', role: 'dcc' as const, eui: null, distributorId: null };
  await store.transaction(async (tx) => {
    await tx.parties.insert(dcc);
    await tx.parties.addApiKey(dcc.id, hashApiKey('served-dcc-key'), 'served fixture');
  });
  await generateFleet(deps, dcc, { premises, seed });
  const fleet = new Fleet({ premises, seed });
  const supplierEui = fleet.premise(0).supplier;
  const supplier = (await store.read.parties.list()).find((p) => p.eui === supplierEui)!;
  await store.transaction((tx) => tx.parties.addApiKey(supplier.id, hashApiKey('served-supplier-key'), 'till'));
  return Array.from({ length: premises }, (_, i) => fleet.premise(i))
    .filter((p) => p.supplier === supplierEui && p.devices.ESME)
    .map((p) => p.devices.ESME!);
}

export interface ServedProcess {
  readonly child: ChildProcess;
  readonly base: string;
  /** Resolves when the server prints its banner; rejects if it exits first or takes over 180 s. */
  readonly ready: Promise<void>;
  output(): string;
  /** SIGTERM, and the exit code. */
  stop(): Promise<number | null>;
}

/** `meterops serve --no-demo` with `flags` (--data-dir, --database-url), vend and request-rate limits raised for load. */
export function serve(port: number, flags: readonly string[]): ServedProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve', '--no-demo', '--port', String(port), '--host', '127.0.0.1', ...flags], {
    env: {
      ...process.env,
      METEROPS_DATABASE_URL: '',
      METEROPS_LOG_LEVEL: 'warn',
      METEROPS_VEND_DAILY_CAP_PENCE: '10000000',
      METEROPS_ANOMALY_LIMITS: JSON.stringify({ utrn_vend: { max: 10_000_000, windowMinutes: 60 } }),
      METEROPS_RATE_LIMIT_PER_KEY: '10000000',
      METEROPS_RATE_LIMIT_PER_ADDRESS: '10000000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = (async () => {
    // Up to 180 s: on this shared 2-core machine tsx and a fresh database can take long to start.
    for (let i = 0; i < 1_800; i++) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) while starting:\n${out}`);
      if (out.includes('meterops is running')) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the server did not start in 180 s:\n${out}`);
  })();
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    ready,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** A credit vend request body: one pound. */
export const vendBody = (device: string) => JSON.stringify({ kind: 'credit', deviceEui: device, value: 1, valueClass: 'pounds' });
