import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConflictError, type Eui } from '../../src/domain/index.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { BACKENDS } from '../support/backends.ts';

const SUPPLIER = '90B3D51F30010000' as Eui;
const NETWORK_OPERATOR = '90B3D51F30020000' as Eui;

for (const backend of BACKENDS) {
  describe(`DUIS request counters on ${backend.name}`, { skip: backend.skip ?? false }, () => {
    let store: Store;
    before(async () => {
      store = await backend.open();
    });
    after(async () => store?.close());

    it('strictly increase per originator, each its own', async () => {
      assert.deepEqual(await store.transaction((tx) => tx.duisCounters.next(SUPPLIER, 3)), [1n, 2n, 3n]);
      assert.deepEqual(await store.transaction((tx) => tx.duisCounters.next(SUPPLIER, 1)), [4n]);
      assert.deepEqual(await store.transaction((tx) => tx.duisCounters.next(NETWORK_OPERATOR, 1)), [1n]);
    });

    it("a top-up claims its UTRN's counter, which must be above the last; counters go on from it", async () => {
      await store.transaction((tx) => tx.duisCounters.claim(SUPPLIER, 12884901888n));
      await assert.rejects(
        store.transaction((tx) => tx.duisCounters.claim(SUPPLIER, 12884901888n)),
        (e: unknown) => e instanceof ConflictError && e.rule === 'duis-counter-not-increasing' && /12884901888/.test(e.message),
      );
      assert.deepEqual(await store.transaction((tx) => tx.duisCounters.next(SUPPLIER, 1)), [12884901889n]);
    });

    it('concurrent senders never share a counter', async () => {
      const got = await Promise.all(Array.from({ length: 8 }, () => store.transaction((tx) => tx.duisCounters.next(NETWORK_OPERATOR, 2))));
      const all = got.flat().map(String);
      assert.equal(new Set(all).size, 16);
    });

    it('a rolled-back send gives its counter back to no one else: the next is above it only if it committed', async () => {
      const before = await store.read.duisCounters.last(NETWORK_OPERATOR);
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.duisCounters.next(NETWORK_OPERATOR, 1);
          throw new Error('send failed');
        }),
      );
      assert.equal(await store.read.duisCounters.last(NETWORK_OPERATOR), before);
    });

    it('the 2^64 limit is kept', async () => {
      await store.transaction((tx) => tx.duisCounters.claim('90B3D51F30030000' as Eui, (1n << 64n) - 1n));
      await assert.rejects(
        store.transaction((tx) => tx.duisCounters.next('90B3D51F30030000' as Eui, 1)),
        (e: unknown) => e instanceof ConflictError && e.rule === 'duis-counter-exhausted',
      );
      await assert.rejects(
        store.transaction((tx) => tx.duisCounters.claim(SUPPLIER, 1n << 64n)),
        (e: unknown) => e instanceof RangeError,
      );
    });
  });
}

describe('DUIS request counters across a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'duis-counters-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('are never reused after the process reopens its data directory', async () => {
    const first = (await openStore({ kind: 'pglite', dataDir: dir })).store;
    const a = await first.transaction((tx) => tx.duisCounters.next(SUPPLIER, 5));
    await first.close();
    const second = (await openStore({ kind: 'pglite', dataDir: dir })).store;
    const b = await second.transaction((tx) => tx.duisCounters.next(SUPPLIER, 1));
    await second.close();
    assert.deepEqual(a, [1n, 2n, 3n, 4n, 5n]);
    assert.deepEqual(b, [6n]);
  });
});
