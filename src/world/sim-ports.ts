import { ValidationError, type Eui } from '../domain/index.ts';
import { Esme, type KeypadResult } from './devices/esme.ts';
import { LocalPort, type PortReply, type PortSession } from './devices/local-port.ts';
import { audit } from '../services/audit.ts';
import type { ServiceDeps } from '../services/deps.ts';
import type { SimulatedWorld } from './simulated-world.ts';

/**
 * The simulated world's side of a visit: the local port of an installed fleet device (join window,
 * signed pairing, frames in and responses out) and its keypad. Device state is loaded from the
 * store and saved after each step; a port's session (join window, paired HHTs) lives in this
 * process, as a real port's lives in the device's RAM.
 */
export class SimulatedPorts {
  readonly #sessions = new Map<Eui, PortSession>();
  static readonly MAX_SESSIONS = 10_000;

  constructor(
    private readonly world: SimulatedWorld,
    private readonly deps: ServiceDeps,
  ) {}

  #session(eui: Eui): PortSession {
    let s = this.#sessions.get(eui);
    if (!s) {
      if (this.#sessions.size >= SimulatedPorts.MAX_SESSIONS) this.#sessions.delete(this.#sessions.keys().next().value!);
      this.#sessions.set(eui, (s = { windowOpenedAt: null, paired: new Set() }));
    }
    return s;
  }

  /** Runs one step at the port; `saved` steps change the device, are stored, and are audited. */
  async #withPort<T>(eui: Eui, fn: (port: LocalPort, now: Date) => T, saved?: (out: T) => Record<string, unknown>): Promise<T> {
    return this.deps.store.transaction(async (tx) => {
      const { fleet, device, fleetId } = await this.world.loadDevice(tx, eui);
      const port = new LocalPort(device, fleet.options.seed, { requirePairingAuthorisation: true, returnedFault: false, session: this.#session(eui) });
      const now = this.deps.clock();
      const out = fn(port, now);
      if (saved) {
        await tx.simulation.saveDeviceState(eui, fleetId, device.exportState(), now);
        await audit(tx, now, 'dcc-simulation', 'sim.local_delivery', `device/${eui}`, saved(out));
      }
      return out;
    });
  }

  /** The engineer presses the button: the 60-minute join window opens. */
  openJoinWindow(eui: Eui): Promise<void> {
    return this.#withPort(eui, (p, now) => p.openJoinWindow(now));
  }

  pair(eui: Eui, client: Eui, authorisation: Uint8Array | undefined): Promise<void> {
    return this.#withPort(eui, (p, now) => p.pair(client, now, authorisation));
  }

  send(eui: Eui, client: Eui, frame: Uint8Array): Promise<PortReply> {
    return this.#withPort(
      eui,
      (p, now) => p.send(client, frame, now),
      (r) => ({ client, accepted: r.accepted, ...(r.reason ? { reason: r.reason } : {}) }),
    );
  }
}

/** A consumer types a UTRN or configuration code on a simulated meter's keypad. */
export async function typeOnKeypad(world: SimulatedWorld, deps: ServiceDeps, eui: Eui, code: string): Promise<KeypadResult> {
  return deps.store.transaction(async (tx) => {
    const { device, fleetId } = await world.loadDevice(tx, eui);
    if (!(device instanceof Esme)) throw new ValidationError('eui', 'keypad', `${eui} is a ${device.model.type}; codes are typed on the electricity meter (or its PPMID)`);
    const now = deps.clock();
    const r = device.enterCode(code.replace(/[\s-]/g, ''), now);
    await tx.simulation.saveDeviceState(eui, fleetId, device.exportState(), now);
    await audit(tx, now, 'dcc-simulation', 'sim.keypad_entry', `device/${eui}`, { accepted: r.accepted, detail: r.detail });
    return r;
  });
}
