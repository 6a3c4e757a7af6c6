// The store's ports for the audit Merkle log: plain domain types in and out; the Kysely adapters map rows.
import type { AuditEntry, RetentionAnchor, SignedTreeHead } from '../../domain/index.ts';

/** A leaf of the audit log as stored: its position, its entry (null if the row is gone) and its stored hash. */
export interface StoredLeaf {
  readonly position: number;
  readonly entryId: number;
  readonly entry: AuditEntry | null;
  /** The level-0 node, hex (null if missing). */
  readonly hash: string | null;
}

/** The audit Merkle log: entries, the pending queue, the tree's nodes, signed heads, the retention anchor. */
export interface AuditRepository {
  /** Inserts an entry and marks it pending, in one statement and no lock shared with other writers; its id. */
  append(e: Omit<AuditEntry, 'id'>): Promise<number>;
  /** Entries by id, after `afterId`; only those `actorPartyId` acted in, when given. */
  page(afterId: number, limit: number, actorPartyId?: string): Promise<AuditEntry[]>;
  entry(id: number): Promise<AuditEntry | undefined>;
  /** The sequencer's advisory lock for the rest of the transaction: false if another sequencer holds it. */
  tryLockSequencer(): Promise<boolean>;
  /** Waits for the sequencer's lock (retention). */
  lockSequencer(): Promise<void>;
  /** Committed entries not yet in the tree, by id. */
  pendingBatch(limit: number): Promise<AuditEntry[]>;
  pendingStats(): Promise<{ count: number; oldest: Date | null }>;
  /** Node hashes (hex) by `level/idx`; absent ones are left out. */
  nodes(coords: ReadonlyArray<{ level: number; idx: number }>): Promise<Map<string, string>>;
  /** Places entries at positions, stores the nodes they complete, and clears their pending marks. */
  integrate(leaves: ReadonlyArray<{ position: number; entryId: number }>, nodes: ReadonlyArray<{ level: number; idx: number; hash: string }>): Promise<void>;
  insertHead(h: SignedTreeHead): Promise<void>;
  latestHead(): Promise<SignedTreeHead | undefined>;
  head(treeSize: number): Promise<SignedTreeHead | undefined>;
  /** Heads with tree size above `afterSize`, smallest first. */
  heads(afterSize: number, limit: number): Promise<SignedTreeHead[]>;
  positionOf(entryId: number): Promise<number | undefined>;
  /** Leaves from `fromPosition` on, by position, with their entries and stored hashes. */
  leaves(fromPosition: number, limit: number): Promise<StoredLeaf[]>;
  /** Entries that are neither leaves nor pending (a pending mark removed behind the sequencer's back). */
  orphans(limit: number): Promise<number[]>;
  anchor(): Promise<RetentionAnchor | null>;
  setAnchor(a: RetentionAnchor): Promise<void>;
  /** The first leaf at or after `from` whose entry is not older than `before`, or null. */
  firstLeafNotBefore(from: number, before: Date): Promise<number | null>;
  /** Retention: removes the entries of leaves [from, to); the leaves' hashes stay. */
  removeEntries(from: number, to: number): Promise<number>;
}
