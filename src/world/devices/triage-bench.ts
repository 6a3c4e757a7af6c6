import type { Eui } from '../../domain/eui.ts';
import type { BenchPlan, BenchResult, StepResult } from '../../domain/bench-result.ts';
import type { TriageMethod, TriageStep } from '../../domain/returns.ts';
import { decodeFrame } from '../../gbcs/decode-frame.ts';
import { fromHex } from '../../gbcs/byte-reader.ts';
import { readCs02aResponse, ROLE } from '../../gbcs/payloads/credentials.ts';
import { euiFromBytes } from '../../domain/eui.ts';
import { LocalPortError, type LocalPort } from './local-port.ts';

export type { BenchResult, StepResult } from '../../domain/bench-result.ts';

// The returns taxonomy's name for each simulated fault (DUIS 8.14.3 words).
const FAULT_NAME: Record<string, string> = { 'illegal-interference-broken-seals': 'illegal-interference-missing-seals' };
const VISUAL = new Set(['illegal-interference-broken-seals', 'damaged-connector', 'environmental-conditions-exceeded']);
const DIAGNOSTIC = new Set(['led-fault', 'manufacturing-defect', 'damaged-connector', 'environmental-conditions-exceeded']);
const WAN = new Set(['sm-wan-fault', 'aerial-fault']);

interface BenchRun {
  readonly steps: readonly TriageStep[];
  readonly method: TriageMethod;
  readonly sealsIntact: boolean;
  readonly client: Eui;
  readonly cs02a: Uint8Array | null;
  readonly now: Date;
}

/**
 * A triage bench at a secure facility, the device offline on the bench: each step of the plan runs
 * against the simulated device's local port and records what it saw. "gold" joins the device and
 * reads its credentials with a CS02a the DCC's test service MACs (the DCC's proposal: a test CH,
 * dummy MPxNs); "bronze" is the manufacturer's tool (the port's own diagnostics). A fault seen
 * fails its step; all steps passing is No Fault Found; a plan that could not reach the device is
 * inconclusive. Each step's result is yielded as it is seen; the plan's result is returned.
 */
export function* triageBenchSteps(port: LocalPort, o: BenchRun): Generator<StepResult, BenchResult, void> {
  const d = port.diagnosis;
  const type = port.device.model.type;
  const results: StepResult[] = [];
  let credentials: BenchResult['credentials'] = null;
  let joined = false;
  const failWith = (step: TriageStep, observations: readonly string[]) => results.push({ step, result: 'fail', observations, fault: FAULT_NAME[d.fault!] ?? d.fault! });
  const runStep = (step: TriageStep): void => {
    if (step === 'seals-and-visual') {
      if (!o.sealsIntact) results.push({ step, result: 'fail', observations: ['tamper seals broken on receipt'], fault: 'illegal-interference-missing-seals' });
      else if (d.fault && VISUAL.has(d.fault)) failWith(step, d.observations);
      else results.push({ step, result: 'pass', observations: ['seals intact', 'no visible damage'] });
    } else if (step === 'power-on') {
      if (d.fault === 'manufacturing-defect') failWith(step, d.observations);
      else results.push({ step, result: 'pass', observations: ['powers up, self-test passes'] });
    } else if (step === 'join') {
      try {
        port.openJoinWindow(o.now);
        port.pair(o.client, o.now);
        joined = true;
        if (o.method === 'gold') {
          if (!o.cs02a) throw new Error('gold triage needs the test service CS02a');
          const r = port.send(o.client, o.cs02a, o.now);
          if (!r.accepted || !r.response) {
            results.push({ step, result: 'fail', observations: [`the test CH's CS02a was refused: ${r.reason ?? ''} ${r.detail ?? ''}`.trim()], fault: 'smhan-interface-fault' });
            joined = false;
            return;
          }
          const roles = readCs02aResponse(decodeFrame(fromHex(r.response)).apdu.content);
          const dsOf = (role: number) => {
            const cell = roles.find((x) => x.role === role)?.cells?.find((c) => c.keyUsage === 'ds');
            return cell ? euiFromBytes(cell.subjectUniqueId) : null;
          };
          credentials = { supplier: dsOf(ROLE.supplier), networkOperator: dsOf(ROLE.networkOperator) };
          results.push({ step, result: 'pass', observations: ['joined the test hub (dummy MPxN)', 'CS02a answered and its MAC verified'] });
        } else {
          results.push({ step, result: 'pass', observations: ["paired with the manufacturer's tool"] });
        }
      } catch (e) {
        if (!(e instanceof LocalPortError)) throw e;
        results.push({ step, result: 'fail', observations: [e.message, ...d.observations], fault: 'smhan-interface-fault' });
      }
    } else if (step === 'diagnostics') {
      if (o.method === 'bronze' && !joined) results.push({ step, result: 'skipped', observations: ['the tool could not connect'] });
      else if (d.fault && DIAGNOSTIC.has(d.fault)) failWith(step, d.observations);
      else results.push({ step, result: 'pass', observations: ['diagnostic log clean'] });
    } else if (step === 'wan-test') {
      if (type !== 'CHF' && type !== 'GPF') results.push({ step, result: 'skipped', observations: [`a ${type} has no WAN module`] });
      else if (d.fault && WAN.has(d.fault)) failWith(step, d.observations);
      else results.push({ step, result: 'pass', observations: ['registers on the test cell', 'RSSI within limits'] });
    } else if (step === 'credential-read') {
      if (!joined) results.push({ step, result: 'skipped', observations: ['not joined'] });
      else if (o.method === 'bronze') {
        const a = port.device.anchors;
        credentials = { supplier: a.get(ROLE.supplier, 'ds')?.partyEui ?? null, networkOperator: a.get(ROLE.networkOperator, 'ds')?.partyEui ?? null };
        results.push({ step, result: 'pass', observations: [`NO cell: ${credentials.networkOperator ?? 'empty'}`] });
      } else {
        results.push({ step, result: credentials ? 'pass' : 'skipped', observations: [`NO cell: ${credentials?.networkOperator ?? 'unread'}`] });
      }
    }
  };
  for (const step of o.steps) {
    const before = results.length;
    runStep(step);
    const seen = results[before];
    if (seen) yield seen;
  }
  const failed = results.find((r) => r.result === 'fail');
  const ran = results.filter((r) => r.result !== 'skipped').length;
  return { outcome: failed ? 'fault' : ran === 0 ? 'inconclusive' : 'no-fault-found', fault: failed?.fault ?? null, steps: results, credentials };
}

/**
 * A plan run to its end. Watched (onStep given), each step takes stepMs before its result is told:
 * meterops' own modelled figure for the simulated bench, so a technician sees the steps arrive one
 * by one; a plan no one watches (a batch, the returns year) runs at once.
 */
export async function runTriageBench(port: LocalPort, o: BenchRun & { readonly onStep?: BenchPlan['onStep']; readonly stepMs?: number }): Promise<BenchResult> {
  const steps = triageBenchSteps(port, o);
  for (let index = 0; ; index++) {
    const next = steps.next();
    if (next.done) return next.value;
    if (!o.onStep) continue;
    if (o.stepMs) await new Promise((r) => setTimeout(r, o.stepMs));
    o.onStep(next.value, index, o.steps.length);
  }
}
