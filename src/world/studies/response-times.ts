import { simulateResponseTimes, LATENCY_MODEL, type RouteLatency } from './route-latency.ts';
import type { ServiceDeps } from '../../services/deps.ts';

export interface ResponseTimeReport {
  readonly targets: { readonly onDemandSeconds: 30; readonly alertSeconds: 60 };
  readonly simulated: readonly RouteLatency[];
  readonly model: typeof LATENCY_MODEL;
  /** HHT work orders of this deployment: order created to verified response uploaded. */
  readonly observedHht: { readonly responses: number; readonly p50Seconds: number | null; readonly p95Seconds: number | null; readonly maxSeconds: number | null };
}

/** `meterops report response-times`: every route against the DCC's targets, simulated and observed. */
export async function responseTimeReport(deps: ServiceDeps, opts: { samples?: number; seed?: string } = {}): Promise<ResponseTimeReport> {
  const simulated = await simulateResponseTimes(opts);
  const seen = (await deps.store.read.workOrders.confirmedLatencies(100_000)).map((x) => x.seconds).sort((a, b) => a - b);
  const at = (p: number) => (seen.length ? Math.round(seen[Math.min(seen.length - 1, Math.floor(p * seen.length))]!) : null);
  return {
    targets: { onDemandSeconds: 30, alertSeconds: 60 },
    simulated,
    model: LATENCY_MODEL,
    observedHht: { responses: seen.length, p50Seconds: at(0.5), p95Seconds: at(0.95), maxSeconds: seen.length ? Math.round(seen[seen.length - 1]!) : null },
  };
}
