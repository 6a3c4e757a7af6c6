import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { meterops } from '../support/cli.ts';
import { sql } from 'kysely';
import { recordArrangement } from '../../src/services/obligations.ts';
import { openStore } from '../../src/store/store.ts';
import { aParty, depsFor, withParties } from '../support/builders.ts';

describe('meterops audit and obligations commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meterops-audit-'));
  const supplier = aParty({ id: 'cli-sup', role: 'supplier' });
  before(async () => {
    const { store } = await openStore({ kind: 'pglite', dataDir: dir });
    await withParties(store, supplier, aParty({ id: 'dcc', role: 'dcc' }));
    for (const m of ['A', 'B', 'C']) await recordArrangement(depsFor(store), supplier, m, false);
    await store.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('records a User Systems vulnerability and lists its duties', async () => {
    const add = await meterops(
      'vulnerabilities',
      'add',
      '--as',
      supplier.id,
      '--title',
      'Portal XSS',
      '--manufacturer',
      'WebCo',
      '--component',
      'user_systems_software',
      '--data-dir',
      dir,
    );
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /0 registered devices affected, 4 duties/);
    const list = await meterops('duties', 'list', '--as', supplier.id, '--data-dir', dir);
    assert.match(list.stdout, /open\s+notify_ssc\s+due/);
    const bad = await meterops('vulnerabilities', 'add', '--as', supplier.id, '--title', 't', '--manufacturer', 'X', '--component', 'firmware', '--data-dir', dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /component must be one of/);
  });

  it('verifies the chain, and names the entry an edit broke', async () => {
    const ok = await meterops('audit', 'verify', '--data-dir', dir);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /audit: \d+ entries, chain intact/);
    const { store } = await openStore({ kind: 'pglite', dataDir: dir });
    const id = (await sql<{ id: number }>`SELECT min(id) AS id FROM audit_log`.execute(store.database.db)).rows[0]!.id;
    await sql.raw('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only').execute(store.database.db);
    await sql`UPDATE audit_log SET actor_party_id = 'someone-else' WHERE id = ${id}`.execute(store.database.db);
    await store.close();
    const broken = await meterops('audit', 'verify', '--data-dir', dir);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, new RegExp(`broken at entry ${id}: its contents do not match its hash`));
  });
});
