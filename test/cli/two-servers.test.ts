// Two `meterops serve` processes on one PostgreSQL database: 400 vend requests over 100
// idempotency keys, sent to both at once, give exactly one UTRN per key across them, each
// device's counter rises by exactly 2^32 per code, and the two share one audit log that verifies
// (each process runs a sequencer; the advisory lock lets one at a time place entries).
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkConsistencyProof, type ConsistencyProofJson } from '../../src/domain/index.ts';
import { openStore } from '../../src/store/store.ts';
import { PG_URL } from '../support/backends.ts';
import { DCC_AUTH, freePort, freshPgDatabase, prepareVending, serve, SUPPLIER_AUTH, vendBody, type ServedProcess } from '../support/served-fleet.ts';
import { skipBecause } from '../support/skips.ts';

const STEP = 2n ** 32n;

describe('two server processes on one PostgreSQL', { skip: PG_URL ? false : skipBecause('postgres', 'two-process test skipped: set METEROPS_TEST_DATABASE_URL to run it') }, () => {
  it('vend one UTRN per idempotency key across both, raise counters by exactly 2^32 each, and keep one consistent log', async () => {
    const db = await freshPgDatabase(PG_URL!);
    // One data directory for both: it holds the audit log key they must share.
    const dir = mkdtempSync(join(tmpdir(), 'meterops-two-'));
    const servers: ServedProcess[] = [];
    try {
      const { store } = await openStore({ kind: 'postgres', url: db.url });
      let meters: string[];
      try {
        meters = await prepareVending(store, 20, 'two-servers');
      } finally {
        await store.close();
      }
      assert.ok(meters.length >= 3, `${meters.length} meters`);
      const flags = ['--database-url', db.url, '--data-dir', dir];
      servers.push(serve(await freePort(), flags), serve(await freePort(), flags));
      await Promise.all(servers.map((s) => s.ready));
      const [a, b] = servers as [ServedProcess, ServedProcess];

      const KEYS = 100;
      const deviceOf = (k: number) => meters[k % meters.length]!;
      const requests = Array.from({ length: 4 * KEYS }, (_, i) => ({ key: `two-${i % KEYS}`, device: deviceOf(i % KEYS), server: i % 2 === 0 ? a : b }));
      const answers: Array<{ key: string; status: number; code: string; counter: string }> = [];
      for (let i = 0; i < requests.length; i += 50) {
        answers.push(
          ...(await Promise.all(
            requests.slice(i, i + 50).map(async (r) => {
              const res = await fetch(`${r.server.base}/v1/vends`, {
                method: 'POST',
                headers: { ...SUPPLIER_AUTH, 'content-type': 'application/json', 'idempotency-key': r.key },
                body: vendBody(r.device),
              });
              const body = (await res.json()) as { code: string; counter: string; detail?: string };
              assert.ok(res.status === 201 || res.status === 200, `${r.key}: ${res.status} ${body.detail}`);
              return { key: r.key, status: res.status, code: body.code, counter: body.counter };
            }),
          )),
        );
      }
      const byKey = new Map<string, typeof answers>();
      for (const x of answers) byKey.set(x.key, [...(byKey.get(x.key) ?? []), x]);
      assert.equal(byKey.size, KEYS);
      for (const [key, xs] of byKey) {
        assert.equal(new Set(xs.map((x) => x.code)).size, 1, `one UTRN for ${key}`);
        assert.equal(xs.filter((x) => x.status === 201).length, 1, `one vend created for ${key}`);
      }
      // Per device: the counters of its codes, in order, each exactly 2^32 above the one before.
      for (const device of new Set(requests.map((r) => r.device))) {
        const counters = [...byKey.entries()]
          .filter(([key]) => deviceOf(Number(key.slice(4))) === device)
          .map(([, xs]) => BigInt(xs[0]!.counter))
          .sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
        for (let i = 1; i < counters.length; i++) assert.equal(counters[i]! - counters[i - 1]!, STEP, `${device}: counter ${i}`);
      }

      // One log: both processes see it whole and valid once the sequencers have placed everything.
      let va: { valid: boolean; pending: number; treeSize: number; integrated: number; problems: unknown[] } | undefined;
      for (let i = 0; i < 100; i++) {
        va = (await (await fetch(`${a.base}/v1/audit/verify`, { headers: DCC_AUTH })).json()) as typeof va;
        // Its own request's key use may be the one entry not yet placed.
        if (va!.pending <= 1) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      let vb: NonNullable<typeof va> | undefined;
      for (let i = 0; i < 100; i++) {
        vb = (await (await fetch(`${b.base}/v1/audit/verify`, { headers: DCC_AUTH })).json()) as NonNullable<typeof va>;
        if (vb.pending <= 1) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(va!.valid, true, JSON.stringify(va!.problems));
      assert.ok(va!.pending <= 1, `${va!.pending} pending`);
      // Every request is an entry too (its key's use), so the tree may grow between two reads.
      assert.equal(vb!.valid, true, JSON.stringify(vb!.problems));
      assert.ok(vb!.pending <= 1, `${vb!.pending} pending`);
      assert.ok(vb!.treeSize >= va!.treeSize, `${vb!.treeSize} >= ${va!.treeSize}`);
      const ha = (await (await fetch(`${a.base}/v1/audit/heads/latest`, { headers: DCC_AUTH })).json()) as { treeSize: number };
      const fromB = (await (await fetch(`${b.base}/v1/audit/consistency?first=${ha.treeSize}`, { headers: DCC_AUTH })).json()) as ConsistencyProofJson;
      assert.deepEqual(fromB.first, ha, "one log: the process that did not sign A's head serves it, byte for byte");
      const { publicKey } = (await (await fetch(`${b.base}/v1/audit/key`, { headers: DCC_AUTH })).json()) as { publicKey: string };
      assert.equal(checkConsistencyProof(fromB, createPublicKey(publicKey)).valid, true);
      // Every vend is one leaf: the fixture's entries and then the 100 vends.
      const check = await openStore({ kind: 'postgres', url: db.url });
      try {
        const vendEntries = (await check.store.read.audit.page(0, 10_000)).filter((e) => e.action.startsWith('vend'));
        assert.equal(vendEntries.length, KEYS);
        for (const e of vendEntries) assert.notEqual(await check.store.read.audit.positionOf(e.id), undefined);
      } finally {
        await check.store.close();
      }
      for (const s of servers) assert.equal(await s.stop(), 0, s.output());
    } finally {
      for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      await db.drop();
    }
  });
});
