// The store's ports for the simulated fleets' records: plain domain types in and out; the Kysely adapters map rows.
import type { Eui } from '../../domain/index.ts';

/** The rates a fleet was generated with, where not the simulation's defaults. */
export interface SimFleetRates {
  readonly noWanRate?: number;
  readonly intermittentWanRate?: number;
  readonly prepaymentRate?: number;
  readonly gasRate?: number;
}

export interface SimFleetRecord {
  readonly id: string;
  readonly seed: string;
  readonly premises: number;
  readonly rates: SimFleetRates;
}

/** Simulated fleets and the saved state of their devices. */
export interface SimulationRepository {
  insertFleet(f: SimFleetRecord): Promise<void>;
  fleet(id: string): Promise<SimFleetRecord | undefined>;
  fleets(): Promise<SimFleetRecord[]>;
  deviceState(eui: Eui): Promise<unknown | undefined>;
  saveDeviceState(eui: Eui, fleetId: string, state: unknown, at: Date): Promise<void>;
  deviceStates(euis: readonly Eui[]): Promise<Map<Eui, unknown>>;
  saveDeviceStates(rows: ReadonlyArray<{ eui: Eui; state: unknown }>, fleetId: string, at: Date): Promise<void>;
}
