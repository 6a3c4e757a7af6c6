// Fuzz benchmark: BENCH_FUZZ_CASES (default 1,000,000) mutated, forged, replayed and wrong-target
// frames and codes into simulated ESMEs and their keypads, counting acceptances that should not
// happen (goal 0), in ten chunks (seeds bench-0..bench-9) alternating with the baseline: genuine
// commands built and delivered to the same kind of meters for as long, in the same run.
import { buildUseCaseFrame } from '../src/gbcs/build-use-case.ts';
import { withAgreementCache } from '../src/gbcs/agreement-cache.ts';
import { Esme } from '../src/world/devices/esme.ts';
import { Fleet } from '../src/world/devices/fleet.ts';
import { FleetKeyStore } from '../src/world/devices/fleet-key-store.ts';
import { FUZZ_KINDS, fuzzDevices, type FuzzKind } from '../src/world/studies/frame-fuzz.ts';
import { figure, report, type BenchFigure } from './report.ts';

const CASES = Number(process.env.BENCH_FUZZ_CASES ?? 1_000_000);
const CHUNKS = 10;
if (!Number.isInteger(CASES) || CASES < CHUNKS) throw new RangeError(`BENCH_FUZZ_CASES is a whole number of at least ${CHUNKS}`);

// The baseline's meters: genuine ECS42/ECS43/ECS45, each built (signed where critical, MACed) and
// delivered, which is what a fuzz case does once for its fault and once for its control.
const fleet = new Fleet({ premises: 24, seed: 'fuzz/baseline', prepaymentRate: 1 });
const keys = withAgreementCache(new FleetKeyStore(fleet));
const meters = Array.from({ length: fleet.premiseCount }, (_, i) => fleet.premise(i))
  .map((p) => ({ supplier: p.supplier, esme: p.devices.ESME ? fleet.device(p.devices.ESME) : undefined, counter: 1n }))
  .filter((m): m is { supplier: typeof m.supplier; esme: Esme; counter: bigint } => m.esme instanceof Esme);
const useCases = ['ECS42', 'ECS43', 'ECS45'] as const;
let genuineN = 0;
let genuineRefused = 0;
async function genuineFor(ms: number): Promise<number> {
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < ms) {
    const m = meters[n % meters.length]!;
    const frame = await buildUseCaseFrame(keys, { useCase: useCases[n % 3]!, originator: m.supplier, device: m.esme.eui, counter: m.counter++, acb: fleet.parties.acb.eui });
    if (!m.esme.receive(frame, new Date()).accepted) genuineRefused++;
    n++;
  }
  genuineN += n;
  return (n * 1000) / (performance.now() - t0);
}

const tally = Object.fromEntries(FUZZ_KINDS.map((k) => [k, { cases: 0, wrongful: 0, controls: 0, controlsAccepted: 0 }])) as Record<
  FuzzKind,
  { cases: number; wrongful: number; controls: number; controlsAccepted: number }
>;
let wrongful = 0;
let fuzzMs = 0;
const fuzzRates: number[] = [];
const genuineRates: number[] = [];
for (let i = 0; i < CHUNKS; i++) {
  const t0 = performance.now();
  const r = await fuzzDevices({ cases: Math.floor(CASES / CHUNKS), seed: `bench-${i}` });
  const ms = performance.now() - t0;
  fuzzMs += ms;
  fuzzRates.push((r.cases * 1000) / ms);
  wrongful += r.wrongful;
  for (const k of FUZZ_KINDS) for (const f of ['cases', 'wrongful', 'controls', 'controlsAccepted'] as const) tally[k][f] += r.byKind[k][f];
  genuineRates.push(await genuineFor(Math.min(ms, 20_000)));
  process.stdout.write(
    `  chunk ${i + 1}/${CHUNKS}: ${r.cases} cases, ${r.wrongful} wrongful, ${Math.round(fuzzRates.at(-1)!)} cases/s; genuine ${Math.round(genuineRates.at(-1)!)}/s\n`,
  );
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cases = FUZZ_KINDS.reduce((s, k) => s + tally[k].cases, 0);
const controls = FUZZ_KINDS.reduce((s, k) => s + tally[k].controls, 0);
const controlsAccepted = FUZZ_KINDS.reduce((s, k) => s + tally[k].controlsAccepted, 0);
if (genuineRefused) throw new Error(`${genuineRefused} of ${genuineN} genuine baseline commands were refused: the baseline is not the work it claims`);

const results: BenchFigure[] = [
  figure('fuzz cases run', cases, 'cases'),
  figure('wrongful acceptances (goal 0)', wrongful, 'acceptances'),
  figure('controls accepted (the genuine frame or code after each fault)', controlsAccepted, 'controls', controls),
  figure('fuzz cases per second (median of chunks) vs genuine commands built + delivered', median(fuzzRates), 'cases/s', median(genuineRates)),
  figure('time for all cases', fuzzMs / 1000, 's'),
  ...FUZZ_KINDS.map((k) => figure(`${k}: cases (wrongful ${tally[k].wrongful})`, tally[k].cases, 'cases')),
];
report('fuzz', results);
if (wrongful > 0) process.exitCode = 1;
