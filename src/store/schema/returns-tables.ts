// Row types of the tables for facilities, returns and removal notices (migrations/). Adapters map these to the domain's types.
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from './timestamp.ts';

export interface FacilitiesTable {
  id: string;
  party_id: string;
  name: string;
  secure: boolean;
  smets2_triage: boolean;
  created_at: Timestamp;
  secure_granted_by: string | null;
  secure_granted_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  secure_grant_basis: string | null;
  secure_revoked_by: string | null;
  secure_revoked_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  secure_revoke_reason: string | null;
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
