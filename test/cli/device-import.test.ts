import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { csvCell } from '../../src/domain/csv-cell.ts';
import type { DatabaseTarget } from '../../src/store/database.ts';
import { openStore } from '../../src/store/store.ts';
import { PG_URL } from '../support/backends.ts';
import { freshPgDatabase } from '../support/served-fleet.ts';
import { skipBecause } from '../support/skips.ts';
import { meterops } from '../support/cli.ts';
import { anEui, aParty, withParties } from '../support/builders.ts';

/** Where a run of the suite keeps its registry: a data directory, or a fresh PostgreSQL database. */
interface Registry {
  readonly flags: readonly string[];
  readonly target: DatabaseTarget;
  drop(): Promise<void>;
}

const REGISTRIES: ReadonlyArray<{ name: string; skip: string | false; open(dir: string): Promise<Registry> }> = [
  { name: 'pglite', skip: false, open: async (dir) => ({ flags: ['--data-dir', dir], target: { kind: 'pglite', dataDir: dir }, drop: async () => {} }) },
  {
    name: 'postgres',
    skip: PG_URL ? false : skipBecause('postgres', 'PostgreSQL import suite skipped: set METEROPS_TEST_DATABASE_URL to run it'),
    open: async (dir) => {
      const db = await freshPgDatabase(PG_URL!);
      return { flags: ['--database-url', db.url, '--data-dir', dir], target: { kind: 'postgres', url: db.url }, drop: () => db.drop() };
    },
  },
];

for (const backend of REGISTRIES) {
  /** Imports are all-or-nothing in truth: the reader's problems and the validator's meet before any write. */
  describe(`meterops devices import: nothing half-written (${backend.name})`, { skip: backend.skip }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'meterops-import-'));
    const files = mkdtempSync(join(tmpdir(), 'meterops-import-files-'));
    const map = aParty({ id: 'imp-map', role: 'meter_asset_provider' });
    let registry: Registry;
    before(async () => {
      registry = await backend.open(dir);
      const { store } = await openStore(registry.target);
      await withParties(store, map);
      await store.close();
    });
    after(async () => {
      await registry?.drop();
      rmSync(dir, { recursive: true, force: true });
      rmSync(files, { recursive: true, force: true });
    });

    const file = (name: string, text: string) => {
      const p = join(files, name);
      writeFileSync(p, text);
      return p;
    };
    const registryCount = async () => {
      const { store } = await openStore(registry.target);
      try {
        return (await store.read.devices.list({ limit: 1000 })).length;
      } finally {
        await store.close();
      }
    };
    const line = (eui: string) => JSON.stringify({ eui, type: 'ESME', manufacturer: 'Acme', model: 'E470', firmwareVersion: '3.1.0' });
    const importing = (path: string) => meterops('devices', 'import', path, '--as', map.id, ...registry.flags);

    it('a JSON Lines file with one good row and one line of bad JSON writes nothing', async () => {
      const r = await importing(file('half.jsonl', `${line(anEui())}\n{not json\n`));
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /line 2: not a JSON object/);
      assert.match(r.stderr, /1 bad row\(s\) of 2; nothing was written/);
      assert.equal(await registryCount(), 0);
    });

    it('a CSV with one good row and one short row writes nothing', async () => {
      const csv = `eui,type,manufacturer,model,firmwareVersion\n${anEui()},ESME,Acme,E470,3.1.0\n${anEui()},ESME\n`;
      const r = await importing(file('short.csv', csv));
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /line 3: a different number of fields from the header row \[line column-count\]/);
      assert.equal(await registryCount(), 0);
    });

    it('a file with only a header, or only short rows, is refused in words, not with a database constraint', async () => {
      const header = await importing(file('header.csv', 'eui,type,manufacturer,model,firmwareVersion\n'));
      assert.equal(header.code, 2);
      assert.match(header.stderr, /there are no devices to register/);
      assert.doesNotMatch(header.stderr, /constraint|_check/);
      const short = await importing(file('all-short.csv', 'eui,type,manufacturer,model,firmwareVersion\nA,B\nC\n'));
      assert.equal(short.code, 2);
      assert.match(short.stderr, /line 2: .*column-count/);
      assert.match(short.stderr, /line 3: .*column-count/);
      assert.doesNotMatch(short.stderr, /constraint|_check/);
      assert.equal(await registryCount(), 0);
    });

    it('JSON Lines fields are text, as CSV cells are: an object or a list is refused by field', async () => {
      const bad = JSON.stringify({ eui: [anEui()], type: 'ESME', manufacturer: { x: 1 }, model: 7, firmwareVersion: '1', ownerPartyId: true });
      const r = await importing(file('types.jsonl', `${bad}\n`));
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /eui must be text, not a list \[eui text\]/);
      assert.match(r.stderr, /manufacturer must be text, not an object \[manufacturer text\]/);
      assert.match(r.stderr, /model must be text, not a number \[model text\]/);
      assert.match(r.stderr, /ownerPartyId must be text, not a boolean \[ownerPartyId text\]/);
      assert.doesNotMatch(r.stderr, /eui-64/, 'one error for the eui, not two');
      assert.equal(await registryCount(), 0);
    });

    it('a good file is still written whole', async () => {
      const r = await importing(file('good.jsonl', `${line(anEui())}\n${line(anEui())}\n`));
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /imported 2 devices/);
      assert.equal(await registryCount(), 2);
    });
  });
}

describe('CSV cells', () => {
  it('neutralise what a spreadsheet would run as a formula (OWASP CSV injection)', () => {
    // The OWASP page's examples: cells starting with =, +, -, @, tab or carriage return.
    assert.equal(csvCell('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
    assert.equal(csvCell('+1+1'), `"'+1+1"`);
    assert.equal(csvCell('-2+3'), `"'-2+3"`);
    assert.equal(csvCell('@SUM(A1)'), `"'@SUM(A1)"`);
    assert.equal(csvCell('\tx'), `"'\tx"`);
    assert.equal(csvCell('Acme Metering'), '"Acme Metering"');
    assert.equal(csvCell(-5), '-5', 'numbers are numbers');
    assert.equal(csvCell(null), '');
  });
});
