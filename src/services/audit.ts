import type { KeyObject } from 'node:crypto';
import {
  anchorBytes,
  auditLeafBytes,
  canonicalJson,
  canonicalText,
  ForbiddenError,
  keyIdOf,
  leafHash,
  MerkleFrontier,
  rangeNodes,
  signatureValid,
  treeHeadBytes,
  ValidationError,
  type Party,
  type SignedTreeHead,
} from '../domain/index.ts';
import type { StoreTx } from '../store/ports.ts';
import type { Store } from '../store/store.ts';
import { frontierAt, integratePending, SEQUENCER_BATCH } from './audit-sequencer.ts';
import type { ServiceDeps } from './deps.ts';

/**
 * Appends one entry to the audit log, in the caller's transaction, so the entry exists exactly
 * when the change it records does. No lock is shared with other writers: the entry is pending
 * until the sequencer gives it its place in the Merkle tree (within a second when `serve` runs).
 * Text is stored as it is hashed: RFC 8785 canonical JSON of NFC strings; a string that is not
 * well-formed Unicode or holds NUL is refused (a ValidationError), and the caller's change with it.
 */
export async function audit(tx: StoreTx, at: Date, actorPartyId: string, action: string, entity: string, details: Record<string, unknown> = {}): Promise<void> {
  await tx.audit.append({
    at,
    actorPartyId: canonicalText(actorPartyId, 'actor'),
    action: canonicalText(action, 'action'),
    entity: canonicalText(entity, 'entity'),
    details: canonicalJson(details),
  });
}

export interface AuditProblem {
  /** The entry concerned, where one is. */
  readonly id: number | null;
  /** The leaf position concerned, where one is. */
  readonly position: number | null;
  readonly reason: string;
}

export interface AuditVerification {
  /** Entries read: leaves checked and entries pending. */
  readonly entries: number;
  readonly integrated: number;
  /** Committed entries the sequencer has not placed yet: not a fault. */
  readonly pending: number;
  readonly oldestPending: Date | null;
  /** Signed tree heads checked. */
  readonly heads: number;
  /** The size of the latest signed head. */
  readonly treeSize: number;
  /** The first leaf retention kept (0 when nothing was pruned). */
  readonly retainedFrom: number;
  readonly valid: boolean;
  readonly firstBroken: AuditProblem | null;
  /** The first 100 problems found; problemCount says how many in all. */
  readonly problems: AuditProblem[];
  readonly problemCount: number;
}

const MAX_LISTED = 100;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (h: string) => Buffer.from(h, 'hex');

/**
 * Checks the whole log against the signed tree heads, with the trusted public keys only: every
 * leaf from the retention anchor on is recomputed from its entry and compared with its stored
 * hash, the tree is rebuilt and its root compared with every signed head (whose signature is
 * checked), the anchor's signature too. It never stops at a problem: each is listed. Entries not
 * yet placed are counted as pending, never as faults.
 */
export async function verifyAudit(store: Store, trusted: readonly KeyObject[], pageSize = 5_000): Promise<AuditVerification> {
  const problems: AuditProblem[] = [];
  let problemCount = 0;
  const add = (p: AuditProblem) => {
    problemCount++;
    if (problems.length < MAX_LISTED) problems.push(p);
  };
  const keys = new Map(trusted.map((k) => [keyIdOf(k), k]));
  const read = store.read.audit;
  // Only what the latest head covers: leaves, nodes and heads are written together, so all of it exists.
  const latest = await read.latestHead();
  const treeSize = latest?.treeSize ?? 0;

  const anchor = await read.anchor();
  let start = 0;
  let frontier: MerkleFrontier | null = new MerkleFrontier();
  if (anchor) {
    start = anchor.position;
    const key = keys.get(anchor.keyId);
    if (!key || !signatureValid(anchorBytes(anchor), anchor.signature, key))
      add({
        id: null,
        position: anchor.position,
        reason: `the retention anchor at leaf ${anchor.position} is not signed by a trusted key (entries may have been removed outside retention)`,
      });
    try {
      frontier = new MerkleFrontier(anchor.position, anchor.frontier.map(bytes));
    } catch (e) {
      frontier = null;
      add({ id: null, position: anchor.position, reason: `the retention anchor is malformed: ${(e as Error).message}` });
    }
  }

  let headsChecked = 0;
  let lastTime: Date | null = null;
  const checkHead = async (h: SignedTreeHead) => {
    headsChecked++;
    const key = keys.get(h.keyId);
    if (!key) add({ id: null, position: null, reason: `the tree head of size ${h.treeSize} is signed by key ${h.keyId}, which is not trusted` });
    else if (!signatureValid(treeHeadBytes(h), h.signature, key))
      add({ id: null, position: null, reason: `the signature of the tree head of size ${h.treeSize} is not valid (the head was changed)` });
    if (lastTime && h.timestamp < lastTime) add({ id: null, position: null, reason: `the tree head of size ${h.treeSize} is older than the head before it` });
    lastTime = h.timestamp;
    if (!frontier || h.treeSize < start) return;
    if (hex(frontier.root()) === h.rootHash) return;
    add({
      id: null,
      position: null,
      reason: `the leaves do not give the signed root of the tree of ${h.treeSize} leaves (a leaf before ${h.treeSize} was edited, removed or reordered)`,
    });
    // Carry on from the stored nodes where they still give the signed root, so later heads check later leaves.
    try {
      const stored = await store.transaction((tx) => frontierAt(tx, h));
      frontier = stored;
    } catch {
      /* the stored nodes do not give it either: later heads are compared with the leaves as they are */
    }
  };

  // Heads are read in pages beside the leaves, up to the latest head read above.
  let headPage: SignedTreeHead[] = [];
  let headAt = 0;
  let headsAfter = 0;
  const nextHead = async (): Promise<SignedTreeHead | undefined> => {
    if (headAt >= headPage.length) {
      headPage = headsAfter >= treeSize ? [] : (await read.heads(headsAfter, pageSize)).filter((h) => h.treeSize <= treeSize);
      headAt = 0;
      if (headPage.length === 0) return undefined;
      headsAfter = headPage[headPage.length - 1]!.treeSize;
    }
    return headPage[headAt];
  };
  // Heads older than the anchor can only have their signatures checked (their leaves are gone).
  for (let h = await nextHead(); h && h.treeSize <= start; h = await nextHead()) {
    await checkHead(h);
    headAt++;
  }

  let expected = start;
  let integrated = 0;
  const push = async (hash: Uint8Array) => {
    if (frontier) frontier.append(hash);
    expected++;
    for (let h = await nextHead(); h && h.treeSize === expected; h = await nextHead()) {
      await checkHead(h);
      headAt++;
    }
  };
  while (expected < treeSize) {
    const page = (await read.leaves(expected, Math.min(pageSize, treeSize - expected))).filter((l) => l.position < treeSize);
    if (page.length === 0) break;
    for (const leaf of page) {
      if (leaf.position !== expected) {
        // Positions with no leaf row: their stored hashes keep the tree checkable after them.
        const gap = Array.from({ length: leaf.position - expected }, (_, i) => ({ level: 0, idx: expected + i }));
        const stored = await read.nodes(gap);
        for (const g of gap) {
          add({ id: null, position: g.idx, reason: `leaf ${g.idx} is missing from the tree (a leaf was removed)` });
          await push(bytes(stored.get(`0/${g.idx}`) ?? '00'.repeat(32)));
        }
      }
      integrated++;
      let h: Uint8Array | null = null;
      if (!leaf.entry) add({ id: leaf.entryId, position: leaf.position, reason: `entry ${leaf.entryId} (leaf ${leaf.position}) is missing (it was deleted)` });
      else {
        try {
          h = leafHash(auditLeafBytes(leaf.entry));
        } catch (e) {
          add({ id: leaf.entryId, position: leaf.position, reason: `its contents are not in canonical form (the entry was edited): ${(e as Error).message}` });
        }
        if (h && leaf.hash !== hex(h)) {
          add({ id: leaf.entryId, position: leaf.position, reason: 'its contents do not match its hash (the entry was edited)' });
          h = null;
        }
      }
      await push(h ?? bytes(leaf.hash ?? '00'.repeat(32)));
    }
  }
  if (expected < treeSize) add({ id: null, position: expected, reason: `leaves ${expected} to ${treeSize - 1} are missing from the tree that the head of size ${treeSize} signs` });
  for (let h = await nextHead(); h; h = await nextHead()) {
    await checkHead(h);
    headAt++;
  }

  for (const id of await read.orphans(MAX_LISTED)) add({ id, position: null, reason: `entry ${id} is neither in the tree nor pending (its pending mark was removed)` });
  const pending = await read.pendingStats();
  return {
    entries: integrated + pending.count,
    integrated,
    pending: pending.count,
    oldestPending: pending.oldest,
    heads: headsChecked,
    treeSize,
    retainedFrom: start,
    valid: problemCount === 0,
    firstBroken: problems[0] ?? null,
    problems,
    problemCount,
  };
}

/**
 * Retention: removes the entries of the leading leaves older than `days`, and signs an anchor
 * holding their subtrees' hashes, so that what remains still verifies against every later head.
 * Pending entries are placed first; a leaf is removed only when every leaf before it is too.
 */
export async function pruneAudit(deps: ServiceDeps, actor: Party, days: number): Promise<number> {
  if (actor.role !== 'dcc') throw new ForbiddenError('audit-retention', 'only the DCC party applies audit retention');
  if (!Number.isInteger(days) || days < 1 || days > 36_500) throw new ValidationError('days', 'retention-days', 'retention is a whole number of days from 1 to 36500');
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    await tx.audit.lockSequencer();
    while ((await integratePending(tx, deps.auditKey, now)).integrated === SEQUENCER_BATCH);
    const head = await tx.audit.latestHead();
    const from = (await tx.audit.anchor())?.position ?? 0;
    let removed = 0;
    if (head) {
      const cut = (await tx.audit.firstLeafNotBefore(from, new Date(now.getTime() - days * 86_400_000))) ?? head.treeSize;
      if (cut > from) {
        removed = await tx.audit.removeEntries(from, cut);
        const coords = rangeNodes(0, cut);
        const nodes = await tx.audit.nodes(coords);
        const frontier = coords.map((c) => nodes.get(`${c.level}/${c.idx}`) ?? '');
        if (frontier.includes('')) throw new Error(`audit log: a node of the first ${cut} leaves is missing; retention cannot anchor`);
        const body = { position: cut, frontier, prunedAt: now };
        await tx.audit.setAnchor({ ...body, keyId: deps.auditKey.keyId, signature: Buffer.from(deps.auditKey.sign(anchorBytes(body))).toString('base64') });
      }
    }
    await audit(tx, now, actor.id, 'audit.pruned', `audit`, { days, removed });
    return removed;
  });
}
