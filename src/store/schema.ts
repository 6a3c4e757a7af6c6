import type { ColumnType, Generated } from 'kysely';

/** Row types of the tables in migrations/. Adapters map these to the domain's types. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface PartiesTable {
  id: string;
  name: string;
  role: string;
  eui: string | null;
  distributor_id: number | null;
  created_at: Timestamp;
}

export interface ApiKeysTable {
  key_hash: string;
  party_id: string;
  label: string;
  created_at: Timestamp;
}

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

export interface SimFleetsTable {
  id: string;
  seed: string;
  premises: number;
  created_at: Timestamp;
}

export interface SimDeviceStateTable {
  eui: string;
  fleet_id: string;
  state: ColumnType<unknown, string, string>;
  updated_at: Timestamp;
}

export interface DB {
  parties: PartiesTable;
  api_keys: ApiKeysTable;
  premises: PremisesTable;
  devices: DevicesTable;
  installations: InstallationsTable;
  device_events: DeviceEventsTable;
  device_registrations: DeviceRegistrationsTable;
  meta: MetaTable;
  schema_migrations: SchemaMigrationsTable;
  sim_fleets: SimFleetsTable;
  sim_device_state: SimDeviceStateTable;
}
