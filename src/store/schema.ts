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
  /** JSON array of DCC User roles. */
  user_roles: ColumnType<string, string | undefined, string>;
  status: ColumnType<string, string | undefined, string>;
  suspended_reason: string | null;
  updated_at: Timestamp;
}

export interface ApiKeysTable {
  key_hash: string;
  id: string;
  party_id: string;
  /** The key's name (the person or system using it). */
  label: string;
  /** JSON array of person roles. */
  roles: ColumnType<string, string | undefined, string>;
  created_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
  revoked_reason: string | null;
  last_used_at: Timestamp | null;
  rotated_from: string | null;
}

export interface UsersTable {
  id: string;
  party_id: string;
  username: string;
  name: string;
  /** JSON array of person roles. */
  roles: string;
  status: string;
  password_hash: string;
  failed_attempts: number;
  locked_until: Timestamp | null;
  oidc_subject: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface IdentityProvidersTable {
  party_id: string;
  issuer: string;
  client_id: string;
  client_secret: string;
  updated_at: Timestamp;
}

export interface OidcLoginsTable {
  state_hash: string;
  party_id: string;
  code_verifier: string;
  nonce: string;
  redirect_uri: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  csrf_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  idle_expires_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface SignInAttemptsTable {
  id: Generated<number>;
  username: string;
  source: string;
  at: Timestamp;
  ok: boolean;
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

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_party_id: string;
  action: string;
  entity: string;
  details: string;
  /** The hash chain of entries written before migration 0009; null since. */
  prev_hash: string | null;
  hash: string | null;
}

export interface AuditPendingTable {
  entry_id: number;
}

export interface AuditLeavesTable {
  position: number;
  entry_id: number;
}

export interface AuditNodesTable {
  level: number;
  idx: number;
  hash: string;
}

export interface AuditHeadsTable {
  tree_size: number;
  root_hash: string;
  signed_at: Timestamp;
  key_id: string;
  signature: string;
}

export interface AuditAnchorTable {
  id: number;
  position: number;
  frontier: string;
  pruned_at: Timestamp;
  key_id: string;
  signature: string;
}

export interface VulnerabilitiesTable {
  id: string;
  title: string;
  manufacturer: string;
  models: string;
  firmware_versions: string;
  component: string;
  device_types: string;
  aware_party_id: string;
  aware_at: Timestamp;
  manufacturer_aware: boolean;
  description: string | null;
  recorded_at: Timestamp;
}

export interface ManufacturerArrangementsTable {
  party_id: string;
  manufacturer: string;
  established_at: Timestamp;
  g321_exemption: boolean;
}

export interface DutiesTable {
  id: string;
  vulnerability_id: string;
  party_id: string;
  duty: string;
  clause: string;
  device_count: number;
  state: string;
  deadline: Timestamp;
  evidence: string | null;
  exempt_reason: string | null;
  closed_by: string | null;
  closed_at: Timestamp | null;
  created_at: Timestamp;
}

export interface CommandRequestsTable {
  id: Generated<number>;
  party_id: string;
  requested_by: string;
  command_type: string;
  target: string;
  status: string;
  requested_at: Timestamp;
  released_by: string | null;
  released_at: Timestamp | null;
}

export interface AnomalyAlertsTable {
  id: Generated<number>;
  party_id: string;
  command_type: string;
  raised_at: Timestamp;
  due_by: Timestamp;
  window_count: number;
  limit_count: number;
  notified: string;
}

export interface VendCountersTable {
  supplier_party_id: string;
  device_eui: string;
  last_counter: string;
  last_command_counter: Generated<string>;
}

export interface DuisRequestCountersTable {
  originator_eui: string;
  last_counter: string;
}

export interface VendsTable {
  id: string;
  supplier_party_id: string;
  idempotency_key: string;
  device_eui: string;
  kind: string;
  request: string;
  counter: string;
  code: string;
  pence: number;
  requested_by: string;
  created_at: Timestamp;
}

export interface WanCoverageTable {
  postcode: string;
  coverage: string;
  anticipated_at: Timestamp | null;
  updated_at: Timestamp;
}

export interface PremiseWanStatusTable {
  premise_id: string;
  hub_wan: string;
  wan_lost_at: Timestamp | null;
  payment_mode: string;
  credit_pence: number | null;
  supply: string | null;
  status_at: Timestamp | null;
  updated_at: Timestamp;
}

export interface WorkOrdersTable {
  id: string;
  supplier_party_id: string;
  premise_id: string;
  state: string;
  created_by: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  pulled_by: string | null;
  pulled_at: Timestamp | null;
  closed_at: Timestamp | null;
}

export interface WorkOrderCommandsTable {
  order_id: string;
  seq: number;
  device_eui: string;
  use_case: string;
  variant: number;
  counter: string;
  frame: string;
  pence: number;
  state: string;
  response: string | null;
  response_kind: string | null;
  outcome: string | null;
  delivered_at: Timestamp | null;
  uploaded_at: Timestamp | null;
}

export interface DeviceAlertsTable {
  id: Generated<number>;
  device_eui: string;
  alert_code: number;
  counter: string;
  raised_at: Timestamp;
  frame: string;
  received_at: Timestamp;
}

export interface FacilitiesTable {
  id: string;
  party_id: string;
  name: string;
  secure: boolean;
  smets2_triage: boolean;
  created_at: Timestamp;
}

export interface ReturnsTable {
  id: string;
  party_id: string;
  reference: string | null;
  created_by: string;
  created_at: Timestamp;
}

export interface ReturnLinesTable {
  id: string;
  return_id: string;
  line_no: number;
  device_eui: string;
  device_type: string;
  manufacturer: string;
  model: string;
  smets_generation: string;
  reason: string;
  found: string;
  incident_id: string;
  change_of_supplier: boolean;
  returned_by: string;
  removed_from: string | null;
  removed_distributor: number | null;
  days_in_service: number | null;
  state: string;
  custodian_party_id: string;
  site: string;
  seals_intact: boolean;
  triage_count: ColumnType<number, number | undefined, number>;
  triage_parties: ColumnType<number, number | undefined, number>;
  last_triaged_in: ColumnType<number, number | undefined, number>;
  custody_pass: ColumnType<number, number | undefined, number>;
  outcome: string | null;
  fault: string | null;
  no_credential: string | null;
  vanilla: ColumnType<boolean, boolean | undefined, boolean>;
  grade: string | null;
  stock_location: string | null;
  scrap_reason: string | null;
  reinstalled_at: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ReturnEventsTable {
  id: Generated<number>;
  line_id: string;
  kind: string;
  party_id: string;
  at: Timestamp;
  /** jsonb: written as JSON text, read as the parsed value. */
  details: ColumnType<unknown, string, string>;
}

export interface RemovalNoticesTable {
  id: Generated<number>;
  premise_id: string;
  device_eui: string;
  distributor_id: number;
  dno_party_id: string | null;
  removed_by: string;
  removed_at: Timestamp;
}

export interface CommandVolumeTable {
  party_id: string;
  command_type: string;
  minute: Timestamp;
  n: number;
}

export interface JobsTable {
  id: string;
  name: string;
  party_id: string | null;
  parent_id: string | null;
  progress_done: ColumnType<number, number | undefined, number>;
  progress_total: number | null;
  committed_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DB {
  parties: PartiesTable;
  api_keys: ApiKeysTable;
  users: UsersTable;
  sessions: SessionsTable;
  sign_in_attempts: SignInAttemptsTable;
  identity_providers: IdentityProvidersTable;
  oidc_logins: OidcLoginsTable;
  premises: PremisesTable;
  devices: DevicesTable;
  installations: InstallationsTable;
  device_events: DeviceEventsTable;
  device_registrations: DeviceRegistrationsTable;
  meta: MetaTable;
  schema_migrations: SchemaMigrationsTable;
  sim_fleets: SimFleetsTable;
  sim_device_state: SimDeviceStateTable;
  audit_log: AuditLogTable;
  audit_anchor: AuditAnchorTable;
  audit_pending: AuditPendingTable;
  audit_leaves: AuditLeavesTable;
  audit_nodes: AuditNodesTable;
  audit_heads: AuditHeadsTable;
  vulnerabilities: VulnerabilitiesTable;
  manufacturer_arrangements: ManufacturerArrangementsTable;
  duties: DutiesTable;
  command_requests: CommandRequestsTable;
  anomaly_alerts: AnomalyAlertsTable;
  vend_counters: VendCountersTable;
  vends: VendsTable;
  duis_request_counters: DuisRequestCountersTable;
  wan_coverage: WanCoverageTable;
  premise_wan_status: PremiseWanStatusTable;
  work_orders: WorkOrdersTable;
  work_order_commands: WorkOrderCommandsTable;
  device_alerts: DeviceAlertsTable;
  facilities: FacilitiesTable;
  returns: ReturnsTable;
  return_lines: ReturnLinesTable;
  return_events: ReturnEventsTable;
  removal_notices: RemovalNoticesTable;
  jobs: JobsTable;
  command_volume: CommandVolumeTable;
}
