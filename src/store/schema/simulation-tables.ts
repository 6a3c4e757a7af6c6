// Row types of the tables for the simulated fleets (migrations/). Adapters map these to the domain's types.
import type { ColumnType } from 'kysely';
import type { Timestamp } from './timestamp.ts';

export interface SimFleetsTable {
  id: string;
  seed: string;
  premises: number;
  no_wan_rate: number | null;
  intermittent_wan_rate: number | null;
  prepayment_rate: number | null;
  gas_rate: number | null;
  created_at: Timestamp;
}

export interface SimDeviceStateTable {
  eui: string;
  fleet_id: string;
  state: ColumnType<unknown, string, string>;
  updated_at: Timestamp;
}
