// The command line's SEC Section G commands: awareness per party, the materiality judgement, the
// SSC notice's G3.18(c) steps, standing G3.20 arrangements and the report of those missing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { registerDevices } from '../../src/services/register-devices.ts';
import { openStore } from '../../src/store/store.ts';
import { aDeviceInput, aParty, depsFor, withParties } from '../support/builders.ts';
import { meterops } from '../support/cli.ts';

describe('meterops Section G commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meterops-secg-'));
  const supA = aParty({ id: 'g-sup-a', role: 'supplier' });
  const supB = aParty({ id: 'g-sup-b', role: 'supplier' });
  before(async () => {
    const { store } = await openStore({ kind: 'pglite', dataDir: dir });
    await withParties(store, supA, supB, aParty({ id: 'g-dcc', role: 'dcc' }));
    // One GMaker meter of A's, three of B's.
    const meter = () => aDeviceInput({ manufacturer: 'GMaker', model: 'G1', type: 'ESME' });
    await registerDevices(depsFor(store), supA, [{ row: 0, input: meter() }]);
    await registerDevices(
      depsFor(store),
      supB,
      [0, 1, 2].map((row) => ({ row, input: meter() })),
    );
    await store.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('records a notice to another Supplier, whose duties arise from its delivery; judges materiality; closes the SSC notice with its steps', async () => {
    const add = await meterops(
      ...['vulnerabilities', 'add', '--as', supA.id, '--title', 'Relay toggle', '--manufacturer', 'GMaker', '--component', 'smart_metering_system'],
      ...['--device-type', 'ESME', '--aware-at', '2026-11-01T09:00:00Z', '--json', '--data-dir', dir],
    );
    assert.equal(add.code, 0, add.stderr);
    const id = JSON.parse(add.stdout).vulnerability.id as string;
    const none = await meterops('duties', 'list', '--as', supB.id, '--data-dir', dir);
    assert.match(none.stdout, /no duties/, 'B owes nothing until it becomes aware');
    const notified = await meterops('vulnerabilities', 'aware', id, '--as', supA.id, '--basis', 'notified', '--party', supB.id, '--at', '2026-11-02T09:00:00Z', '--data-dir', dir);
    assert.equal(notified.code, 0, notified.stderr);
    assert.equal(notified.stdout, `${supB.id} aware of ${id} since 2026-11-02T09:00:00.000Z (notified)\n\n`, 'the notifier is shown none of B’s duties');
    // B's SSC notice: 2 days (meterops' default) from its own awareness on 2 November.
    const listB = await meterops('duties', 'list', '--as', supB.id, '--duty', 'notify_ssc', '--data-dir', dir);
    assert.match(listB.stdout, /open\s+notify_ssc\s+due 2026-11-04\s+3 devices/);
    const judged = await meterops('vulnerabilities', 'judge', id, '--as', supB.id, '--material', 'yes', '--reason', 'every G1 relay can be toggled', '--data-dir', dir);
    assert.equal(judged.stdout, `${id}: judged material by ${supB.id}; 0 open duties exempt\n`);
    const dutyId = listB.stdout.split(/\s+/)[0]!;
    const noSteps = await meterops('duties', 'done', dutyId, '--as', supB.id, '--evidence', 'sent', '--data-dir', dir);
    assert.equal(noSteps.code, 2);
    assert.match(noSteps.stderr, /steps is required/);
    const done = await meterops(
      ...['duties', 'done', dutyId, '--as', supB.id, '--evidence', 'SSC ref 3', '--steps', 'firmware G1.4'],
      ...['--complete-by', '2026-12-31T00:00:00Z', '--data-dir', dir],
    );
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, /done\s+notify_ssc/);
  });

  it('refuses bad flags with the flag named', async () => {
    const badBasis = await meterops('vulnerabilities', 'aware', 'v', '--as', supB.id, '--basis', 'rumour', '--data-dir', dir);
    assert.deepEqual([badBasis.code, /--basis is one of acknowledged, notified/.test(badBasis.stderr)], [2, true]);
    const halfJudged = await meterops('vulnerabilities', 'aware', 'v', '--as', supB.id, '--basis', 'acknowledged', '--material', 'no', '--data-dir', dir);
    assert.deepEqual([halfJudged.code, /--material needs --materiality-reason/.test(halfJudged.stderr)], [2, true]);
    const badTime = await meterops('vulnerabilities', 'aware', 'v', '--as', supB.id, '--basis', 'acknowledged', '--at', 'yesterday', '--data-dir', dir);
    assert.deepEqual([badTime.code, /--at "yesterday" is not a date-time/.test(badTime.stderr)], [2, true]);
  });

  it('lists the fleet manufacturers without a standing arrangement, before and after one is recorded', async () => {
    const before = await meterops('report', 'arrangement-gaps', '--as', supA.id, '--data-dir', dir);
    assert.equal(before.code, 0, before.stderr);
    assert.deepEqual(JSON.parse(before.stdout).users, [{ partyId: supA.id, missing: [{ manufacturer: 'GMaker', devices: 1 }], covered: [] }]);
    const add = await meterops('arrangements', 'add', '--as', supA.id, '--manufacturer', 'GMaker', '--g321-exemption', '--data-dir', dir);
    assert.equal(add.stdout, `${supA.id}: arrangement with GMaker recorded (G3.21 exemption)\n`);
    const afterAdd = await meterops('report', 'arrangement-gaps', '--as', supA.id, '--data-dir', dir);
    assert.deepEqual(JSON.parse(afterAdd.stdout).users[0].missing, []);
  });
});
