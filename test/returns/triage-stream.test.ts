// A triage pass watched as it runs: the service's observer and the route's NDJSON stream (one
// line per event, each step as the bench finishes it), refusals still problem+json before any
// stream, and a failure mid-run a problem line with nothing written.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Eui, Party, StepResult, TriageStep } from '../../src/domain/index.ts';
import { TRIAGE_STEPS } from '../../src/domain/index.ts';
import type { App } from '../../src/api/app.ts';
import type { ServiceDeps } from '../../src/services/deps.ts';
import type { TriageBench } from '../../src/services/ports/triage-bench.ts';
import { createReturn, registerFacility } from '../../src/services/returns/returns.ts';
import { grantSecureStatus } from '../../src/services/returns/facility-grants.ts';
import { handOver, triage } from '../../src/services/returns/triage.ts';
import type { Store } from '../../src/store/store.ts';
import { faultOf } from '../../src/world/devices/faults.ts';
import { Fleet } from '../../src/world/devices/fleet.ts';
import { generateFleet } from '../../src/world/fleet-service.ts';
import { SimulatedWorld } from '../../src/world/simulated-world.ts';
import { BACKENDS } from '../support/backends.ts';
import { aParty, appFor, depsFor, withParties } from '../support/builders.ts';
import { hashApiKey } from '../../src/services/authenticate.ts';

/** The bench lost the device after `steps` steps (a fault of the port, not of the database). */
function benchFailingAfter(bench: TriageBench, steps: number): TriageBench {
  return {
    connected: (tx, eui) => bench.connected(tx, eui),
    open: async (tx, euis) => {
      const session = await bench.open(tx, euis);
      return Object.assign(Object.create(session) as typeof session, {
        runPlan: (eui: Eui, plan: Parameters<typeof session.runPlan>[1]) =>
          session.runPlan(eui, {
            ...plan,
            onStep: (s: StepResult, i: number, n: number) => {
              if (i >= steps) throw new Error('the bench lost the local connection');
              plan.onStep?.(s, i, n);
            },
          }),
      });
    },
  };
}

interface Line {
  readonly at: number;
  readonly event: Record<string, unknown>;
}

/** POSTs and reads the NDJSON answer line by line as it arrives, noting when each came. */
async function readStream(res: Response): Promise<Line[]> {
  const lines: Line[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      lines.push({ at: performance.now(), event: JSON.parse(buffered.slice(0, nl)) as Record<string, unknown> });
      buffered = buffered.slice(nl + 1);
    }
  }
  assert.equal(buffered, '', 'the stream ends with a whole line');
  return lines;
}

const STEP_MS = 40;

for (const backend of BACKENDS) {
  describe(`a triage pass streamed step by step on ${backend.name}`, { skip: backend.skip ?? false }, () => {
    let store: Store;
    let deps: ServiceDeps;
    let app: App;
    let failing: App;
    let base: string;
    let failingBase: string;
    let supplier: Party;
    let other: Party;
    // SMETS2 is triaged by the manufacturer only (the papers' rule, the default governance): the Supplier returns, the manufacturer triages.
    let maker: Party;
    const esmes: Eui[] = [];
    let untouched = '';
    let streamed = '';
    const lab = `lab-${backend.name}`;
    const depot = `depot-${backend.name}`;
    const auth = (p: Party) => ({ authorization: `Bearer key-${p.id}`, 'content-type': 'application/json' });
    const ndjson = (p: Party) => ({ ...auth(p), accept: 'application/x-ndjson' });

    before(async () => {
      store = await backend.open();
      deps = depsFor(store, () => new Date('2026-10-01T09:00:00Z'), { world: new SimulatedWorld({ benchStepMs: STEP_MS }) });
      const dcc = aParty({ role: 'dcc' });
      other = aParty({ role: 'supplier' });
      maker = aParty({ role: 'manufacturer' });
      await withParties(store, dcc, other, maker);
      const seed = `triage-stream-${backend.name}`;
      await generateFleet(deps, dcc, { premises: 40, seed });
      const fleet = new Fleet({ premises: 40, seed });
      // Fault-free ESMEs of one Supplier (so each plan passes every step it runs).
      let supplierEui: string | undefined;
      for (let i = 0; i < fleet.premiseCount && esmes.length < 4; i++) {
        const p = fleet.premise(i);
        const e = p.devices.ESME!;
        if (faultOf(seed, e, fleet.modelOf('ESME', e)).fault !== null || (supplierEui && p.supplier !== supplierEui)) continue;
        supplierEui = p.supplier;
        esmes.push(e);
      }
      assert.equal(esmes.length, 4, 'fixture devices found');
      supplier = (await store.read.parties.list()).find((p) => p.eui === supplierEui)!;
      // The fleet's parties have no API keys: the supplier gets one, as withParties gives.
      await store.transaction(async (tx) => tx.parties.addApiKey(supplier.id, hashApiKey(`key-${supplier.id}`), 'test'));
      await registerFacility(deps, maker, { id: lab, name: 'Manufacturer works' });
      await grantSecureStatus(deps, dcc, lab, { basis: 'DCC inspection' });
      await registerFacility(deps, maker, { id: depot, name: 'Goods-in depot' });
      app = await appFor(deps);
      failing = await appFor({ ...deps, bench: benchFailingAfter(deps.bench, 2) });
      await app.listen({ port: 0, host: '127.0.0.1' });
      await failing.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      failingBase = `http://127.0.0.1:${(failing.server.address() as AddressInfo).port}`;
    });
    after(async () => {
      await app?.close();
      await failing?.close();
      await store?.close();
    });

    type Shown = { line: Record<string, unknown>; history: Array<{ kind: string; details: Record<string, unknown> }> };
    const lineOf = async (id: string) => (await (await fetch(`${base}/v1/return-lines/${id}`, { headers: auth(supplier) })).json()) as Shown;
    const deviceOf = async (eui: Eui) => (await (await fetch(`${base}/v1/devices/${eui}`, { headers: auth(supplier) })).json()) as Record<string, unknown>;

    /** A return line for the n-th fixture device, returned by the supplier, held by the manufacturer at its works. */
    const lineAtLab = async (n: number): Promise<string> => {
      const r = await createReturn(deps, supplier, 'agent', { reference: `RMA-S${n}`, lines: [{ deviceEui: esmes[n]!, reason: 'no-fault-general' }] });
      const id = r.lines[0]!.id;
      await handOver(deps, supplier, id, { toPartyId: maker.id, site: lab, seals: [{ id: `S-${n}`, intact: true }] });
      return id;
    };

    it('the service tells started, then each step in order, before it answers; its result is unchanged', async () => {
      const id = await lineAtLab(0);
      const seen: Array<{ kind: string; index?: number; total?: number; step?: TriageStep }> = [];
      const out = await triage(deps, maker, id, { facilityId: lab, method: 'gold' }, undefined, {
        started: (e) => seen.push({ kind: `started ${e.lineId} ${e.deviceEui} ${e.facilityId} ${e.method} ${e.steps.join(',')}` }),
        step: (s, index, total) => seen.push({ kind: 'step', index, total, step: s.step }),
      });
      assert.deepEqual(seen, [
        { kind: `started ${id} ${esmes[0]} ${lab} gold ${TRIAGE_STEPS.join(',')}` },
        ...TRIAGE_STEPS.map((step, index) => ({ kind: 'step', index, total: TRIAGE_STEPS.length, step })),
      ]);
      assert.equal(out.result.outcome, 'no-fault-found', JSON.stringify(out.result.steps));
      assert.equal(out.line.state, 'triaged');
    });

    it('streams one line per step as the bench finishes it, then done equal to the line read back', async () => {
      const id = (streamed = await lineAtLab(1));
      const t0 = performance.now();
      const res = await fetch(`${base}/v1/return-lines/${id}/triage`, { method: 'POST', headers: ndjson(maker), body: JSON.stringify({ facilityId: lab, method: 'gold' }) });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/x-ndjson');
      const lines = await readStream(res);
      const kinds = lines.map((l) => l.event.kind);
      assert.deepEqual(kinds, ['started', ...TRIAGE_STEPS.map(() => 'step'), 'done']);
      assert.deepEqual(lines[0]!.event, { kind: 'started', lineId: id, deviceEui: esmes[1], facilityId: lab, method: 'gold', steps: [...TRIAGE_STEPS] });
      const steps = lines.slice(1, -1);
      assert.deepEqual(
        steps.map((l) => [l.event.index, l.event.total, (l.event.step as { step: string }).step]),
        TRIAGE_STEPS.map((s, i) => [i, TRIAGE_STEPS.length, s]),
      );
      // Each step took the world's modelled figure: the first arrived well before the last and done.
      const done = lines.at(-1)!;
      assert.ok(steps[0]!.at - t0 >= STEP_MS - 5, `the first step came after one step's time (${steps[0]!.at - t0} ms)`);
      assert.ok(done.at - steps[0]!.at >= (TRIAGE_STEPS.length - 1) * STEP_MS - 10, `the steps arrived one by one (${done.at - steps[0]!.at} ms from the first to done)`);

      // done is exactly what the record shows, read back independently.
      const got = await lineOf(id);
      const { line, result } = done.event as { line: Record<string, unknown>; result: { steps: unknown[]; outcome: string } };
      assert.deepEqual(line, got.line);
      const pass = got.history.filter((e) => e.kind === 'triage');
      assert.equal(pass.length, 1);
      assert.deepEqual(pass[0]!.details.steps, result.steps);
      assert.deepEqual(
        steps.map((l) => l.event.step),
        result.steps,
        'each streamed step is the one recorded',
      );
      assert.equal(pass[0]!.details.outcome, result.outcome);
      const device = await deviceOf(esmes[1]!);
      assert.equal(device.assetStatus, 'no_fault_found');
    });

    it('without the Accept header, the same route answers one JSON document as before', async () => {
      const id = await lineAtLab(2);
      const res = await fetch(`${base}/v1/return-lines/${id}/triage`, { method: 'POST', headers: auth(maker), body: JSON.stringify({ facilityId: lab, method: 'gold' }) });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      const body = (await res.json()) as { line: unknown; result: { steps: unknown[] } };
      // The answer also names the governance setting that let the manufacturer triage (not an extension).
      assert.deepEqual(Object.keys(body).sort(), ['governance', 'line', 'result']);
      assert.deepEqual((body as unknown as { governance: unknown }).governance, { setting: 'governance.triage.smets2', extension: false });
      assert.equal(body.result.steps.length, TRIAGE_STEPS.length);
      const got = await lineOf(id);
      assert.deepEqual(body.line, got.line);
    });

    it('refusals answer their problem+json 4xx with no stream', async () => {
      const id = (untouched = await lineAtLab(3));
      const post = (body: unknown, who = maker, line = id) => fetch(`${base}/v1/return-lines/${line}/triage`, { method: 'POST', headers: ndjson(who), body: JSON.stringify(body) });
      const expect = async (res: Response, status: number, field: string, rule: string) => {
        assert.equal(res.status, status);
        assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
        const p = (await res.json()) as { field?: string; rule?: string };
        assert.deepEqual([p.field, p.rule], [field, rule], JSON.stringify(p));
      };
      await expect(await post({ facilityId: depot, method: 'gold' }), 403, 'facilityId', 'secure-facility');
      await expect(await post({ facilityId: lab, method: 'gold' }, other), 404, 'lineId', 'not_found');
      await expect(await post({ facilityId: lab, method: 'silver' }), 400, 'method', 'invalid_value');
      await expect(await post({ facilityId: lab, method: 'gold', steps: ['x-ray'] }), 422, 'steps', 'triage-steps');
      await expect(await post({ facilityId: 'nowhere', method: 'gold' }), 404, 'facilityId', 'not_found');
      // Already triaged this custody pass (line 1 was, above).
      await expect(await post({ facilityId: lab, method: 'gold' }, maker, streamed), 409, 'lineId', 'already-triaged');
      const line = await lineOf(id);
      assert.equal(line.line.state, 'returned', 'nothing happened to the line');
      assert.equal(line.history.filter((e) => e.kind === 'triage').length, 0);
    });

    it('a failure after the stream began ends it with a problem line, and nothing is written', async () => {
      const id = untouched;
      const beforeLine = await lineOf(id);
      const beforeDevice = await deviceOf(esmes[3]!);
      const res = await fetch(`${failingBase}/v1/return-lines/${id}/triage`, {
        method: 'POST',
        headers: ndjson(maker),
        body: JSON.stringify({ facilityId: lab, method: 'gold' }),
      });
      assert.equal(res.status, 200);
      const lines = await readStream(res);
      assert.deepEqual(
        lines.map((l) => l.event.kind),
        ['started', 'step', 'step', 'problem'],
      );
      const problem = lines.at(-1)!.event;
      assert.deepEqual([problem.status, problem.code, problem.field, problem.rule], [500, 'INTERNAL', 'request', 'internal']);
      assert.equal(problem.instance, `/v1/return-lines/${id}/triage`);
      const afterLine = await lineOf(id);
      const afterDevice = await deviceOf(esmes[3]!);
      assert.deepEqual(afterLine, beforeLine, 'the line and its history are as they were');
      assert.equal(afterDevice.assetStatus, beforeDevice.assetStatus, 'the asset status is as it was');
      assert.deepEqual(afterDevice, beforeDevice);
      // And the pass can still be run: the failure left no half-written triage.
      const ok = await triage(deps, maker, id, { facilityId: lab, method: 'gold' });
      assert.equal(ok.line.triageCount, 1);
    });
  });
}

describe("the simulated bench's modelled step duration", () => {
  it('is whole milliseconds from 0 to 1000, refused otherwise naming the option', async () => {
    const { ValidationError } = await import('../../src/domain/index.ts');
    const { loadConfig } = await import('../../src/config/config.ts');
    assert.equal(new SimulatedWorld().benchStepMs, 0, 'at once unless set');
    assert.equal(loadConfig({}).simBenchStepMs, 250, "the serve world's figure");
    assert.equal(loadConfig({ METEROPS_SIM_BENCH_STEP_MS: '0' }).simBenchStepMs, 0);
    for (const bad of [-1, 1.5, 1_001, Number.NaN])
      assert.throws(
        () => new SimulatedWorld({ benchStepMs: bad }),
        (e: unknown) => e instanceof ValidationError && e.field === 'benchStepMs' && e.rule === 'bench-step-ms',
      );
    for (const bad of ['5000', '-1', 'soon'])
      assert.throws(
        () => loadConfig({ METEROPS_SIM_BENCH_STEP_MS: bad }),
        (e: unknown) => e instanceof ValidationError && e.field === 'simBenchStepMs' && /METEROPS_SIM_BENCH_STEP_MS/.test(e.message),
      );
  });
});
