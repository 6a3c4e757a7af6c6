// The store's ports for meterops' records of its jobs: plain domain types in and out; the Kysely adapters map rows.
import type { KeyedPage, PageRequest } from '../../domain/index.ts';

/** meterops' record of a job it enqueued (the queue's own state is the queue library's). */
export interface JobRecord {
  readonly id: string;
  readonly name: string;
  /** The party whose job it is (who may read its status); null for the platform's own. */
  readonly partyId: string | null;
  readonly parentId: string | null;
  readonly progressDone: number;
  readonly progressTotal: number | null;
  /** When the job's own transaction committed (jobs whose effects are one transaction). */
  readonly committedAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface JobRepository {
  /** The queue library's own parameterised statements, in this transaction. */
  executeSql(text: string, values?: readonly unknown[]): Promise<{ rows: unknown[] }>;
  insert(r: Pick<JobRecord, 'id' | 'name' | 'partyId' | 'parentId' | 'progressTotal' | 'createdAt'>): Promise<void>;
  get(id: string): Promise<JobRecord | undefined>;
  /** A party's jobs, newest first (keyset order: created_at, id, both descending). */
  page(partyId: string, page: PageRequest): Promise<KeyedPage<JobRecord>>;
  children(parentId: string): Promise<JobRecord[]>;
  setProgress(id: string, done: number, total: number | null, at: Date): Promise<void>;
  addProgress(id: string, done: number, at: Date): Promise<void>;
  /** Marks the job's transaction committed; false if it already was (the job ran before). */
  markCommitted(id: string, at: Date): Promise<boolean>;
}
