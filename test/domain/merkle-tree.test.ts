// The Merkle tree of RFC 9162 section 2.1 against two independent paths: the reference vectors
// of Certificate Transparency (the eight test leaves of RFC 6962's reference implementation, their
// roots, inclusion and consistency proofs, as published in google/certificate-transparency's test
// data), and the RFC's recursive definitions of MTH, PATH and PROOF computed here by brute force.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  consistencyRanges,
  EMPTY_ROOT,
  foldRange,
  inclusionRanges,
  leafHash,
  MerkleFrontier,
  rangeNodes,
  verifyConsistency,
  verifyInclusion,
} from '../../src/domain/merkle-tree.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (h: string) => Buffer.from(h, 'hex');
const sha = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex);
/** MTH(D[n]) for n = 0..8. */
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const INCLUSION: Array<[number, number, string[]]> = [
  [0, 1, []],
  [
    0,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    5,
    8,
    [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
];
const CONSISTENCY: Array<[number, number, string[]]> = [
  [1, 1, []],
  [
    1,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    6,
    8,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [2, 5, ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
  [
    6,
    7,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
];

// RFC 9162 section 2.1.1, 2.1.3.1 and 2.1.4.1, written as the RFC states them, over the data.
const k = (n: number) => 2 ** Math.ceil(Math.log2(n) - 1);
const mth = (d: Uint8Array[]): Buffer =>
  d.length === 0 ? sha() : d.length === 1 ? sha(Uint8Array.of(0), d[0]!) : sha(Uint8Array.of(1), mth(d.slice(0, k(d.length))), mth(d.slice(k(d.length))));
const pathOf = (m: number, d: Uint8Array[]): Buffer[] => {
  if (d.length <= 1) return [];
  const s = k(d.length);
  return m < s ? [...pathOf(m, d.slice(0, s)), mth(d.slice(s))] : [...pathOf(m - s, d.slice(s)), mth(d.slice(0, s))];
};
const subproof = (m: number, d: Uint8Array[], b: boolean): Buffer[] => {
  if (m === d.length) return b ? [] : [mth(d)];
  const s = k(d.length);
  return m <= s ? [...subproof(m, d.slice(0, s), b), mth(d.slice(s))] : [...subproof(m - s, d.slice(s), false), mth(d.slice(0, s))];
};

/** The tree's levels, built by the frontier, as a store would keep them. */
function built(data: Uint8Array[]) {
  const nodes = new Map<string, Uint8Array>();
  const f = new MerkleFrontier();
  data.forEach((d, i) => {
    const h = leafHash(d);
    nodes.set(`0/${i}`, h);
    for (const n of f.append(h)) nodes.set(`${n.level}/${n.idx}`, n.hash);
  });
  const range = ([a, b]: [number, number]) => foldRange(rangeNodes(a, b).map((c) => nodes.get(`${c.level}/${c.idx}`)!));
  return { f, range };
}

const data = (n: number) => Array.from({ length: n }, (_, i) => Buffer.from(`entry ${i}`));

describe('the RFC 9162 Merkle tree', () => {
  it('gives the published roots of every prefix of the reference leaves, and SHA-256 of nothing when empty', () => {
    assert.equal(hex(EMPTY_ROOT), ROOTS[0]);
    const f = new MerkleFrontier();
    assert.equal(hex(f.root()), ROOTS[0]);
    LEAVES.forEach((l, i) => {
      f.append(leafHash(l));
      assert.equal(hex(f.root()), ROOTS[i + 1], `size ${i + 1}`);
    });
    // The brute-force MTH agrees with the vectors, so it is a fair judge below.
    LEAVES.forEach((_, i) => assert.equal(hex(mth(LEAVES.slice(0, i + 1))), ROOTS[i + 1]));
  });

  it('makes the published inclusion paths, and they verify', () => {
    const { range } = built(LEAVES);
    for (const [m, n, want] of INCLUSION) {
      assert.deepEqual(
        inclusionRanges(m, n).map((r) => hex(range(r))),
        want,
        `PATH(${m}, D[${n}])`,
      );
      assert.equal(verifyInclusion(m, n, leafHash(LEAVES[m]!), want.map(unhex), unhex(ROOTS[n]!)), true, `${m} in ${n}`);
    }
  });

  it('makes the published consistency proofs, and they verify', () => {
    const { range } = built(LEAVES);
    for (const [m, n, want] of CONSISTENCY) {
      const got = m === n ? [] : consistencyRanges(m, n).map((r) => hex(range(r)));
      assert.deepEqual(got, want, `PROOF(${m}, D[${n}])`);
      assert.equal(verifyConsistency(m, n, want.map(unhex), unhex(ROOTS[m]!), unhex(ROOTS[n]!)), true, `${m} to ${n}`);
    }
  });

  it('agrees with the RFC definitions by brute force for every tree up to 40 leaves, and refuses what is wrong', () => {
    const d = data(40);
    const { range } = built(d);
    for (let n = 1; n <= 40; n++) {
      const root = mth(d.slice(0, n));
      assert.equal(hex(range([0, n])), hex(root), `MTH(D[${n}])`);
      for (let m = 0; m < n; m++) {
        const path = inclusionRanges(m, n).map(range);
        assert.deepEqual(path.map(hex), pathOf(m, d.slice(0, n)).map(hex), `PATH(${m}, D[${n}])`);
        const leaf = leafHash(d[m]!);
        assert.equal(verifyInclusion(m, n, leaf, path, root), true);
        assert.equal(verifyInclusion(m, n, leafHash(Buffer.from('forged')), path, root), false, 'another leaf');
        if (n > 1) assert.equal(verifyInclusion((m + 1) % n, n, leaf, path, root), false, 'another index');
        if (path.length > 0) {
          const bad = path.map((p, i) => (i === path.length - 1 ? sha(p) : p));
          assert.equal(verifyInclusion(m, n, leaf, bad, root), false, 'a changed path element');
          assert.equal(verifyInclusion(m, n, leaf, path.slice(1), root), false, 'a shortened path');
        }
      }
      for (let m = 1; m <= n; m++) {
        const proof = m === n ? [] : consistencyRanges(m, n).map(range);
        assert.deepEqual(proof.map(hex), subproof(m, d.slice(0, n), true).map(hex), `PROOF(${m}, D[${n}])`);
        const r1 = mth(d.slice(0, m));
        assert.equal(verifyConsistency(m, n, proof, r1, root), true, `${m} to ${n}`);
        if (m < n) {
          assert.equal(verifyConsistency(m, n, proof, sha(r1), root), false, 'another first root');
          assert.equal(verifyConsistency(m, n, proof, r1, sha(root)), false, 'another second root');
          assert.equal(verifyConsistency(m, n, [...proof.slice(0, -1), sha(proof.at(-1)!)], r1, root), false, 'a changed proof element');
          assert.equal(verifyConsistency(m, n, [], r1, root), false, 'an empty proof');
        }
      }
    }
    assert.equal(verifyInclusion(0, 0, leafHash(d[0]!), [], EMPTY_ROOT), false, 'no leaf is in the empty tree');
    assert.equal(verifyConsistency(0, 3, [], EMPTY_ROOT, mth(d.slice(0, 3))), false, 'the first tree has a leaf');
    assert.equal(verifyConsistency(4, 3, [], mth(d.slice(0, 4)), mth(d.slice(0, 3))), false, 'the first tree is not larger');
  });

  it('restarts from a frontier as a store or an anchor keeps it, and tells a wrong one', () => {
    const d = data(23);
    const { range } = built(d);
    const at = new MerkleFrontier(
      13,
      rangeNodes(0, 13).map((c) => range([c.idx * 2 ** c.level, (c.idx + 1) * 2 ** c.level])),
    );
    for (let i = 13; i < 23; i++) at.append(leafHash(d[i]!));
    assert.equal(hex(at.root()), hex(mth(d)));
    assert.deepEqual(
      rangeNodes(0, 13).map((c) => [c.level, c.idx]),
      [
        [3, 0],
        [2, 2],
        [0, 12],
      ],
    );
    assert.throws(() => new MerkleFrontier(13, []), /13 leaves has 3 complete subtrees/);
  });
});
