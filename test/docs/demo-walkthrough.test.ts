import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Fleet } from '../../src/world/devices/fleet.ts';
import { DEMO_FLEET, demoIds } from '../../src/world/seed-demo.ts';
import { freePort, REPO, shellBlocks } from '../support/docs-runner.ts';

/**
 * docs/demo.md is the contract of `npm start`: a fresh data directory, the server with its demo,
 * and every shell block of the walkthrough run as written, in order, by bash with -e and pipefail
 * (the only change: the server's port, which the test picks). A block that fails fails the test
 * with its line and output. The blocks run in a scratch folder where `npx meterops` is this checkout.
 */
describe('docs/demo.md, run as written against a fresh demo', () => {
  it('the walkthrough names the IDs the demo fleet has', () => {
    const doc = readFileSync('docs/demo.md', 'utf8');
    const ids = demoIds();
    for (const id of [ids.vendEsme, ids.noWan[0]!.premiseId, ids.noWan[0]!.esme, ids.returnEsme, ids.reinstallPremiseId, ids.meter.model]) {
      assert.ok(doc.includes(id), `docs/demo.md names ${id}`);
    }
  });

  it('every shell block succeeds', { timeout: 600_000 }, async () => {
    const data = mkdtempSync(join(tmpdir(), 'meterops-demo-'));
    const work = mkdtempSync(join(tmpdir(), 'meterops-demo-work-'));
    mkdirSync(join(work, 'node_modules'));
    symlinkSync(REPO, join(work, 'node_modules', 'meterops'));
    mkdirSync(join(work, 'node_modules', '.bin'));
    symlinkSync(join(REPO, 'bin', 'meterops.js'), join(work, 'node_modules', '.bin', 'meterops'));
    const port = await freePort();
    const base = `http://localhost:${port}`;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve', '--port', String(port), '--data-dir', data], {
      env: { ...process.env, METEROPS_DATABASE_URL: '', METEROPS_DEMO: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    let gone = false;
    child.on('exit', () => (gone = true));
    try {
      for (let i = 0; i < 900 && !gone && !out.includes('meterops is running'); i++) await new Promise((r) => setTimeout(r, 200));
      assert.match(out, /meterops is running/, out);
      const blocks = shellBlocks('docs/demo.md', readFileSync('docs/demo.md', 'utf8'));
      assert.ok(blocks.length >= 5, 'the walkthrough has its steps');
      // One terminal, as a reader runs them: variables set in one block are seen by the next.
      const script = blocks.map((b) => `echo "::block ${b.line}" >&2\n${b.script.replaceAll('http://localhost:8080', base)}`).join('\n');
      const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script], {
        cwd: work,
        encoding: 'utf8',
        env: { ...process.env, METEROPS_SERVER: base, METEROPS_DATABASE_URL: '' },
        timeout: 400_000,
      });
      const failedAt = [...r.stderr.matchAll(/::block (\d+)/g)].at(-1)?.[1];
      assert.equal(
        r.status,
        0,
        `docs/demo.md failed in the block at line ${failedAt} (exit ${r.status}):\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}\n--- server\n${out.slice(-4000)}`,
      );

      // What the walkthrough did, read back through the API (not from its own output).
      const get = async <T>(path: string, key = 'demo-supplier-a-key'): Promise<T> => {
        const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${key}` } });
        assert.equal(res.status, 200, `GET ${path}: ${res.status} ${await res.clone().text()}`);
        return (await res.json()) as T;
      };
      const ids = demoIds();
      const vend = await get<{ deviceEui: string; code: string }>('/v1/vends/demo-vend-1');
      assert.equal(vend.deviceEui, ids.vendEsme);
      assert.match(String(vend.code), /^\d{20}$/, 'a 20-digit UTRN');
      const workOrder = JSON.parse(readFileSync(join(work, 'work-order.json'), 'utf8')) as { order: { id: string } };
      const order = await get<{ order: { state: string }; commands: Array<{ state: string; outcome: string }> }>(`/v1/work-orders/${workOrder.order.id}`);
      assert.equal(order.order.state, 'completed', JSON.stringify(order));
      assert.deepEqual(
        order.commands.map((c) => [c.state, c.outcome]),
        [
          ['executed', 'supply enabled'],
          ['executed', 'credit +1000p'],
        ],
      );
      const queue = await get<Array<{ premiseId: string; supply: string; creditPence: number }>>('/v1/no-wan/visit-queue');
      const visited = queue.find((q) => q.premiseId === ids.noWan[0]!.premiseId);
      assert.deepEqual([visited?.supply, visited?.creditPence], ['enabled', 1000], 'the verified responses enabled the supply and added £10');
      // The vulnerability's answer held supplier-a's duties only; supplier-b owes duties under it from meterops' notice.
      const recorded = JSON.parse(readFileSync(join(work, 'vulnerability.json'), 'utf8')) as { id: string; duties: Array<{ partyId: string }> };
      assert.ok(recorded.duties.length > 0 && recorded.duties.every((d) => d.partyId === 'supplier-a'), JSON.stringify(recorded.duties));
      const theirs = await get<{ duties: Array<{ vulnerabilityId: string }> }>('/v1/duties', 'demo-supplier-b-key');
      assert.ok(
        theirs.duties.some((d) => d.vulnerabilityId === recorded.id),
        "supplier-b owes duties under it once notified, which supplier-a's answer did not show",
      );
      const duties = await get<{ duties: Array<{ state: string; evidence: string | null }> }>('/v1/duties');
      assert.ok(duties.duties.some((d) => d.state === 'done' && d.evidence === 'Emailed the SSC, ref 4711'));
      const ret = JSON.parse(readFileSync(join(work, 'return.json'), 'utf8')) as { lines: Array<{ id: string }> };
      const line = await get<{ line: { state: string; reinstalledAt: string; noCredential: string; removedDistributor: number } }>(`/v1/return-lines/${ret.lines[0]!.id}`);
      // The NO cell now holds the Network Operator of the new premise's region (the fleet's own
      // party for that distributor id), no longer the ACB that refurbishment left in it.
      const fleet = new Fleet(DEMO_FLEET);
      const region = fleet.premise(Number(ids.reinstallPremiseId.split('-p')[1])).distributorId;
      assert.deepEqual(
        [line.line.state, line.line.reinstalledAt, line.line.noCredential],
        ['reinstalled', ids.reinstallPremiseId, fleet.parties.networkOperators.get(region)!.eui],
        JSON.stringify(line.line),
      );
      assert.notEqual(region, line.line.removedDistributor, 'reinstalled in another DNO region');
      const device = await get<{ assetStatus: string }>(`/v1/devices/${ids.returnEsme}`);
      assert.equal(device.assetStatus, 'installed');
      const audit = await get<{ valid: boolean }>('/v1/audit/verify', 'demo-dcc-key');
      assert.equal(audit.valid, true, JSON.stringify(audit));
    } finally {
      if (!gone) child.kill('SIGKILL');
      rmSync(data, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    }
  });
});
