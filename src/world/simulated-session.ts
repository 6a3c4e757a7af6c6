import type { BenchPlan, BenchResult, Eui } from '../domain/index.ts';
import { ValidationError } from '../domain/errors.ts';
import type { DeviceAnswer } from '../services/ports/device-gateway.ts';
import type { BenchSession } from '../services/ports/triage-bench.ts';
import type { StoreTx } from '../store/ports.ts';
import type { Fleet } from './devices/fleet.ts';
import { LocalPort } from './devices/local-port.ts';
import type { DeviceReply, SimulatedDevice } from './devices/simulated-device.ts';
import { runTriageBench } from './devices/triage-bench.ts';

/** The bench's own identity on a device's local port. */
const BENCH_EUI = 'B3BC000000000001' as Eui;

interface Loaded {
  readonly fleet: Fleet;
  readonly fleetId: string;
  readonly device: SimulatedDevice;
}

export function answerOf(r: DeviceReply): DeviceAnswer {
  return r.accepted
    ? { accepted: true, useCase: r.useCase, response: r.response, alert: null, reason: null, detail: null }
    : { accepted: false, useCase: null, response: r.response, alert: r.alert, reason: r.reason, detail: r.detail };
}

/**
 * Simulated devices for one use case: loaded with their saved state, worked by deliveries, bench
 * plans and resets, and saved (only those touched, one statement per fleet) when the session closes.
 */
export class SimulatedSession implements BenchSession {
  readonly #devices = new Map<Eui, Loaded>();
  readonly #touched = new Set<Eui>();

  constructor(
    private readonly tx: StoreTx,
    private readonly load: (tx: StoreTx, eui: Eui) => Promise<Loaded>,
    /** How long a watched bench step takes, in ms (the world's modelled figure; 0: at once). */
    private readonly benchStepMs = 0,
  ) {}

  add(batch: { fleet: Fleet; fleetId: string; devices: Map<Eui, SimulatedDevice> }): void {
    for (const [eui, device] of batch.devices) this.#devices.set(eui, { fleet: batch.fleet, fleetId: batch.fleetId, device });
  }

  async #get(eui: Eui): Promise<Loaded> {
    let d = this.#devices.get(eui);
    if (!d) this.#devices.set(eui, (d = await this.load(this.tx, eui)));
    this.#touched.add(eui);
    return d;
  }

  async deliver(eui: Eui, frame: Uint8Array, at: Date): Promise<DeviceAnswer> {
    return answerOf((await this.#get(eui)).device.receive(frame, at));
  }

  async runPlan(eui: Eui, plan: BenchPlan): Promise<BenchResult> {
    const { fleet, device } = await this.#get(eui);
    return runTriageBench(new LocalPort(device, fleet.options.seed), { ...plan, client: BENCH_EUI, stepMs: this.benchStepMs });
  }

  async resettable(eui: Eui): Promise<boolean> {
    return (await this.#get(eui)).device.model.factoryReset;
  }

  async factoryReset(eui: Eui): Promise<void> {
    const { device } = await this.#get(eui);
    if (!device.model.factoryReset) throw new ValidationError('lineId', 'factory-reset', `${device.model.manufacturer} ${device.model.model} cannot be factory reset`);
    device.factoryReset();
  }

  async close(at: Date): Promise<void> {
    const byFleet = new Map<string, Array<{ eui: Eui; state: unknown }>>();
    for (const eui of this.#touched) {
      const d = this.#devices.get(eui)!;
      let rows = byFleet.get(d.fleetId);
      if (!rows) byFleet.set(d.fleetId, (rows = []));
      rows.push({ eui, state: d.device.exportState() });
    }
    for (const [fid, rows] of byFleet) await this.tx.simulation.saveDeviceStates(rows, fid, at);
    this.#touched.clear();
  }
}
