// Row types of the tables for vends, DUIS counters, WAN coverage, work orders and device alerts (migrations/). Adapters map these to the domain's types.
import type { Generated } from 'kysely';
import type { Timestamp } from './timestamp.ts';

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
  assigned_to: string | null;
  assigned_at: Timestamp | null;
  assigned_by: string | null;
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
