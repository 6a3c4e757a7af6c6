// The database's fully typed schema for Kysely: the row types, one file per concept under schema/, and DB, which names every table.
export type * from './schema/access-tables.ts';
export type * from './schema/device-tables.ts';
export type * from './schema/simulation-tables.ts';
export type * from './schema/audit-tables.ts';
export type * from './schema/obligation-tables.ts';
export type * from './schema/operation-tables.ts';
export type * from './schema/returns-tables.ts';
export type * from './schema/job-tables.ts';
export type * from './schema/notice-tables.ts';
export type { Timestamp } from './schema/timestamp.ts';
import type { ApiKeysTable, IdentityProvidersTable, OidcLoginsTable, PartiesTable, SessionsTable, SignInAttemptsTable, UsersTable } from './schema/access-tables.ts';
import type { AuditAnchorTable, AuditHeadsTable, AuditLeavesTable, AuditLogTable, AuditNodesTable, AuditPendingTable } from './schema/audit-tables.ts';
import type { DeviceEventsTable, DeviceRegistrationsTable, DevicesTable, InstallationsTable, MetaTable, PremisesTable, SchemaMigrationsTable } from './schema/device-tables.ts';
import type { CommandVolumeTable, JobsTable } from './schema/job-tables.ts';
import type { NoticeAttemptsTable, NoticeDeliveriesTable, NoticesTable, WebhookEndpointsTable } from './schema/notice-tables.ts';
import type {
  AnomalyAlertsTable,
  CommandRequestsTable,
  DutiesTable,
  ManufacturerArrangementsTable,
  VulnerabilitiesTable,
  VulnerabilityAwarenessTable,
} from './schema/obligation-tables.ts';
import type {
  DeviceAlertsTable,
  DuisRequestCountersTable,
  PremiseWanStatusTable,
  VendCountersTable,
  VendsTable,
  WanCoverageTable,
  WorkOrderCommandsTable,
  WorkOrdersTable,
} from './schema/operation-tables.ts';
import type { FacilitiesTable, RemovalNoticesTable, ReturnEventsTable, ReturnLinesTable, ReturnsTable } from './schema/returns-tables.ts';
import type { SimDeviceStateTable, SimFleetsTable } from './schema/simulation-tables.ts';

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
  vulnerability_awareness: VulnerabilityAwarenessTable;
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
  webhook_endpoints: WebhookEndpointsTable;
  notices: NoticesTable;
  notice_deliveries: NoticeDeliveriesTable;
  notice_attempts: NoticeAttemptsTable;
  command_volume: CommandVolumeTable;
}
