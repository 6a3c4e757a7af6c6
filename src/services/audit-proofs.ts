import {
  ConflictError,
  consistencyRanges,
  foldRange,
  inclusionRanges,
  NotFoundError,
  rangeNodes,
  ValidationError,
  type AuditEntry,
  type ConsistencyProofJson,
  type InclusionProofJson,
  type Party,
  type SignedTreeHead,
  type TreeHeadJson,
} from '../domain/index.ts';
import type { AuditRepository } from '../store/ports.ts';
import type { ServiceDeps } from './deps.ts';

export const headJson = (h: SignedTreeHead): TreeHeadJson => ({
  treeSize: h.treeSize,
  rootHash: h.rootHash,
  timestamp: h.timestamp.toISOString(),
  keyId: h.keyId,
  signature: h.signature,
});

/** MTH of each range, from the stored complete subtrees (one read). */
async function rangeHashes(audit: AuditRepository, ranges: ReadonlyArray<[number, number]>): Promise<string[]> {
  const parts = ranges.map(([a, b]) => rangeNodes(a, b));
  const nodes = await audit.nodes(parts.flat());
  return parts.map((coords) =>
    Buffer.from(
      foldRange(
        coords.map((c) => {
          const h = nodes.get(`${c.level}/${c.idx}`);
          if (!h) throw new Error(`audit log: node ${c.level}/${c.idx} is missing`);
          return Buffer.from(h, 'hex');
        }),
      ),
    ).toString('hex'),
  );
}

function treeSizeOf(v: number | undefined, field: string): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isSafeInteger(v) || v < 1) throw new ValidationError(field, 'tree-size', `${field} is a tree size: a whole number from 1`);
  return v;
}

async function signedHead(deps: ServiceDeps, size: number | undefined, field: string): Promise<SignedTreeHead> {
  const h = size === undefined ? await deps.store.read.audit.latestHead() : await deps.store.read.audit.head(size);
  if (!h) throw new NotFoundError('signed tree head', size === undefined ? 'latest' : `of size ${size}`, field);
  return h;
}

/** The entries a party may see (its own acts; the DCC all), by id, keyset-paginated, with their leaf positions. */
export async function listAuditEntries(deps: ServiceDeps, party: Party, opts: { after?: number; limit: number }): Promise<Array<{ entry: AuditEntry; leafIndex: number | null }>> {
  const audit = deps.store.read.audit;
  const entries = await audit.page(opts.after ?? 0, opts.limit, party.role === 'dcc' ? undefined : party.id);
  return Promise.all(entries.map(async (entry) => ({ entry, leafIndex: (await audit.positionOf(entry.id)) ?? null })));
}

/** The latest signed tree head: any party may have it (it reveals no entry). */
export async function latestTreeHead(deps: ServiceDeps): Promise<TreeHeadJson> {
  return headJson(await signedHead(deps, undefined, 'treeSize'));
}

/**
 * An inclusion proof (RFC 9162 section 2.1.3) for an entry the party may see (its own acts; the
 * DCC sees all), in the latest signed tree or the one of `treeSize` leaves. The proof holds hashes
 * only: checking it shows nothing of other parties' entries.
 */
export async function auditInclusionProof(deps: ServiceDeps, party: Party, entryId: number, treeSize?: number): Promise<InclusionProofJson> {
  if (!Number.isSafeInteger(entryId) || entryId < 1) throw new ValidationError('entryId', 'audit-entry-id', 'an audit entry id is a whole number from 1');
  const size = treeSizeOf(treeSize, 'treeSize');
  const audit = deps.store.read.audit;
  const entry = await audit.entry(entryId);
  // An entry the party may not see is "not found", so its existence is not revealed either.
  if (!entry || (party.role !== 'dcc' && entry.actorPartyId !== party.id)) throw new NotFoundError('audit entry', String(entryId), 'entryId');
  const position = await audit.positionOf(entryId);
  if (position === undefined)
    throw new ConflictError('audit-entry-pending', `audit entry ${entryId} is not in the tree yet: the sequencer places entries within a second, ask again`, 'entryId');
  const head = await signedHead(deps, size, 'treeSize');
  if (position >= head.treeSize) throw new ValidationError('treeSize', 'tree-size', `audit entry ${entryId} is leaf ${position}, after the tree of ${head.treeSize} leaves`);
  const path = await rangeHashes(audit, inclusionRanges(position, head.treeSize));
  return {
    entry: { id: entry.id, at: entry.at.toISOString(), actorPartyId: entry.actorPartyId, action: entry.action, entity: entry.entity, details: entry.details },
    leafIndex: position,
    path,
    head: headJson(head),
  };
}

/** A consistency proof (RFC 9162 section 2.1.4) between two signed heads; the second defaults to the latest. */
export async function auditConsistencyProof(deps: ServiceDeps, first: number, second?: number): Promise<ConsistencyProofJson> {
  const a = treeSizeOf(first, 'first')!;
  const b = treeSizeOf(second, 'second');
  const h1 = await signedHead(deps, a, 'first');
  const h2 = await signedHead(deps, b, 'second');
  if (h2.treeSize < h1.treeSize) throw new ValidationError('second', 'tree-size', `the second tree (${h2.treeSize} leaves) is smaller than the first (${h1.treeSize})`);
  const path = h1.treeSize === h2.treeSize ? [] : await rangeHashes(deps.store.read.audit, consistencyRanges(h1.treeSize, h2.treeSize));
  return { first: headJson(h1), second: headJson(h2), path };
}
