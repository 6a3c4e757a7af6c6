import type { Eui } from '../../domain/eui.ts';
import { toHex } from '../../gbcs/byte-reader.ts';
import { GbcsDecodeError } from '../../gbcs/gbcs-error.ts';
import { pairingSignatureValid, readPairing } from '../../gbcs/pairing-authorisation.ts';
import { JOIN_WINDOW_MINUTES } from './comms-hub.ts';
import { faultOf, type FaultDiagnosis } from './faults.ts';
import type { SimulatedDevice } from './simulated-device.ts';

import type { PortReply } from '../../domain/port-reply.ts';
export type { PortReply } from '../../domain/port-reply.ts';

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
    readonly code: 'JOIN_WINDOW_CLOSED' | 'NOT_PAIRED' | 'DEVICE_FAULT' | 'PAIRING_REFUSED',
    message: string,
  ) {
    super(message);
  }
}

/**
 * A device's local port ("a local means of connecting the device", or the HAN join, as an HHT or a
 * triage bench uses it offline):
 * the join window is opened at the device (a button press), a client pairs inside its 60 minutes,
 * then sends frames and reads responses and diagnostics. A device with a HAN interface fault
 * cannot be reached this way.
 */
/** The port's memory between visits: when the join window opened and who paired. */
export interface PortSession {
  windowOpenedAt: number | null;
  readonly paired: Set<Eui>;
}

export class LocalPort {
  readonly session: PortSession;

  constructor(
    readonly device: SimulatedDevice,
    private readonly fleetSeed: string,
    /** An installed device pairs only with a signed pairing (a triage bench's device is in the lab). */
    private readonly opts: { requirePairingAuthorisation?: boolean; session?: PortSession; returnedFault?: boolean } = {},
  ) {
    this.session = opts.session ?? { windowOpenedAt: null, paired: new Set() };
  }

  get diagnosis(): FaultDiagnosis {
    return faultOf(this.fleetSeed, this.device.eui, this.device.model);
  }

  openJoinWindow(now: Date): void {
    this.session.windowOpenedAt = now.getTime();
  }

  pair(client: Eui, now: Date, authorisation?: Uint8Array): void {
    // The fault a device would show if returned (faults.ts) applies on the bench; an installed device's port works.
    if (this.opts.returnedFault !== false && this.diagnosis.fault === 'smhan-interface-fault')
      throw new LocalPortError('DEVICE_FAULT', `${this.device.eui} does not answer on its local interface`);
    if (this.session.windowOpenedAt === null || now.getTime() - this.session.windowOpenedAt >= JOIN_WINDOW_MINUTES * 60_000) {
      throw new LocalPortError('JOIN_WINDOW_CLOSED', `pair within ${JOIN_WINDOW_MINUTES} minutes of opening the join window on ${this.device.eui}`);
    }
    if (authorisation || this.opts.requirePairingAuthorisation) this.#checkPairing(client, now, authorisation);
    this.session.paired.add(client);
  }

  #checkPairing(client: Eui, now: Date, bytes: Uint8Array | undefined): void {
    const refuse = (why: string) => new LocalPortError('PAIRING_REFUSED', `${this.device.eui} refuses to pair with ${client}: ${why}`);
    if (!bytes) throw refuse('no signed pairing authorisation');
    let p;
    try {
      p = readPairing(bytes);
    } catch (e) {
      if (e instanceof GbcsDecodeError) throw refuse(e.reason);
      throw e;
    }
    if (p.hht !== client) throw refuse(`the authorisation is for ${p.hht}`);
    if (p.device !== this.device.eui) throw refuse(`the authorisation is for device ${p.device}`);
    if (p.notAfter.getTime() < now.getTime()) throw refuse(`the authorisation expired at ${p.notAfter.toISOString()}`);
    const anchors = this.device.anchors;
    const cell = anchors
      .rolesOf(p.signer)
      .map((r) => anchors.get(r, 'ds'))
      .find((c) => c?.partyEui === p.signer);
    if (!cell) throw refuse(`${p.signer} holds no DS cell on this device`);
    if (!pairingSignatureValid(p, cell.publicKey)) throw refuse('the signature does not verify');
  }

  send(client: Eui, frame: Uint8Array, now: Date): PortReply {
    if (!this.session.paired.has(client)) throw new LocalPortError('NOT_PAIRED', `${client} has not paired with ${this.device.eui}`);
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
