// Fleet benchmark: a national-scale fleet generated and every device built in one process (under a
// 4 GB heap), memory per device; then signed commands verified and executed by a device population,
// beside raw crypto.verify/s measured in the same run (alternating rounds).
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { memoryUsage } from 'node:process';
import { getHeapStatistics } from 'node:v8';
import type { Eui } from '../src/domain/eui.ts';
import { buildUseCaseFrame } from '../src/gbcs/build-use-case.ts';
import { withAgreementCache } from '../src/gbcs/agreement-cache.ts';
import { Fleet } from '../src/world/devices/fleet.ts';
import { FleetKeyStore } from '../src/world/devices/fleet-key-store.ts';
import { figure, report, type BenchFigure } from './report.ts';

const DEVICES = Number(process.env.BENCH_FLEET_DEVICES ?? 1_000_000);
const POPULATION = Number(process.env.BENCH_POPULATION ?? 500);
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const mib = (b: number) => b / 2 ** 20;

console.log(`heap limit ${Math.round(mib(getHeapStatistics().heap_size_limit))} MiB`);
gc();
const heap0 = memoryUsage().heapUsed;
const t0 = performance.now();
// About 3.75 devices a premise (hub, meter, gas half of the pair... see fleet.ts); size up to DEVICES.
let premises = Math.ceil(DEVICES / 3.75);
let fleet = new Fleet({ premises, seed: 'bench-national' });
while (fleet.deviceCount < DEVICES) fleet = new Fleet({ premises: (premises = Math.ceil(premises * 1.01)), seed: 'bench-national' });
const tGenerated = performance.now();
fleet.materialiseAll((p) => p % 100_000 === 0 && process.stdout.write(`  built ${p} premises\r`));
const tBuilt = performance.now();
gc();
const heapHeld = memoryUsage().heapUsed - heap0;
const rss = memoryUsage().rss;
const seconds = (tBuilt - t0) / 1000;
console.log(
  `\n${fleet.deviceCount} devices in ${premises} premises: generated in ${((tGenerated - t0) / 1000).toFixed(1)} s, all built in ${seconds.toFixed(1)} s; heap ${Math.round(mib(heapHeld))} MiB, RSS ${Math.round(mib(rss))} MiB`,
);

const scaleDevices = fleet.deviceCount;
// The command rounds run on their own population, with the national fleet released: they measure
// devices, not the garbage collector walking a 2.4 GB heap.
fleet = new Fleet({ premises: 1_000, seed: 'bench-population' });
gc();

// Signed commands, built in advance by the platform's side (not timed), then delivered.
const keys = withAgreementCache(new FleetKeyStore(fleet));
const acb = fleet.parties.acb.eui;
const targets: Array<{ eui: Eui; supplier: Eui }> = [];
for (let p = 0; targets.length < POPULATION; p++) targets.push({ eui: fleet.premise(p).devices.ESME!, supplier: fleet.premise(p).supplier });
const PER_DEVICE = 20;
const frames: Array<{ eui: Eui; frame: Uint8Array }> = [];
for (let k = 1; k <= PER_DEVICE; k++) {
  for (const t of targets)
    frames.push({ eui: t.eui, frame: await buildUseCaseFrame(keys, { useCase: k % 2 ? 'ECS43' : 'ECS42', originator: t.supplier, device: t.eui, counter: BigInt(k), acb }) });
}
// Each device derives its keys on first use; do that outside the timing, as a device has its keys.
for (const t of targets) void fleet.device(t.eui)!.keys;

const raw = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const msg = Buffer.alloc(100, 3);
const sig = sign('sha256', msg, { key: raw.privateKey, dsaEncoding: 'ieee-p1363' });
const now = new Date();
let next = 0;
let refused = 0;
const rounds = 9;
const deviceRates: number[] = [];
const verifyRates: number[] = [];
const verifySignRates: number[] = [];
const slice = Math.floor(frames.length / rounds);
for (let r = 0; r < rounds; r++) {
  const t1 = performance.now();
  for (let i = 0; i < slice; i++) {
    const f = frames[next++]!;
    if (!fleet.device(f.eui)!.receive(f.frame, now).accepted) refused++;
  }
  deviceRates.push(slice / ((performance.now() - t1) / 1000));
  const t2 = performance.now();
  for (let i = 0; i < slice; i++) verify('sha256', msg, { key: raw.publicKey, dsaEncoding: 'ieee-p1363' }, sig);
  verifyRates.push(slice / ((performance.now() - t2) / 1000));
  // The device also signs its answer to a critical command: one verify and one sign per command.
  const t3 = performance.now();
  for (let i = 0; i < slice; i++) {
    verify('sha256', msg, { key: raw.publicKey, dsaEncoding: 'ieee-p1363' }, sig);
    sign('sha256', msg, { key: raw.privateKey, dsaEncoding: 'ieee-p1363' });
  }
  verifySignRates.push(slice / ((performance.now() - t3) / 1000));
}
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`${next} signed commands delivered, ${refused} refused`);
if (refused) throw new Error(`${refused} valid commands were refused`);

const results: BenchFigure[] = [
  figure('devices generated and built', scaleDevices, 'devices'),
  figure('time to generate and build all', seconds, 's'),
  figure('devices built per second', scaleDevices / seconds, 'devices/s'),
  figure('heap held per device', heapHeld / scaleDevices, 'bytes'),
  figure('heap held by the fleet', mib(heapHeld), 'MiB'),
  figure('process RSS', mib(rss), 'MiB'),
  figure('signed commands verified + executed + answered (ECS42/43)', median(deviceRates), 'cmds/s', median(verifyRates)),
  figure('same, against raw verify + raw sign per command', median(deviceRates), 'cmds/s', median(verifySignRates)),
];
report('fleet', results);
