import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { meterops } from '../support/cli.ts';
import { toHex } from '../../src/gbcs/byte-reader.ts';
import { buildUseCaseFrame } from '../../src/gbcs/build-use-case.ts';
import { Fleet } from '../../src/world/devices/fleet.ts';
import { FleetKeyStore } from '../../src/world/devices/fleet-key-store.ts';
import { openStore } from '../../src/store/store.ts';
import { aParty, withParties } from '../support/builders.ts';

describe('meterops fleet and device commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meterops-fleet-'));
  before(async () => {
    const { store } = await openStore({ kind: 'pglite', dataDir: dir });
    await withParties(store, aParty({ id: 'dcc', role: 'dcc' }));
    await store.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('generates a fleet, sends a frame to one of its devices in one process and sees the state in the next', async () => {
    const gen = await meterops('fleet', 'generate', '--premises', '25', '--seed', 'cli-fleet', '--data-dir', dir);
    assert.equal(gen.code, 0, gen.stderr);
    const fleet = new Fleet({ premises: 25, seed: 'cli-fleet' });
    assert.match(gen.stdout, new RegExp(`25 premises, ${fleet.deviceCount} devices`));
    const p = fleet.premise(2);
    const frame = await buildUseCaseFrame(new FleetKeyStore(fleet), { useCase: 'ECS43', originator: p.supplier, device: p.devices.ESME!, counter: 5n, acb: fleet.parties.acb.eui });
    const sent = await meterops('device', 'send', p.devices.ESME!, toHex(frame), '--data-dir', dir);
    assert.equal(sent.code, 0, sent.stderr);
    assert.equal(JSON.parse(sent.stdout).accepted, true);
    const replay = JSON.parse((await meterops('device', 'send', p.devices.ESME!, toHex(frame), '--data-dir', dir)).stdout);
    assert.deepEqual([replay.accepted, replay.reason], [false, 'counter-not-increasing']);
    const shown = JSON.parse((await meterops('fleet', 'show', p.devices.ESME!, '--data-dir', dir)).stdout);
    assert.equal(shown.state.loadSwitch, 'disabled');
    assert.equal(shown.premise.mpan, p.mpan);
  });

  it('refuses bad input clearly', async () => {
    const bad = await meterops('fleet', 'generate', '--premises', 'lots', '--seed', 's', '--data-dir', dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--premises must be a whole number/);
    const rate = await meterops('fleet', 'generate', '--premises', '5', '--seed', 's', '--rate-no-wan', 'lots', '--data-dir', dir);
    assert.equal(rate.code, 2);
    assert.match(rate.stderr, /--rate-no-wan is a share from 0 to 1, got "lots"/);
    const unknown = await meterops('device', 'send', 'ABCD000000000000', 'DF00', '--data-dir', dir);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /simulated device ABCD000000000000 not found/);
  });
});
