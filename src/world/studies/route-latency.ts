import { performance } from 'node:perf_hooks';
import type { Eui } from '../../domain/eui.ts';
import type { Route } from '../../domain/wan-route.ts';
import { buildUseCaseFrame } from '../../gbcs/build-use-case.ts';
import { generateUtrn } from '../../gbcs/generate-utrn.ts';
import { USE_CASES } from '../../gbcs/use-cases.ts';
import { verifyLocalResponse } from '../../gbcs/verify-local-response.ts';
import type { CommsHub } from '../devices/comms-hub.ts';
import type { Esme } from '../devices/esme.ts';
import { Fleet } from '../devices/fleet.ts';
import { FleetKeyStore } from '../devices/fleet-key-store.ts';
import { PpmidRelay } from '../devices/ppmid-relay.ts';
import { SeededRandom } from '../devices/seeded-random.ts';

/**
 * Transport delays of each hop, in seconds: the model's assumptions, stated so they can be argued
 * with. The processing of each command (building, signing and MACing it, the device's checks and
 * response, verifying the response) is not modelled: it is run and timed.
 */
export const LATENCY_MODEL = {
  dspProcessing: [0.3, 2.0],
  wanMedian: 4.0,
  wanSigma: 0.6,
  hanHop: [0.2, 1.0],
  intermittentFailure: 0.35,
  wanTimeout: 30,
  relayLink: { wifi: [0.5, 3.0], usb: [60, 600], nfc: [30, 300] },
  codeToConsumer: [5, 120],
  consumerEntersCodeMedian: 1800,
  visitWaitDays: [1, 10],
  uploadAfterVisitHours: [1, 12],
} as const;

export type SimulatedRoute = Route | 'wan-intermittent' | 'alert-wan';

export interface RouteLatency {
  readonly route: SimulatedRoute;
  readonly target: { readonly seconds: number; readonly name: string } | null;
  readonly samples: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly withinTarget: number | null;
  /** Of the total, the measured processing (crypto, device) in milliseconds, median. */
  readonly processingMsP50: number;
  readonly confirmed: boolean;
  readonly note: string;
  /** The distribution: how many samples fell at or under each of RESPONSE_TIME_BUCKETS (seconds) and above the previous one; `upToSeconds` null for those above the last. */
  readonly histogram: ReadonlyArray<{ readonly upToSeconds: number | null; readonly count: number }>;
}

/** The histogram's upper edges, in seconds: the targets (30 s, 60 s) among them, then minutes, hours, days. */
export const RESPONSE_TIME_BUCKETS = [5, 10, 20, 30, 45, 60, 120, 600, 3600, 21_600, 86_400, 604_800] as const;

function histogramOf(sorted: readonly number[]): RouteLatency['histogram'] {
  const edges: Array<number | null> = [...RESPONSE_TIME_BUCKETS, null];
  let i = 0;
  return edges.map((upTo) => {
    let count = 0;
    while (i < sorted.length && (upTo === null || sorted[i]! <= upTo)) {
      i++;
      count++;
    }
    return { upToSeconds: upTo, count };
  });
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

/**
 * Request-to-confirmed-response time for each route on a simulated no-WAN-prone premise, against
 * the DCC's targets (on-demand device requests 30 s, alerts 60 s). Each sample runs a real command
 * through real keys and a real simulated meter.
 */
export async function simulateResponseTimes(opts: { samples?: number; seed?: string } = {}): Promise<RouteLatency[]> {
  const n = Math.max(10, Math.min(opts.samples ?? 200, 20_000));
  const rng = new SeededRandom(`latency/${opts.seed ?? 'default'}`);
  const u = (r: readonly [number, number]) => r[0] + rng.next() * (r[1] - r[0]);
  const wan = () => {
    // Box-Muller on two uniforms: a lognormal WAN round trip.
    const z = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    return LATENCY_MODEL.wanMedian * Math.exp(LATENCY_MODEL.wanSigma * z);
  };
  const fleet = new Fleet({ premises: 2, seed: `latency/${opts.seed ?? 'default'}`, prepaymentRate: 1, gasRate: 0 });
  const keys = new FleetKeyStore(fleet);
  const acb = fleet.parties.acb.eui;
  const p = fleet.premise(0);
  const esmeEui = p.devices.ESME!;
  const esme = fleet.device(esmeEui) as Esme;
  const relay = new PpmidRelay(fleet.device(p.devices.CHF!) as CommsHub, 'wifi', { allowed: new Set([USE_CASES.ECS45!.messageCode]), perDevicePerHour: Number.MAX_SAFE_INTEGER });
  let counter = 0n;

  /** Builds, delivers (through `deliver`) and verifies one ECS45; returns the measured milliseconds. */
  const roundTrip = async (deliver: (f: Uint8Array) => Uint8Array): Promise<number> => {
    const t0 = performance.now();
    const c = ++counter;
    const frame = await buildUseCaseFrame(keys, { useCase: 'ECS45', originator: p.supplier, device: esmeEui, counter: c, acb });
    const response = deliver(frame);
    const check = await verifyLocalResponse(
      response,
      { device: esmeEui, user: p.supplier as Eui, counter: c, messageCode: USE_CASES.ECS45!.messageCode, critical: false },
      keys,
      acb,
    );
    if (!check.ok) throw new Error(`simulation: the response did not verify: ${check.reason}`);
    return performance.now() - t0;
  };
  const direct = (f: Uint8Array) => {
    const r = esme.receive(f, new Date());
    if (!r.accepted) throw new Error(`simulation: the meter refused: ${r.detail}`);
    return r.response;
  };
  const viaRelay = (f: Uint8Array) => {
    const o = relay.relay(f, new Date());
    if (o.stage !== 'delivered' || !o.reply.accepted) throw new Error('simulation: the relay did not deliver');
    return o.reply.response;
  };

  const routes: Array<{ route: SimulatedRoute; target: RouteLatency['target']; confirmed: boolean; note: string; sample: () => Promise<[number, number]> }> = [
    {
      route: 'wan',
      target: { seconds: 30, name: 'on-demand' },
      confirmed: true,
      note: 'DSP, WAN both ways, HAN hop, device',
      sample: async () => {
        const ms = await roundTrip(direct);
        return [u(LATENCY_MODEL.dspProcessing) + wan() + u(LATENCY_MODEL.hanHop) * 2 + wan() + ms / 1000, ms];
      },
    },
    {
      route: 'wan-intermittent',
      target: { seconds: 30, name: 'on-demand' },
      confirmed: true,
      note: `intermittent WAN: ${LATENCY_MODEL.intermittentFailure * 100}% of attempts time out at ${LATENCY_MODEL.wanTimeout} s and are retried`,
      sample: async () => {
        const ms = await roundTrip(direct);
        let t = u(LATENCY_MODEL.dspProcessing);
        while (rng.chance(LATENCY_MODEL.intermittentFailure)) t += LATENCY_MODEL.wanTimeout;
        return [t + wan() + u(LATENCY_MODEL.hanHop) * 2 + wan() + ms / 1000, ms];
      },
    },
    {
      route: 'alert-wan',
      target: { seconds: 60, name: 'alert' },
      confirmed: true,
      note: 'device alert: HAN hop, WAN, DSP to the User',
      sample: async () => {
        const t0 = performance.now();
        esme.alert(0x8f1e, p.supplier, new Date());
        const ms = performance.now() - t0;
        return [u(LATENCY_MODEL.hanHop) + wan() + u(LATENCY_MODEL.dspProcessing) + ms / 1000, ms];
      },
    },
    {
      route: 'ppmid-relay',
      target: { seconds: 30, name: 'on-demand' },
      confirmed: true,
      note: 'Wi-Fi link to the PPMID both ways, CH allow-list, HAN hop (USB/NFC need the consumer: minutes)',
      sample: async () => {
        const ms = await roundTrip(viaRelay);
        return [u(LATENCY_MODEL.dspProcessing) + u(LATENCY_MODEL.relayLink.wifi) * 2 + u(LATENCY_MODEL.hanHop) * 2 + ms / 1000, ms];
      },
    },
    {
      route: 'consumer-code',
      target: { seconds: 30, name: 'on-demand' },
      confirmed: false,
      note: 'UTRN vended, sent to the consumer, typed on the meter: credit arrives, but no response reaches the User without WAN',
      sample: async () => {
        const t0 = performance.now();
        counter = ((counter >> 32n) + 1n) << 32n;
        await generateUtrn(keys, { supplier: p.supplier, device: esmeEui, counter, value: 5, valueClass: 'pounds' });
        const ms = performance.now() - t0;
        const typing = (-Math.log(1 - rng.next()) * LATENCY_MODEL.consumerEntersCodeMedian) / Math.LN2;
        return [u(LATENCY_MODEL.codeToConsumer) + typing + ms / 1000, ms];
      },
    },
    {
      route: 'hht-visit',
      target: { seconds: 30, name: 'on-demand' },
      confirmed: true,
      note: 'work order, wait for the visit, local delivery, SRV 8.13 upload when back online',
      sample: async () => {
        const ms = await roundTrip(direct);
        return [u(LATENCY_MODEL.visitWaitDays) * 86_400 + ms / 1000 + u(LATENCY_MODEL.uploadAfterVisitHours) * 3600, ms];
      },
    },
  ];
  const out: RouteLatency[] = [];
  for (const r of routes) {
    const totals: number[] = [];
    const proc: number[] = [];
    for (let i = 0; i < n; i++) {
      const [s, ms] = await r.sample();
      totals.push(s);
      proc.push(ms);
    }
    totals.sort((a, b) => a - b);
    proc.sort((a, b) => a - b);
    const round = (x: number) => Math.round(x * 10) / 10;
    out.push({
      route: r.route,
      target: r.target,
      samples: n,
      p50: round(pct(totals, 50)),
      p95: round(pct(totals, 95)),
      p99: round(pct(totals, 99)),
      max: round(totals[totals.length - 1]!),
      withinTarget: r.target && r.confirmed ? Math.round((totals.filter((x) => x <= r.target!.seconds).length / n) * 1000) / 10 : null,
      processingMsP50: Math.round(pct(proc, 50) * 100) / 100,
      confirmed: r.confirmed,
      note: r.note,
      histogram: histogramOf(totals),
    });
  }
  return out;
}
