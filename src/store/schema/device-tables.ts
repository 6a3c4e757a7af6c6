// Row types of the tables for premises, devices, registrations, installations, events, meta and migrations (migrations/). Adapters map these to the domain's types.
import type { Generated } from 'kysely';
import type { Timestamp } from './timestamp.ts';

export interface PremisesTable {
  id: string;
  mpan: string | null;
  mprn: string | null;
  postcode: string;
  distributor_id: number | null;
  supplier_party_id: string | null;
  created_at: Timestamp;
}

export interface DevicesTable {
  eui: string;
  device_type: string;
  smets_generation: string;
  manufacturer: string;
  model: string;
  firmware_version: string;
  inventory_status: string;
  asset_status: string;
  owner_party_id: string | null;
  supplier_party_id: string | null;
  custodian_party_id: string | null;
  premise_id: string | null;
  registration_id: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DeviceRegistrationsTable {
  id: Generated<number>;
  actor_party_id: string;
  registered_at: Timestamp;
  device_count: number;
  source: string | null;
}

export interface InstallationsTable {
  device_eui: string;
  premise_id: string;
  hub_eui: string | null;
  installed_at: Timestamp;
}

export interface DeviceEventsTable {
  id: Generated<number>;
  device_eui: string;
  lifecycle: string;
  from_status: string | null;
  to_status: string;
  actor_party_id: string;
  occurred_at: Timestamp;
  recorded_at: Timestamp;
  location: string | null;
  reason: string | null;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface SchemaMigrationsTable {
  version: string;
  name: string;
  checksum: string;
  applied_at: Timestamp;
}
