import type { Logger } from 'pino';
import { auditLeafBytes, leafHash, MerkleFrontier, rangeNodes, treeHeadBytes, type AuditKey, type SignedTreeHead } from '../domain/index.ts';
import type { StoreTx } from '../store/ports.ts';
import type { Store } from '../store/store.ts';

/** Leaves one sequencer transaction places at most (a meterops default). */
export const SEQUENCER_BATCH = 5_000;
/** How often the sequencer inside `serve` looks for pending entries, ms (a meterops default): well inside the 1 s bound. */
export const SEQUENCER_INTERVAL_MS = 200;

export interface SequencerRun {
  /** False when another process was sequencing (it held the lock): nothing was done here. */
  readonly leader: boolean;
  readonly integrated: number;
  /** The latest signed head after the run (null for a log with no leaves yet). */
  readonly head: SignedTreeHead | null;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (h: string) => Buffer.from(h, 'hex');

/** The tree as the latest head left it, checked against that head's root. */
export async function frontierAt(tx: StoreTx, head: SignedTreeHead | undefined): Promise<MerkleFrontier> {
  const size = head?.treeSize ?? 0;
  const coords = rangeNodes(0, size);
  const stored = await tx.audit.nodes(coords);
  const hashes = coords.map((c) => {
    const h = stored.get(`${c.level}/${c.idx}`);
    if (!h) throw new Error(`audit log: node ${c.level}/${c.idx} of the tree of ${size} leaves is missing; the sequencer will not extend it`);
    return bytes(h);
  });
  const frontier = new MerkleFrontier(size, hashes);
  if (head && hex(frontier.root()) !== head.rootHash)
    throw new Error(`audit log: the stored nodes do not give the signed root of the tree of ${size} leaves; the sequencer will not extend it`);
  return frontier;
}

export function signHead(key: AuditKey, treeSize: number, root: Uint8Array, timestamp: Date): SignedTreeHead {
  const rootHash = hex(root);
  return { treeSize, rootHash, timestamp, keyId: key.keyId, signature: Buffer.from(key.sign(treeHeadBytes({ treeSize, rootHash, timestamp }))).toString('base64') };
}

/**
 * Places up to `batch` pending entries (by id) after the last leaf, stores the nodes they complete
 * and signs the new tree head, in the caller's transaction, which must hold the sequencer's lock.
 */
export async function integratePending(tx: StoreTx, key: AuditKey, now: Date, batch = SEQUENCER_BATCH): Promise<SequencerRun> {
  const latest = await tx.audit.latestHead();
  const pending = await tx.audit.pendingBatch(batch);
  if (pending.length === 0) return { leader: true, integrated: 0, head: latest ?? null };
  const frontier = await frontierAt(tx, latest);
  const leaves: Array<{ position: number; entryId: number }> = [];
  const nodes: Array<{ level: number; idx: number; hash: string }> = [];
  for (const e of pending) {
    const position = frontier.size;
    const h = leafHash(auditLeafBytes(e));
    leaves.push({ position, entryId: e.id });
    nodes.push({ level: 0, idx: position, hash: hex(h) });
    for (const n of frontier.append(h)) nodes.push({ level: n.level, idx: n.idx, hash: hex(n.hash) });
  }
  await tx.audit.integrate(leaves, nodes);
  // A head is never older than the one before it, whatever the clock did.
  const at = latest && latest.timestamp > now ? latest.timestamp : now;
  const head = signHead(key, frontier.size, frontier.root(), at);
  await tx.audit.insertHead(head);
  return { leader: true, integrated: pending.length, head };
}

/**
 * One sequencer run, in its own transaction: if no other process is sequencing (the advisory
 * lock; on PGlite the one process), place pending entries and sign a head.
 */
export async function sequenceAudit(store: Store, key: AuditKey, clock: () => Date = () => new Date(), batch = SEQUENCER_BATCH): Promise<SequencerRun> {
  return store.transaction(async (tx) => {
    if (!(await tx.audit.tryLockSequencer())) return { leader: false, integrated: 0, head: null };
    return integratePending(tx, key, clock(), batch);
  });
}

/** Runs sequencer passes until nothing is pending (or another process leads); the leaves placed. */
export async function drainAudit(store: Store, key: AuditKey, clock: () => Date = () => new Date()): Promise<number> {
  let total = 0;
  for (;;) {
    const r = await sequenceAudit(store, key, clock);
    total += r.integrated;
    if (!r.leader || r.integrated < SEQUENCER_BATCH) return total;
  }
}

export interface RunningSequencer {
  /** Stops the loop and waits for a run in progress to end. */
  stop(): Promise<void>;
}

/** The sequencer inside `serve`: a pass every `intervalMs`, each draining what is pending. */
export function startSequencer(store: Store, key: AuditKey, log: Logger, intervalMs = SEQUENCER_INTERVAL_MS): RunningSequencer {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = drainAudit(store, key)
      .then((n) => {
        if (n > 0) log.debug({ integrated: n }, 'audit log: leaves placed and head signed');
      })
      .catch((err: unknown) => log.error({ err }, 'audit log: sequencer run failed; retrying'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
