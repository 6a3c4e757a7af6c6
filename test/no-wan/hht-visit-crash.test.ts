import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/api/app.ts';
import type { VisitFile } from '../../src/cli/hht/hht-client.ts';
import { hashApiKey } from '../../src/services/authenticate.ts';
import { storeOn, type Store } from '../../src/store/store.ts';
import { Fleet } from '../../src/world/devices/fleet.ts';
import { generateFleet } from '../../src/world/fleet-service.ts';
import { freshPglite } from '../support/backends.ts';
import { aParty, appFor, depsFor, withParties } from '../support/builders.ts';
import { meterops } from '../support/cli.ts';

/**
 * The HHT keeps every response: each one is on disk before the next command goes out, because
 * its counter is spent on the meter. The visit process is killed (SIGKILL, nothing flushed by
 * it) when it reaches the second device; the order file still carries the first device's
 * responses, the upload records them once, and the visit resumed later applies only the rest.
 */
describe('an HHT visit killed after the first device', () => {
  let store: Store;
  let app: App;
  let base: string;
  let dir: string;
  let premiseId: string;
  let esme: string;
  let gsme: string;
  const auth = { authorization: 'Bearer crash-key' };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meterops-hht-crash-'));
    store = storeOn(await freshPglite());
    const dcc = aParty({ role: 'dcc' });
    await withParties(store, dcc);
    await generateFleet(depsFor(store), dcc, { premises: 12, seed: 'hht-crash', gasRate: 1 });
    const fleet = new Fleet({ premises: 12, seed: 'hht-crash', gasRate: 1 });
    const p = fleet.premise(0);
    esme = p.devices.ESME!;
    gsme = p.devices.GSME!;
    premiseId = `fleet-${fleet.tag.toLowerCase()}-p0`;
    const supplier = (await store.read.parties.list()).find((x) => x.eui === p.supplier)!;
    await store.transaction((tx) => tx.parties.addApiKey(supplier.id, hashApiKey('crash-key'), 'engineer-7'));
    app = await appFor(depsFor(store));
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  });
  after(async () => {
    await app?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses none of the first device’s responses, records them once, and resumes with the rest', { timeout: 300_000 }, async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/v1/work-orders',
      headers: auth,
      payload: {
        premiseId,
        commands: [
          { deviceEui: esme, useCase: 'ECS43' },
          { deviceEui: esme, useCase: 'ECS42' },
          { deviceEui: gsme, useCase: 'GCS33' },
        ],
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().order.id as string;
    const file = join(dir, 'order.json');
    const online = ['--server', base, '--api-key', 'crash-key'];
    assert.equal((await meterops('hht', 'pull', id, '--hht', 'F0F0F0F0F0F00007', '--out', file, ...online)).code, 0);

    // The devices' port, through a relay that kills the HHT process when it reaches the gas meter.
    let visit: ReturnType<typeof spawn> | undefined;
    let killedAt: string | undefined;
    const relay = createServer((req: IncomingMessage, res: ServerResponse) => {
      if (req.url?.includes(gsme) && visit && !killedAt) {
        killedAt = req.url;
        visit.kill('SIGKILL');
        res.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void fetch(`${base}/sim${req.url}`, { method: req.method, headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks) }).then(async (r) => {
          res.writeHead(r.status, { 'content-type': 'application/json' });
          res.end(await r.text());
        });
      });
    });
    await new Promise<void>((ok) => relay.listen(0, '127.0.0.1', ok));
    const relayUrl = `http://127.0.0.1:${(relay.address() as { port: number }).port}`;
    try {
      visit = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'hht', 'visit', file, '--device-port', relayUrl], { stdio: 'ignore' });
      const ended = await new Promise<NodeJS.Signals | null>((ok) => visit!.on('exit', (_code, signal) => ok(signal)));
      assert.equal(ended, 'SIGKILL', 'the visit was killed');
      assert.match(killedAt ?? '', /join-window/, 'killed as it opened the gas meter’s join window');
    } finally {
      relay.close();
    }

    const kept = JSON.parse(readFileSync(file, 'utf8')) as VisitFile;
    assert.deepEqual(
      kept.visit?.records.map((r) => [r.seq, r.deviceEui, r.accepted, typeof r.carry]),
      [
        [1, esme, true, 'string'],
        [2, esme, true, 'string'],
      ],
      'both electricity meter responses were on disk when the process died',
    );
    const push = await meterops('hht', 'push', file, ...online);
    assert.equal(push.code, 0, push.stderr);
    assert.match(push.stdout, /push: 2 recorded, 0 already recorded, 0 rejected/);

    // Resumed: only the gas meter's command goes out; the upload then records it, and the two again once only.
    const resumed = await meterops('hht', 'visit', file, '--device-port', `${base}/sim`);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /visit: 1 commands applied, 1 accepted/);
    const again = await meterops('hht', 'push', file, ...online);
    assert.match(again.stdout, /push: 1 recorded, 2 already recorded, 0 rejected/);
    const shown = await app.inject({ url: `/v1/work-orders/${id}`, headers: auth });
    assert.deepEqual(
      shown.json().commands.map((c: { seq: number; state: string }) => [c.seq, c.state]),
      [
        [1, 'executed'],
        [2, 'executed'],
        [3, 'executed'],
      ],
    );
  });
});
