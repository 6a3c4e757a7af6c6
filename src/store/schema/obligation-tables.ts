// Row types of the tables for vulnerabilities, arrangements, duties, held requests and anomaly alerts (migrations/). Adapters map these to the domain's types.
import type { Generated } from 'kysely';
import type { Timestamp } from './timestamp.ts';

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
  ssc_steps: string | null;
  steps_complete_by: Timestamp | null;
}

export interface VulnerabilityAwarenessTable {
  vulnerability_id: string;
  party_id: string;
  aware_at: Timestamp;
  basis: string;
  recorded_by: string;
  recorded_at: Timestamp;
  material: boolean | null;
  materiality_reason: string | null;
  judged_person: string | null;
  judged_at: Timestamp | null;
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
