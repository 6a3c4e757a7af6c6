// Row types of the tables for the audit Merkle log (migrations/). Adapters map these to the domain's types.
import type { Generated } from 'kysely';
import type { Timestamp } from './timestamp.ts';

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
