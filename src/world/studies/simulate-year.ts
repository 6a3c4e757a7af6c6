import { ConflictError, RETURN_REASONS, ValidationError, type Eui, type Party, type ReturnLine, type ReturnReason } from '../../domain/index.ts';
import { faultOf } from '../devices/faults.ts';
import { Fleet, MAX_FLEET_PREMISES } from '../devices/fleet.ts';
import { SeededRandom } from '../devices/seeded-random.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import type { StoreTx } from '../../store/ports.ts';
import { generateFleet } from '../fleet-service.ts';
import { fleetId } from '../simulated-world.ts';
import { reinstallBatch } from '../../services/returns/batch-reinstall.ts';
import { workThroughStandardRoute } from '../../services/returns/batch-flow.ts';
import { returnsReport, type ReturnsReport } from '../../services/returns/returns-analytics.ts';
import { createReturn, registerFacility } from '../../services/returns/returns.ts';
import { grantSecureStatus } from '../../services/returns/facility-grants.ts';

export interface YearOptions {
  readonly returns: number;
  readonly seed: string;
  /** Lines per transaction while working the returns through. */
  readonly chunk?: number;
}

export interface YearResult {
  readonly fleetId: string;
  readonly returns: number;
  readonly reinstalled: number;
  readonly seconds: {
    readonly fleet: number;
    readonly returns: number;
    readonly triageAndRefurbish: number;
    readonly reinstall: number;
    readonly report: number;
    readonly total: number;
  };
  readonly report: ReturnsReport;
}

export const MAX_YEAR_RETURNS = 500_000;
const FAULT_REASONS = (Object.keys(RETURN_REASONS) as ReturnReason[]).filter((r) => RETURN_REASONS[r].duis === '8.14.3');
const FAULT_TO_REASON: Record<string, ReturnReason> = { 'illegal-interference-broken-seals': 'illegal-interference-missing-seals' };

/** What the year's setup made: the fleet, the parties, the returns' lines, and the seconds it took. */
export interface YearSetup {
  readonly seed: string;
  /** Returns asked for. */
  readonly returns: number;
  readonly chunk: number;
  readonly fleet: Fleet;
  readonly dcc: Party;
  readonly manufacturer: Party;
  readonly suppliers: readonly Party[];
  readonly lines: readonly ReturnLine[];
  readonly seconds: { readonly fleet: number; readonly returns: number };
}

/** One batch of the triage phase: lines of one Supplier, worked through in one transaction. */
export interface YearChunk {
  readonly supplierId: string;
  readonly lineIds: readonly string[];
}

const labOf = (s: Party) => `${s.id}-lab`;
const worksOf = (manufacturer: Party) => `${manufacturer.id}-works`;
const roundS = (ms: number) => Math.round(ms / 100) / 10;

/**
 * The year's first phase: a fleet generated and stored, the Suppliers' labs and the manufacturer's
 * works registered, and the seeded returns created.
 */
export async function prepareYear(deps: ServiceDeps, o: YearOptions, progress: (phase: string, done: number, total: number) => void = () => {}): Promise<YearSetup> {
  if (!Number.isInteger(o.returns) || o.returns < 10 || o.returns > MAX_YEAR_RETURNS)
    throw new ValidationError('returns', 'returns-count', `returns is a whole number from 10 to ${MAX_YEAR_RETURNS}`);
  const chunk = o.chunk ?? 500;
  if (!Number.isInteger(chunk) || chunk < 1 || chunk > 5_000) throw new ValidationError('chunk', 'chunk-size', 'chunk is a whole number of lines from 1 to 5,000');
  const t0 = performance.now();
  const parties = await deps.store.read.parties.list();
  const dcc: Party = parties.find((p) => p.role === 'dcc') ?? { id: 'sim-dcc', name: 'DCC (simulation)', role: 'dcc', eui: null, distributorId: null };
  if (!parties.includes(dcc)) await deps.store.transaction((tx) => tx.parties.insert(dcc));
  const premises = Math.min(MAX_FLEET_PREMISES, Math.ceil(o.returns / 2.6) + 50);
  const summary = await generateFleet(deps, dcc, { premises, seed: o.seed }, (d, t) => progress('fleet', d, t));
  const fleet = new Fleet({ premises, seed: o.seed });
  const tag = fleet.tag.toLowerCase();
  const all = await deps.store.read.parties.list();
  const partyOf = new Map(all.filter((p) => p.eui).map((p) => [p.eui!, p]));
  const manufacturer: Party = { id: `sim-${tag}-manufacturer`, name: `Simulated manufacturer (${summary.id})`, role: 'manufacturer', eui: null, distributorId: null };
  await deps.store.transaction((tx) => tx.parties.insert(manufacturer));
  const suppliers = fleet.parties.suppliers.map((s) => partyOf.get(s.eui)!);
  // Each facility registered by its owner, its secure status granted by the DCC (never self-declared).
  for (const s of suppliers) {
    await registerFacility(deps, s, { id: labOf(s), name: `${s.name} triage lab` });
    await grantSecureStatus(deps, dcc, labOf(s), { basis: 'simulation: DCC inspection', smets2Triage: true });
  }
  await registerFacility(deps, manufacturer, { id: worksOf(manufacturer), name: 'Manufacturer works' });
  await grantSecureStatus(deps, dcc, worksOf(manufacturer), { basis: 'simulation: DCC inspection' });
  const t1 = performance.now();

  // Which devices come back, and why: seeded, distinct devices.
  const rng = new SeededRandom(`${o.seed}/returns`);
  const picks: Array<{ eui: Eui; supplier: Party; reason: ReturnReason; found: 'before-installation' | 'after-installation' }> = [];
  const order = Array.from({ length: premises }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  outer: for (const p of order) {
    const prem = fleet.premise(p);
    for (const eui of Object.values(prem.devices)) {
      if (picks.length >= o.returns) break outer;
      if (!rng.chance(0.85)) continue;
      const at = fleet.locate(eui)!;
      const fault = faultOf(o.seed, eui, fleet.modelOf(at.slot, eui)).fault;
      const r = rng.next();
      const reason: ReturnReason =
        r < 0.15 ? 'change-of-supplier' : fault && r < 0.7 ? (FAULT_TO_REASON[fault] ?? (fault as ReturnReason)) : r < 0.55 ? 'no-fault-general' : rng.pick(FAULT_REASONS);
      picks.push({ eui, supplier: partyOf.get(prem.supplier)!, reason, found: rng.chance(0.2) ? 'before-installation' : 'after-installation' });
    }
  }
  const lines: ReturnLine[] = [];
  for (const s of suppliers) {
    const mine = picks.filter((p) => p.supplier.id === s.id);
    for (let i = 0; i < mine.length; i += 500) {
      const r = await createReturn(deps, s, 'simulation', {
        reference: `year-${o.seed}`,
        lines: mine.slice(i, i + 500).map((p) => ({ deviceEui: p.eui, reason: p.reason, found: p.found })),
      });
      lines.push(...r.lines);
      progress('returns', lines.length, picks.length);
    }
  }
  return { seed: o.seed, returns: o.returns, chunk, fleet, dcc, manufacturer, suppliers, lines, seconds: { fleet: roundS(t1 - t0), returns: roundS(performance.now() - t1) } };
}

/** The triage phase cut into batches of `chunk` lines, each of one Supplier. */
export function yearChunks(setup: YearSetup): YearChunk[] {
  const out: YearChunk[] = [];
  for (const s of setup.suppliers) {
    const mine = setup.lines.filter((l) => l.returnedBy === s.id).map((l) => l.id);
    for (let i = 0; i < mine.length; i += setup.chunk) out.push({ supplierId: s.id, lineIds: mine.slice(i, i + setup.chunk) });
  }
  return out;
}

/**
 * One batch of the triage phase in the caller's transaction: custody, gold triage in the Supplier's
 * lab where governance lets the Supplier triage the line (else the line goes to the manufacturer
 * only: SMETS2, by default), a seeded third to the manufacturer for bronze, refurbishment or scrap. Which lines get the
 * second pass and their grade are seeded per line, so the batches may run in any order, anywhere.
 */
export async function triageYearChunk(tx: StoreTx, deps: ServiceDeps, seed: string, supplier: Party, manufacturer: Party, lineIds: readonly string[]): Promise<number> {
  const draw = (l: ReturnLine, what: string) => new SeededRandom(`${seed}/${what}/${l.deviceEui}`).next();
  const lab = await tx.returns.facility(labOf(supplier));
  const works = await tx.returns.facility(worksOf(manufacturer));
  if (!lab || !works) throw new ConflictError('year-facility', `the year's facilities ${labOf(supplier)} and ${worksOf(manufacturer)} are not registered`);
  const route = {
    lab,
    manufacturer: { party: manufacturer, works },
    secondPass: (l: ReturnLine) => draw(l, 'second-pass') < 0.33,
    grade: (l: ReturnLine) => (draw(l, 'grade') < 0.8 ? ('A' as const) : ('B' as const)),
  };
  const res = await workThroughStandardRoute(tx, deps, supplier, [...lineIds], route);
  const refused = res.find((r) => 'error' in r);
  if (refused) throw new ConflictError('year-line-refused', `line ${refused.lineId} could not be worked through: ${'error' in refused ? refused.error : ''}`);
  return res.length;
}

/** The year's last phase: one in twenty stocked meters reinstalled in another region, then the report. */
export async function finishYear(
  deps: ServiceDeps,
  setup: YearSetup,
  progress: (phase: string, done: number, total: number) => void = () => {},
): Promise<{ readonly reinstalled: number; readonly report: ReturnsReport; readonly seconds: { readonly reinstall: number; readonly report: number } }> {
  const t0 = performance.now();
  const { fleet, lines, suppliers, manufacturer } = setup;
  const ours = new Set(lines.map((l) => l.id));
  const stocked: ReturnLine[] = [];
  for (const l of await deps.store.read.returns.list({ state: 'in-stock', limit: MAX_YEAR_RETURNS })) if (ours.has(l.id)) stocked.push(l);
  // One in twenty stocked meters goes into a premise another region's return left without one.
  const vacant = new Map<string, string[]>();
  for (const l of lines) {
    if (l.deviceType !== 'ESME' || !l.removedFrom) continue;
    let v = vacant.get(l.returnedBy);
    if (!v) vacant.set(l.returnedBy, (v = []));
    v.push(l.removedFrom);
  }
  let reinstalled = 0;
  const candidates = stocked.filter((l) => l.deviceType === 'ESME').slice(0, Math.ceil(setup.returns / 20));
  const holders = new Map<string, Party>([[manufacturer.id, manufacturer], ...suppliers.map((s) => [s.id, s] as [string, Party])]);
  for (const s of suppliers) {
    const slots = vacant.get(s.id) ?? [];
    const plan: Array<{ lineId: string; premiseId: string }> = [];
    for (const l of candidates.filter((c) => c.returnedBy === s.id)) {
      const at = slots.findIndex((pid) => fleet.premise(Number(pid.split('-p').pop())).distributorId !== l.removedDistributor);
      if (at >= 0) plan.push({ lineId: l.id, premiseId: slots.splice(at, 1)[0]! });
    }
    for (let i = 0; i < plan.length; i += setup.chunk) {
      const res = await deps.store.transaction((tx) => reinstallBatch(tx, deps, s, plan.slice(i, i + setup.chunk), holders));
      const refused = res.find((r) => 'error' in r);
      if (refused) throw new ConflictError('year-line-refused', `line ${refused.lineId} could not be reinstalled: ${'error' in refused ? refused.error : ''}`);
      reinstalled += res.length;
      progress('reinstall', reinstalled, candidates.length);
    }
  }
  const t1 = performance.now();
  const report = await returnsReport(deps, setup.dcc);
  return { reinstalled, report, seconds: { reinstall: roundS(t1 - t0), report: roundS(performance.now() - t1) } };
}

/**
 * A large supplier's year of returns, driven through the whole flow on a simulated fleet: each
 * returned device is handed to the Supplier's lab and triaged gold; about a third go on to the
 * manufacturer for a bronze pass; No-Fault-Found devices are refurbished to vanilla credentials
 * (or scrapped when the model cannot be reset), faulty ones scrapped; one in twenty is reinstalled
 * in another region. Every step is the real service, chunked into batch transactions, one after
 * another in this process (the `returns-year` job runs the same phases with the triage batches as
 * jobs over any number of workers: src/world/jobs/).
 */
export async function simulateReturnsYear(deps: ServiceDeps, o: YearOptions, progress: (phase: string, done: number, total: number) => void = () => {}): Promise<YearResult> {
  const t0 = performance.now();
  const setup = await prepareYear(deps, o, progress);
  const t1 = performance.now();
  const byId = new Map(setup.suppliers.map((s) => [s.id, s]));
  let worked = 0;
  for (const c of yearChunks(setup)) {
    worked += await deps.store.transaction((tx) => triageYearChunk(tx, deps, setup.seed, byId.get(c.supplierId)!, setup.manufacturer, c.lineIds));
    progress('triage', worked, setup.lines.length);
  }
  const secTriage = roundS(performance.now() - t1);
  const end = await finishYear(deps, setup, progress);
  return {
    fleetId: fleetId(setup.fleet.tag),
    returns: setup.lines.length,
    reinstalled: end.reinstalled,
    seconds: {
      fleet: setup.seconds.fleet,
      returns: setup.seconds.returns,
      triageAndRefurbish: secTriage,
      reinstall: end.seconds.reinstall,
      report: end.seconds.report,
      total: roundS(performance.now() - t0),
    },
    report: end.report,
  };
}
