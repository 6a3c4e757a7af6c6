import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeMpanCore } from '../../src/domain/index.ts';
import { openStore } from '../../src/store/store.ts';
import { aParty, withParties } from '../support/builders.ts';
import { meterops } from '../support/cli.ts';

describe('meterops lists on the command line: pages with --limit and --cursor', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meterops-cli-lists-'));
  const supplier = aParty({ id: 'lists-supplier', role: 'supplier' });
  const ids = ['prem-lists-1', 'prem-lists-2', 'prem-lists-3'];
  before(async () => {
    const { store } = await openStore({ kind: 'pglite', dataDir: dir });
    await withParties(store, supplier);
    await store.transaction(async (tx) => {
      for (const [i, id] of ids.entries()) {
        await tx.premises.insert({
          id,
          mpan: makeMpanCore(12, 880_000 + i),
          mprn: null,
          postcode: 'SW1A 1AA',
          distributorId: 12,
          supplierPartyId: supplier.id,
          createdAt: new Date(),
        });
      }
    });
    await store.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints a page and the flag for the next one, and the last page without it', async () => {
    const first = await meterops('premises', 'list', '--as', supplier.id, '--limit', '2', '--data-dir', dir);
    assert.equal(first.code, 0, first.stderr);
    const lines = first.stdout.trimEnd().split('\n');
    assert.deepEqual(
      lines.slice(0, 2).map((l) => l.split(/\s+/)[0]),
      ids.slice(0, 2),
    );
    const cursor = /^more: --cursor (\S+)$/.exec(lines[2] ?? '')?.[1];
    assert.ok(cursor, first.stdout);
    const last = await meterops('premises', 'list', '--as', supplier.id, '--limit', '2', '--cursor', cursor, '--json', '--data-dir', dir);
    assert.equal(last.code, 0, last.stderr);
    const page = JSON.parse(last.stdout) as { premises: Array<{ id: string }>; next: string | null };
    assert.deepEqual([page.premises.map((p) => p.id), page.next], [ids.slice(2), null]);
  });

  it('refuses a limit that is not a page size, in one line naming the flag', async () => {
    const r = await meterops('premises', 'list', '--as', supplier.id, '--limit', '501', '--data-dir', dir);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'meterops: limit must be a whole number from 1 to 500 [VALIDATION_FAILED page-size]\n');
  });
});
