// Instruction counts of the two-wings split (issue 11): one fixed workload run against a checkout's
// own src/ (METEROPS_ROOT, the last commit before the split or one after it), under callgrind:
//
//   valgrind --tool=callgrind --smc-check=all-non-file --dump-before='node::v8_utils::SetFlagsFromString*' \
//     --callgrind-out-file=OUT.cg node --expose-gc --single-threaded --max-semi-space-size=16 --import tsx \
//     bench/callgrind/two-wings.ts
//
// run from METEROPS_ROOT (bench/callgrind/two-wings.sh does both checkouts). Every v8.setFlagsFromString
// call (a no-op flag) makes callgrind close one profile part and start the next, so each segment's
// instructions are counted alone: part 1 is start-up, setup and warm-up, then each segment has a gap
// part (a full GC, so that every segment starts from a collected heap) and its own part. The database
// is PGlite, in process, so its instructions are counted too; the clock is fixed and every size and
// seed is fixed, so two runs do the same work. `METEROPS_ROOT=... node --expose-gc --import tsx
// bench/callgrind/two-wings.ts` without valgrind runs it as a check. bench/callgrind/two-wings-report.ts
// reads the parts.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type * as FleetM from '../../src/world/devices/fleet.ts';
import type * as PgliteM from '@electric-sql/pglite';
import type * as DatabaseM from '../../src/store/database.ts';
import type * as Int8M from '../../src/store/int8.ts';
import type * as MigrateM from '../../src/store/migrate.ts';
import type * as StoreM from '../../src/store/store.ts';
import type * as AuthenticateM from '../../src/services/authenticate.ts';
import type * as AppM from '../../src/api/app.ts';
import type * as PinoM from 'pino';
import type * as WireWorldM from '../../src/composition/wire-world.ts';
import type * as KeystoreKeySourceM from '../../src/services/keystore-key-source.ts';
import type * as SimulatedWorldM from '../../src/world/simulated-world.ts';
import type * as AuditKeyFileM from '../../src/keys/audit-key-file.ts';
import type * as FleetServiceM from '../../src/world/fleet-service.ts';
import type * as ByteReaderM from '../../src/gbcs/byte-reader.ts';
import type * as AgreementCacheM from '../../src/gbcs/agreement-cache.ts';
import type * as FileKeyStoreM from '../../src/keys/file-key-store.ts';
import type * as WorkOrdersM from '../../src/services/work-orders.ts';
import type * as FleetKeyStoreM from '../../src/world/devices/fleet-key-store.ts';
import type * as BuildUseCaseM from '../../src/gbcs/build-use-case.ts';
import type * as DecodeFrameM from '../../src/gbcs/decode-frame.ts';
import type * as VerifyFrameM from '../../src/gbcs/verify-frame.ts';
import type * as EuiM from '../../src/domain/eui.ts';
import type { Party } from '../../src/domain/index.ts';
import type { ServiceDeps } from '../../src/services/deps.ts';

const ROOT = process.env.METEROPS_ROOT ?? process.cwd();
const TEMPLATES = process.env.METEROPS_CALLGRIND_DIR ?? '/tmp/meterops-callgrind';
const WARM = 20;
const SEGMENTS = { vend: 100, orders: 20, fleetCmd: 400, fleetBuild: 400, rtds: 2, ecs43: 200 };
// The split moved src/devices to src/world/devices and fleet-service to src/world.
const split = existsSync(join(ROOT, 'src', 'world'));
const src = (p: string) => join(ROOT, 'src', p);
const dev = (p: string) => src(split ? `world/devices/${p}` : `devices/${p}`);
/** One of the checkout's modules, typed as today's (the functions used here kept their signatures). */
const load = <T>(path: string) => import(path) as Promise<T>;
const BASE = Date.parse('2026-06-01T12:00:00Z');
let tick = 0;
// A fixed clock, one millisecond further at every call, the same in every run.
const clock = () => new Date(BASE + tick++);
let sink = 0;

type Fleet = FleetM.Fleet;
type FleetModule = typeof FleetM;
type Device = { receive(frame: Uint8Array, now: Date): { accepted: boolean; detail?: string; response: Uint8Array }; readonly keys: unknown };
const deviceOf = (fleet: Fleet, eui: string) => fleet.device(eui as never) as unknown as Device;

async function platform() {
  const { PGlite } = await load<typeof PgliteM>(join(ROOT, 'node_modules/@electric-sql/pglite/dist/index.js'));
  const { fromPglite } = await load<typeof DatabaseM>(src('store/database.ts'));
  const { INT8_OID, parseInt8 } = await load<typeof Int8M>(src('store/int8.ts'));
  const { migrate } = await load<typeof MigrateM>(src('store/migrate.ts'));
  const { storeOn } = await load<typeof StoreM>(src('store/store.ts'));
  const { hashApiKey } = await load<typeof AuthenticateM>(src('services/authenticate.ts'));
  const { buildApp } = await load<typeof AppM>(src('api/app.ts'));
  const { Fleet } = await load<FleetModule>(dev('fleet.ts'));
  const pino = createRequire(join(ROOT, 'package.json'))('pino') as typeof PinoM.default;
  // The database after migrations, fleet and API key, made once per checkout (METEROPS_CALLGRIND_TEMPLATE=make)
  // and loaded by every measured run: initdb and the fleet's inserts are not what is measured.
  const templateFile = join(TEMPLATES, `template-${split ? 'after' : 'before'}.tar`);
  const making = process.env.METEROPS_CALLGRIND_TEMPLATE === 'make';
  const pglite = await PGlite.create({ parsers: { [INT8_OID]: parseInt8 }, ...(making ? {} : { loadDataDir: new Blob([readFileSync(templateFile)]) }) });
  const database = fromPglite(pglite);
  await migrate(database);
  const store = storeOn(database);
  const policy = { vendDailyCapPence: 1_000_000_000, anomalyLimits: { utrn_vend: { max: 10_000_000, windowMinutes: 60 }, hht_work_order: { max: 10_000_000, windowMinutes: 60 } } };
  const base = { store, clock, log: pino({ level: 'silent' }), policy };
  let deps: ServiceDeps;
  let generateFleet: (deps: ServiceDeps, actor: Party, opts: { premises: number; seed: string }) => Promise<unknown>;
  if (split) {
    // After the split: the composition root wires the simulated world behind the ports, and deps carry the audit key.
    const { wireWorld } = await load<typeof WireWorldM>(src('composition/wire-world.ts'));
    const { noKeySource } = await load<typeof KeystoreKeySourceM>(src('services/keystore-key-source.ts'));
    const { SimulatedWorld } = await load<typeof SimulatedWorldM>(src('world/simulated-world.ts'));
    ({ generateFleet } = await load<typeof FleetServiceM>(src('world/fleet-service.ts')));
    // The audit key came with the Merkle log, after the split's own commits (48dbe7d has none).
    const auditKeyFile = src('keys/audit-key-file.ts');
    const withAuditKey = existsSync(auditKeyFile) ? { ...base, auditKey: (await load<typeof AuditKeyFileM>(auditKeyFile)).auditKeyFromSeed(new Uint8Array(32).fill(1)) } : base;
    deps = wireWorld(new SimulatedWorld(), withAuditKey as never, noKeySource());
  } else {
    // Before: deps are the store, clock, log and policy; the services reach the fleet themselves.
    ({ generateFleet } = await load<typeof FleetServiceM>(src('services/fleet-service.ts')));
    deps = base as unknown as ServiceDeps;
  }
  const PREMISES = 100;
  if (making) {
    const dcc: Party = { id: 'bench-dcc', name: 'DCC', role: 'dcc', eui: null, distributorId: null };
    await store.transaction((tx) => tx.parties.insert(dcc));
    await generateFleet(deps, dcc, { premises: PREMISES, seed: 'bench-nowan' });
  }
  const fleet = new Fleet({ premises: PREMISES, seed: 'bench-nowan' });
  const supplierEui = fleet.parties.suppliers[0]!.eui;
  const supplier = (await store.read.parties.list()).find((p) => p.eui === supplierEui)!;
  if (making) {
    await store.transaction((tx) => tx.parties.addApiKey(supplier.id, hashApiKey('bench-key'), 'bench'));
    writeFileSync(templateFile, Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer()));
    console.log(`wrote ${templateFile}`);
    process.exit(0);
  }
  const premises = Array.from({ length: PREMISES }, (_, i) => fleet.premise(i)).filter((p) => p.supplier === supplierEui);
  // `bodyLimit` is the option of the checkouts this driver was written for; later ones take `limits`
  // (whose bulk routes, the upload's among them, take 16 MiB by default) and ignore it.
  const app = await buildApp(deps, { bodyLimit: 16 * 1024 * 1024 } as never);
  await app.ready();
  return { deps, store, fleet, supplier, premises, app };
}

async function gbcsSetup() {
  const { fromHex } = await load<typeof ByteReaderM>(src('gbcs/byte-reader.ts'));
  const { withAgreementCache } = await load<typeof AgreementCacheM>(src('gbcs/agreement-cache.ts'));
  const { FileKeyStore } = await load<typeof FileKeyStoreM>(src('keys/file-key-store.ts'));
  const DCCBOXED = join(ROOT, '..', 'shared', 'reference', 'dccboxed');
  const corpus: Uint8Array[] = [];
  for (const d of readdirSync(join(DCCBOXED, 'rtds')).sort())
    for (const f of readdirSync(join(DCCBOXED, 'rtds', d)).sort()) corpus.push(fromHex(readFileSync(join(DCCBOXED, 'rtds', d, f), 'utf8')));
  return { corpus, keys: withAgreementCache(new FileKeyStore(join(DCCBOXED, 'keystore'))) };
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const mark = () => setFlagsFromString('--no-stress-compaction');
const { fromHex } = await load<typeof ByteReaderM>(src('gbcs/byte-reader.ts'));
const { createWorkOrder } = await load<typeof WorkOrdersM>(src('services/work-orders.ts'));
const { Fleet } = await load<FleetModule>(dev('fleet.ts'));
const { FleetKeyStore } = await load<typeof FleetKeyStoreM>(dev('fleet-key-store.ts'));
const { buildUseCaseFrame } = await load<typeof BuildUseCaseM>(src('gbcs/build-use-case.ts'));
const { withAgreementCache } = await load<typeof AgreementCacheM>(src('gbcs/agreement-cache.ts'));
const { decodeFrame } = await load<typeof DecodeFrameM>(src('gbcs/decode-frame.ts'));
const { verifyFrame } = await load<typeof VerifyFrameM>(src('gbcs/verify-frame.ts'));
type Eui = EuiM.Eui;

// Setup: the platform on PGlite, a device population with its commands built, the RTDS corpus.
const ctx = await platform();
const meters = ctx.premises.map((p) => p.devices.ESME!);
const vend = async (key: string, device: string) => {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/vends',
    headers: { authorization: 'Bearer bench-key', 'idempotency-key': key, 'content-type': 'application/json' },
    payload: JSON.stringify({ kind: 'credit', deviceEui: device, value: 1, valueClass: 'pounds' }),
  });
  if (res.statusCode !== 201) throw new Error(`vend ${key}: ${res.statusCode} ${res.body}`);
  sink += (JSON.parse(res.body) as { code: string }).code.length;
};
type Made = Array<{ order: { id: string }; commands: Array<{ orderId: string; seq: number; frame: string }>; esme: Device }>;
const makeOrders = async (n: number, from: number) => {
  const made: Made = [];
  for (let o = from; o < from + n; o++) {
    const p = ctx.premises[o % ctx.premises.length]!;
    const premiseId = `fleet-${ctx.fleet.tag.toLowerCase()}-p${p.index}`;
    const { order, commands } = await createWorkOrder(ctx.deps, ctx.supplier, 'bench', {
      premiseId,
      commands: Array.from({ length: 10 }, () => ({ deviceEui: p.devices.ESME!, useCase: 'ECS45' })),
    });
    made.push({ order, commands, esme: deviceOf(ctx.fleet, p.devices.ESME!) });
  }
  return made;
};
const answer = (made: Made) => {
  const rows: Array<{ orderId: string; seq: number; response: string; deliveredAt: string }> = [];
  for (const m of made)
    for (const cmd of m.commands) {
      const r = m.esme.receive(fromHex(cmd.frame), clock());
      if (!r.accepted) throw new Error(`meter refused ${cmd.orderId}/${cmd.seq}: ${r.detail}`);
      rows.push({ orderId: m.order.id, seq: cmd.seq, response: Buffer.from(r.response).toString('hex').toUpperCase(), deliveredAt: new Date(BASE).toISOString() });
    }
  return rows;
};
const population = new Fleet({ premises: 1_000, seed: 'bench-population' });
const pkeys = withAgreementCache(new FleetKeyStore(population));
const acb = population.parties.acb.eui;
const POPULATION = 50;
const targets: Array<{ eui: Eui; supplier: Eui }> = [];
for (let p = 0; targets.length < POPULATION; p++) targets.push({ eui: population.premise(p).devices.ESME!, supplier: population.premise(p).supplier });
const frames: Array<{ eui: Eui; frame: Uint8Array }> = [];
const perDevice = 2 + Math.ceil(SEGMENTS.fleetCmd / POPULATION);
for (let k = 1; k <= perDevice; k++)
  for (const t of targets)
    frames.push({ eui: t.eui, frame: await buildUseCaseFrame(pkeys, { useCase: k % 2 ? 'ECS43' : 'ECS42', originator: t.supplier, device: t.eui, counter: BigInt(k), acb }) });
for (const t of targets) void deviceOf(population, t.eui).keys;
const deliver = (from: number, n: number) => {
  const now = new Date(BASE);
  for (let i = from; i < from + n; i++) {
    const f = frames[i]!;
    if (!deviceOf(population, f.eui).receive(f.frame, now).accepted) throw new Error(`refused ${i}`);
    sink++;
  }
};
const { corpus, keys } = await gbcsSetup();
const ACB = '90B3D51F30000002' as Eui;
const rtdsPass = async () => {
  for (const bytes of corpus) sink += (await verifyFrame(decodeFrame(bytes), keys, ACB)) ? 1 : 0;
};
const ecs43 = async (from: number, n: number) => {
  for (let k = from; k < from + n; k++)
    sink += (await buildUseCaseFrame(keys, { useCase: 'ECS43', originator: '90B3D51F30010000' as Eui, device: '00DB1234567890A0' as Eui, counter: BigInt(k), acb: ACB })).length;
};
const up = async (rows: unknown[]) => {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/hht/uploads',
    headers: { authorization: 'Bearer bench-key', 'content-type': 'application/json' },
    payload: JSON.stringify({ responses: rows }),
  });
  const body = JSON.parse(res.body) as { recorded: number };
  if (body.recorded !== rows.length) throw new Error(`upload recorded ${body.recorded} of ${rows.length}: ${res.body.slice(0, 300)}`);
  sink += body.recorded;
};

// Warm-up of every path: each meter vended once and WARM more, orders made, answered and
// uploaded, two commands per device, a small fleet built, the corpus once, WARM ECS43 frames.
for (let i = 0; i < meters.length + WARM; i++) await vend(`warm-${i}`, meters[i % meters.length]!);
const warmOrders = 5;
await up(answer(await makeOrders(warmOrders, 0)));
deliver(0, 2 * POPULATION);
new Fleet({ premises: 200, seed: 'bench-warm' }).materialiseAll();
await rtdsPass();
await ecs43(1, WARM);

const labels: string[] = [];
const segment = async (label: string, fn: () => Promise<void> | void) => {
  mark();
  gc();
  mark();
  await fn();
  labels.push(label);
};
let made: Made = [];
let rows: unknown[] = [];
await segment(`vend x${SEGMENTS.vend}`, async () => {
  for (let i = 0; i < SEGMENTS.vend; i++) await vend(`v-${i}`, meters[i % meters.length]!);
});
await segment(`orders x${SEGMENTS.orders} (10 commands each)`, async () => {
  made = await makeOrders(SEGMENTS.orders, warmOrders);
});
await segment(`device answers x${SEGMENTS.orders * 10}`, () => {
  rows = answer(made);
});
await segment(`upload of ${SEGMENTS.orders * 10} responses`, () => up(rows));
await segment(`fleet-cmd x${SEGMENTS.fleetCmd}`, () => deliver(2 * POPULATION, SEGMENTS.fleetCmd));
let built = 0;
await segment(`fleet-build premises ${SEGMENTS.fleetBuild}`, () => {
  const f = new Fleet({ premises: SEGMENTS.fleetBuild, seed: 'bench-national' });
  built = f.materialiseAll();
  sink += f.deviceCount;
});
await segment(`rtds x${SEGMENTS.rtds} passes of ${corpus.length} frames`, async () => {
  for (let r = 0; r < SEGMENTS.rtds; r++) await rtdsPass();
});
await segment(`ecs43 x${SEGMENTS.ecs43}`, () => ecs43(1 + WARM, SEGMENTS.ecs43));
mark();
console.log(`segments: ${JSON.stringify(labels)} built=${built}`);
console.log(`${split ? 'after' : 'before'} sink=${sink}`);
process.exit(0);
