import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { meterops, meteropsWith } from '../support/cli.ts';
import { loadMigrations } from '../../src/store/migrate.ts';
import { openStore } from '../../src/store/store.ts';
import { anEui, aParty, withParties } from '../support/builders.ts';

describe('meterops CLI on the embedded database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meterops-cli-'));
  const map = aParty({ id: 'cli-map', role: 'meter_asset_provider' });
  const supplier = aParty({ id: 'cli-supplier', role: 'supplier' });
  before(async () => {
    const { store } = await openStore({ kind: 'pglite', dataDir: dir });
    await withParties(store, map, supplier);
    await store.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('migrate reports the database up to date', async () => {
    const r = await meterops('migrate', '--data-dir', dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`up to date \\(${loadMigrations().length} migrations applied\\)`));
  });

  it('imports a half-bad CSV as nothing, reporting each bad row by line, field and reason', async () => {
    const good = anEui();
    const csv = [
      'eui,type,manufacturer,model,firmwareVersion,supplierPartyId',
      `${good},ESME,Acme,E470,3.1.0,`,
      `00DB12,ESME,Acme,E470,3.1.0,`,
      `${anEui()},KETTLE,Acme,E470,3.1.0,`,
      `${anEui()},ESME,Acme,E470,3.1.0,no-such-party`,
    ].join('\n');
    const file = join(dir, 'half-bad.csv');
    writeFileSync(file, csv);
    const r = await meterops('devices', 'import', file, '--as', map.id, '--data-dir', dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /line 3: eui: .*not an EUI-64.*\[eui eui-64\]/);
    assert.match(r.stderr, /line 4: type "KETTLE" is not one of .*\[type device-type\]/);
    assert.match(r.stderr, /line 5: supplierPartyId: party no-such-party does not exist \[supplierPartyId known-party\]/);
    assert.match(r.stderr, /3 bad row\(s\) of 4; nothing was written/);
    const shown = await meterops('devices', 'show', good, '--as', map.id, '--data-dir', dir);
    assert.equal(shown.code, 2);
    assert.match(shown.stderr, /not found/);
  });

  it('imports JSON Lines, then lists, shows and prints events', async () => {
    const euis = [anEui(), anEui(), anEui()];
    const file = join(dir, 'good.jsonl');
    writeFileSync(file, euis.map((eui) => JSON.stringify({ eui, type: 'GSME', manufacturer: 'Acme', model: 'G4', firmwareVersion: '2.0.7' })).join('\n') + '\n');
    const r = await meterops('devices', 'import', file, '--as', map.id, '--data-dir', dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /imported 3 devices/);
    const list = await meterops('devices', 'list', '--as', map.id, '--type', 'GSME', '--json', '--data-dir', dir);
    assert.deepEqual(
      JSON.parse(list.stdout).devices.map((d: { eui: string }) => d.eui),
      [...euis].sort(),
    );
    const ev = await meterops('events', euis[0]!, '--as', map.id, '--data-dir', dir);
    assert.match(ev.stdout, /registry\s+- -> registered\s+cli-map/);
    const denied = await meterops('devices', 'show', euis[0]!, '--as', supplier.id, '--data-dir', dir);
    assert.equal(denied.code, 2);
    assert.equal(denied.stderr, `meterops: device ${euis[0]!} not found [NOT_FOUND]\n`);
  });

  it('refuses a file that is not JSON Lines line by line, and an unknown format', async () => {
    const file = join(dir, 'broken.jsonl');
    writeFileSync(file, `{"eui":"${anEui()}","type":"ESME","manufacturer":"A","model":"B","firmwareVersion":"1"}\n{not json\n[1,2]\n`);
    const r = await meterops('devices', 'import', file, '--as', map.id, '--data-dir', dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /line 2: not a JSON object/);
    assert.match(r.stderr, /line 3: not a JSON object/);
    assert.doesNotMatch(r.stderr, /line (\d+): line \1\b/, 'the line number is said once');
    const txt = await meterops('devices', 'import', join(dir, 'x.txt'), '--as', map.id, '--data-dir', dir);
    assert.equal(txt.code, 2);
    assert.match(txt.stderr, /cannot tell the format/);
  });

  it('adds one device and refuses a bad one with the field named', async () => {
    const eui = anEui();
    const ok = await meterops('devices', 'add', '--as', map.id, '--eui', eui, '--type', 'CHF', '--manufacturer', 'Acme', '--model', 'CH1', '--firmware', '1.0', '--data-dir', dir);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, new RegExp(`registered ${eui}`));
    const bad = await meterops('devices', 'add', '--as', map.id, '--eui', eui, '--type', 'CHF', '--manufacturer', 'Acme', '--model', 'CH1', '--firmware', '1.0', '--data-dir', dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /eui .* is already registered \[eui unique\]/);
  });

  it('refuses a keystore that cannot be opened, naming it, before doing anything', async () => {
    const missing = join(dir, 'no-such-keystore');
    const bad = await meteropsWith({ METEROPS_KEYSTORE_DIR: missing }, 'devices', 'list', '--as', map.id, '--data-dir', dir);
    assert.equal(bad.code, 2);
    assert.ok(bad.stderr.includes(`cannot open the keystore: keystore directory ${missing} does not exist [VALIDATION_FAILED keystore-open]`), bad.stderr);
  });
});
