import type { Eui } from '../../domain/index.ts';
import type { StoreTx } from '../../store/ports.ts';

/** A device's answer to one frame, as it came back over whatever route carried it. */
export interface DeviceAnswer {
  readonly accepted: boolean;
  /** The use case the device executed (accepted), if it says. */
  readonly useCase: string | null;
  /** The device's response frame; a refused top-up may still carry one. */
  readonly response: Uint8Array | null;
  /** The device's signed alert when it refused, where it could send one. */
  readonly alert: Uint8Array | null;
  /** The device's refusal reason and detail (refused). */
  readonly reason: string | null;
  readonly detail: string | null;
}

/**
 * Deliveries to devices inside one use case's transaction. `close` records what they changed (a
 * simulated device's state, a DCC adapter's request counters) in that same transaction.
 */
export interface DeviceSession {
  deliver(device: Eui, frame: Uint8Array, at: Date): Promise<DeviceAnswer>;
  close(at: Date): Promise<void>;
}

/**
 * How the platform reaches installed devices: through the DCC (DUIS service requests turned into
 * GBCS), or, in the simulated world, straight to the simulated device. The use cases build and
 * sign the frames; the gateway only carries them and brings back what the device said.
 */
export interface DeviceGateway {
  /** Whether this gateway can reach the device at all. */
  reaches(tx: StoreTx, device: Eui): Promise<boolean>;
  /** A session over these devices (a batch opens many at once). */
  open(tx: StoreTx, devices: readonly Eui[]): Promise<DeviceSession>;
}
