// Row types of the notice tables (migrations/0020_notices.sql). Adapters map these to the domain's types.
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from './timestamp.ts';

export interface WebhookEndpointsTable {
  id: string;
  party_id: string;
  url: string;
  event_types: ColumnType<unknown, string, string>;
  secret_sealed: string;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface NoticesTable {
  id: string;
  event_type: string;
  party_id: string;
  data: ColumnType<unknown, string, string>;
  created_at: Timestamp;
}

export interface NoticeDeliveriesTable {
  id: Generated<number>;
  notice_id: string;
  endpoint_id: string;
  party_id: string;
  state: string;
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: number;
  next_attempt_at: Timestamp | null;
  job_id: string | null;
  delivered_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface NoticeAttemptsTable {
  id: Generated<number>;
  delivery_id: number;
  attempt: number;
  at: Timestamp;
  status_code: number | null;
  error: string | null;
  latency_ms: number;
  replay: ColumnType<boolean, boolean | undefined, boolean>;
}
