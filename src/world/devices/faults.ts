import { SeededRandom } from './seeded-random.ts';
import type { DeviceModelSpec, FaultSpec } from './device-model.ts';

export interface FaultDiagnosis {
  readonly fault: FaultSpec['fault'] | null;
  readonly observations: readonly string[];
}

/**
 * Whether a returned device has a fault, and which: deterministic per fleet seed and EUI. Most have
 * none (the model's No-Fault-Found rate, about 70% by default).
 */
export function faultOf(seed: string, eui: string, model: DeviceModelSpec, nffRate = model.nffRate): FaultDiagnosis {
  const rng = new SeededRandom(`${seed}/fault/${eui}`);
  if (rng.chance(nffRate) || model.faults.length === 0) return { fault: null, observations: ['all diagnostics passed'] };
  const total = model.faults.reduce((s, f) => s + f.weight, 0);
  let pick = rng.next() * total;
  for (const f of model.faults) {
    pick -= f.weight;
    if (pick < 0) return { fault: f.fault, observations: f.observations };
  }
  const last = model.faults.at(-1)!;
  return { fault: last.fault, observations: last.observations };
}
