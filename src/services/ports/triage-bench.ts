import type { BenchPlan, BenchResult, Eui } from '../../domain/index.ts';
import type { StoreTx } from '../../store/ports.ts';
import type { DeviceSession } from './device-gateway.ts';

/**
 * Devices on a triage bench at a facility, offline: the plan's steps run over the device's local
 * connection; frames (a DCC-MACed CS02a, a Recovery CS02b) are delivered over it; the
 * manufacturer's tool factory resets it.
 */
export interface BenchSession extends DeviceSession {
  runPlan(device: Eui, plan: BenchPlan): Promise<BenchResult>;
  /** Whether the device's model can be factory reset at all (some cannot: they are scrapped). */
  resettable(device: Eui): Promise<boolean>;
  /** The manufacturer's factory reset; refused by throwing for a model that cannot be reset. */
  factoryReset(device: Eui, at: Date): Promise<void>;
}

export interface TriageBench {
  /** Whether meterops has a bench connection to this device. */
  connected(tx: StoreTx, device: Eui): Promise<boolean>;
  open(tx: StoreTx, devices: readonly Eui[]): Promise<BenchSession>;
}
