import type { Eui } from '../domain/eui.ts';
import { toHex } from '../gbcs/byte-reader.ts';
import { JOIN_WINDOW_MINUTES } from './comms-hub.ts';
import { faultOf, type FaultDiagnosis } from './faults.ts';
import type { SimulatedDevice } from './simulated-device.ts';

export interface PortReply {
  readonly accepted: boolean;
  readonly response: string | null;
  readonly reason?: string;
  readonly alertCode?: string;
  readonly detail?: string;
  readonly alert?: string | null;
}

export interface Diagnostics {
  readonly eui: Eui;
  readonly type: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly firmwareVersion: string;
  readonly factoryReset: boolean;
  readonly diagnosis: FaultDiagnosis;
  readonly state: Record<string, unknown>;
}

export class LocalPortError extends Error {
  constructor(
    readonly code: 'JOIN_WINDOW_CLOSED' | 'NOT_PAIRED' | 'DEVICE_FAULT',
    message: string,
  ) {
    super(message);
  }
}

/**
 * A device's local port (optical port or HAN join, as an HHT or a triage bench uses it offline):
 * the join window is opened at the device (a button press), a client pairs inside its 60 minutes,
 * then sends frames and reads responses and diagnostics. A device with a HAN interface fault
 * cannot be reached this way.
 */
export class LocalPort {
  #windowOpenedAt: number | null = null;
  readonly #paired = new Set<Eui>();

  constructor(
    readonly device: SimulatedDevice,
    private readonly fleetSeed: string,
  ) {}

  get diagnosis(): FaultDiagnosis {
    return faultOf(this.fleetSeed, this.device.eui, this.device.model);
  }

  openJoinWindow(now: Date): void {
    this.#windowOpenedAt = now.getTime();
  }

  pair(client: Eui, now: Date): void {
    if (this.diagnosis.fault === 'smhan-interface-fault') throw new LocalPortError('DEVICE_FAULT', `${this.device.eui} does not answer on its local interface`);
    if (this.#windowOpenedAt === null || now.getTime() - this.#windowOpenedAt >= JOIN_WINDOW_MINUTES * 60_000) {
      throw new LocalPortError('JOIN_WINDOW_CLOSED', `pair within ${JOIN_WINDOW_MINUTES} minutes of opening the join window on ${this.device.eui}`);
    }
    this.#paired.add(client);
  }

  send(client: Eui, frame: Uint8Array, now: Date): PortReply {
    if (!this.#paired.has(client)) throw new LocalPortError('NOT_PAIRED', `${client} has not paired with ${this.device.eui}`);
    const r = this.device.receive(frame, now);
    if (r.accepted) return { accepted: true, response: toHex(r.response) };
    return {
      accepted: false,
      response: r.response ? toHex(r.response) : null,
      reason: r.reason,
      alertCode: `0x${r.alertCode.toString(16).toUpperCase()}`,
      detail: r.detail,
      alert: r.alert ? toHex(r.alert) : null,
    };
  }

  diagnostics(): Diagnostics {
    const m = this.device.model;
    return {
      eui: this.device.eui,
      type: m.type,
      manufacturer: m.manufacturer,
      model: m.model,
      firmwareVersion: m.firmwareVersion,
      factoryReset: m.factoryReset,
      diagnosis: this.diagnosis,
      state: this.device.snapshot(),
    };
  }
}
