import { createHash } from 'node:crypto';

// The Merkle tree of Certificate Transparency (RFC 9162 section 2.1), SHA-256. Pure functions over
// bytes: anyone holding a proof and a signed tree head checks it with these and nothing else.

export type Hash = Uint8Array;

/** MTH({d}) = HASH(0x00 || d): a leaf (RFC 9162 section 2.1.1). */
export function leafHash(data: Uint8Array): Hash {
  return createHash('sha256').update(Uint8Array.of(0x00)).update(data).digest();
}

/** HASH(0x01 || left || right): an interior node (RFC 9162 section 2.1.1). */
export function nodeHash(left: Hash, right: Hash): Hash {
  return createHash('sha256').update(Uint8Array.of(0x01)).update(left).update(right).digest();
}

/** MTH({}) = HASH(): the empty tree. */
export const EMPTY_ROOT: Hash = createHash('sha256').digest();

const equal = (a: Hash, b: Hash) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The complete subtrees [idx * 2^level, (idx + 1) * 2^level) that make up the range
 * [start, end), left to right, largest first. For the ranges the RFC's recursions use (start a
 * multiple of a power of two at least end - start), folding their hashes from the right gives
 * MTH(D[start:end]).
 */
export function rangeNodes(start: number, end: number): Array<{ level: number; idx: number }> {
  const out: Array<{ level: number; idx: number }> = [];
  let at = start;
  while (at < end) {
    let level = 0;
    while (at % 2 ** (level + 1) === 0 && at + 2 ** (level + 1) <= end) level++;
    out.push({ level, idx: at / 2 ** level });
    at += 2 ** level;
  }
  return out;
}

/** Folds the hashes of rangeNodes(start, end), right to left, into MTH(D[start:end]). */
export function foldRange(hashes: readonly Hash[]): Hash {
  if (hashes.length === 0) return EMPTY_ROOT;
  let h = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) h = nodeHash(hashes[i]!, h);
  return h;
}

/**
 * The tree as it grows: the complete subtrees of [0, size) (its compact range), with the interior
 * nodes each append completes, so that a sequencer stores them and a verifier recomputes roots.
 */
export class MerkleFrontier {
  private readonly stack: Array<{ level: number; hash: Hash }>;
  size: number;

  /** From the hashes of rangeNodes(0, size), as a store or a retention anchor keeps them. */
  constructor(size = 0, hashes: readonly Hash[] = []) {
    const nodes = rangeNodes(0, size);
    if (nodes.length !== hashes.length) throw new Error(`a tree of ${size} leaves has ${nodes.length} complete subtrees, not ${hashes.length}`);
    this.stack = nodes.map((n, i) => ({ level: n.level, hash: hashes[i]! }));
    this.size = size;
  }

  /** Appends a leaf hash; returns the interior nodes this completes (level >= 1). */
  append(leaf: Hash): Array<{ level: number; idx: number; hash: Hash }> {
    const made: Array<{ level: number; idx: number; hash: Hash }> = [];
    let top = { level: 0, hash: leaf };
    const index = this.size;
    while (this.stack.length > 0 && this.stack[this.stack.length - 1]!.level === top.level) {
      const left = this.stack.pop()!;
      top = { level: top.level + 1, hash: nodeHash(left.hash, top.hash) };
      made.push({ level: top.level, idx: Math.floor(index / 2 ** top.level), hash: top.hash });
    }
    this.stack.push(top);
    this.size++;
    return made;
  }

  root(): Hash {
    return foldRange(this.stack.map((s) => s.hash));
  }

  /** The hashes of rangeNodes(0, size). */
  hashes(): Hash[] {
    return this.stack.map((s) => s.hash);
  }
}

function isPowerOfTwo(n: number): boolean {
  let p = 1;
  while (p < n) p *= 2;
  return p === n;
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The ranges whose MTH make up PATH(m, D[n]) (RFC 9162 section 2.1.3.1), leaf end first, as
 * absolute [start, end) over the tree.
 */
export function inclusionRanges(m: number, n: number, offset = 0): Array<[number, number]> {
  if (n <= 1) return [];
  const k = largestPowerOfTwoBelow(n);
  if (m < k) return [...inclusionRanges(m, k, offset), [offset + k, offset + n]];
  return [...inclusionRanges(m - k, n - k, offset + k), [offset, offset + k]];
}

/** The ranges whose MTH make up PROOF(m, D[n]) (RFC 9162 section 2.1.4.1), for 0 < m <= n. */
export function consistencyRanges(m: number, n: number): Array<[number, number]> {
  const sub = (m: number, n: number, b: boolean, offset: number): Array<[number, number]> => {
    if (m === n) return b ? [] : [[offset, offset + n]];
    const k = largestPowerOfTwoBelow(n);
    if (m <= k) return [...sub(m, k, b, offset), [offset + k, offset + n]];
    return [...sub(m - k, n - k, false, offset + k), [offset, offset + k]];
  };
  return sub(m, n, true, 0);
}

/**
 * RFC 9162 section 2.1.3.2: does `path` prove the leaf with hash `leaf` at `index` in the tree of
 * `size` leaves whose root is `root`?
 */
export function verifyInclusion(index: number, size: number, leaf: Hash, path: readonly Hash[], root: Hash): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(r, root);
}

/**
 * RFC 9162 section 2.1.4.2: does `proof` show that the tree of `first` leaves with root
 * `firstRoot` is a prefix of the tree of `second` leaves with root `secondRoot`? Equal sizes need
 * an empty proof and equal roots.
 */
export function verifyConsistency(first: number, second: number, proof: readonly Hash[], firstRoot: Hash, secondRoot: Hash): boolean {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 1 || first > second) return false;
  if (first === second) return proof.length === 0 && equal(firstRoot, secondRoot);
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return equal(fr, firstRoot) && equal(sr, secondRoot) && sn === 0;
}
