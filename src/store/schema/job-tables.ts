// Row types of the tables for command volumes and jobs (migrations/). Adapters map these to the domain's types.
import type { ColumnType } from 'kysely';
import type { Timestamp } from './timestamp.ts';

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
