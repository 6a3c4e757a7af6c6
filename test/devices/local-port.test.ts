import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeFrame } from '../../src/gbcs/decode-frame.ts';
import { fromHex } from '../../src/gbcs/byte-reader.ts';
import { LocalPort, LocalPortError } from '../../src/world/devices/local-port.ts';
import { serveLocalPort } from '../../src/world/devices/local-port-server.ts';
import { toHex } from '../../src/gbcs/byte-reader.ts';
import { aFleet } from '../support/fleet-fixture.ts';

const HHT = 'AB000000000000AA' as never;

describe('local port', () => {
  const f = aFleet('local-port');
  const premise = f.premiseWith(() => true);
  const esme = f.fleet.device(premise.devices.ESME!)!;
  const t0 = new Date('2026-11-22T09:00:00Z');

  it('in process: pairs only inside the join window, then delivers and reads diagnostics', async () => {
    const port = new LocalPort(esme, 'local-port');
    assert.throws(
      () => port.pair(HHT, t0),
      (e: unknown) => e instanceof LocalPortError && e.code === 'JOIN_WINDOW_CLOSED',
    );
    assert.throws(
      () => port.send(HHT, new Uint8Array(), t0),
      (e: unknown) => e instanceof LocalPortError && e.code === 'NOT_PAIRED',
    );
    port.openJoinWindow(t0);
    port.pair(HHT, new Date(t0.getTime() + 30 * 60_000));
    const r = port.send(HHT, await f.command('ECS43', premise.supplier, esme.eui, 1n), t0);
    assert.equal(r.accepted, true);
    assert.equal(decodeFrame(fromHex(r.response!)).apdu.recipient, premise.supplier);
    const d = port.diagnostics();
    assert.equal(d.eui, esme.eui);
    assert.equal(d.state.loadSwitch, 'disabled');
    assert.ok(d.diagnosis.observations.length > 0, 'observations');
  });

  describe('over HTTP on loopback', () => {
    let server: { url: string; close(): Promise<void> };
    before(async () => {
      server = await serveLocalPort(new LocalPort(esme, 'local-port'), { now: () => t0 });
    });
    after(() => server?.close());
    type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const json = async (r: Response | Promise<Response>) => (await (await r).json()) as Json;
    const post = (path: string, body: unknown) => fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    it('refuses pairing with the window closed, then pairs, sends a frame and reads the response', async () => {
      const closed = await post('/pair', { client: HHT });
      assert.equal(closed.status, 409);
      assert.match((await json(closed)).error, /join window/);
      assert.equal((await post('/join-window', {})).status, 200);
      assert.equal((await post('/pair', { client: HHT })).status, 200);
      const res = await post('/send', { client: HHT, frame: toHex(await f.command('ECS42', premise.supplier, esme.eui, 2n)) });
      const body = await json(res);
      assert.equal(body.accepted, true);
      const refused = await json(post('/send', { client: HHT, frame: toHex(await f.command('ECS42', premise.supplier, esme.eui, 2n)) }));
      assert.deepEqual([refused.accepted, refused.reason, refused.alertCode], [false, 'counter-not-increasing', '0x8F53']);
      const diag = await json(fetch(`${server.url}/diagnostics`));
      assert.equal(diag.state.loadSwitch, 'enabled');
    });

    it('answers bad input with a clear 4xx', async () => {
      assert.equal((await post('/send', { client: HHT, frame: 'XYZ' })).status, 422);
      assert.equal((await post('/pair', { client: 'nope' })).status, 422);
      const notJson = await fetch(`${server.url}/pair`, { method: 'POST', body: '[1' });
      assert.equal(notJson.status, 400);
      assert.equal((await fetch(`${server.url}/nothing`)).status, 404);
    });
  });
});
