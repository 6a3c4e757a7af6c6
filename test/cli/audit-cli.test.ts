import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { meterops } from '../support/cli.ts';
import { sql } from 'kysely';
import { recordArrangement } from '../../src/services/obligations.ts';
import { registerDevices } from '../../src/services/register-devices.ts';
import { openStore } from '../../src/store/store.ts';
import { aDeviceInput, aParty, depsFor, withParties } from '../support/builders.ts';

describe('meterops audit and obligations commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meterops-audit-'));
  const supplier = aParty({ id: 'cli-sup', role: 'supplier' });
  before(async () => {
    const { store } = await openStore({ kind: 'pglite', dataDir: dir });
    await withParties(store, supplier, aParty({ id: 'dcc', role: 'dcc' }), aParty({ id: 'dcc-other', role: 'supplier' }));
    for (const m of ['A', 'B', 'C']) await recordArrangement(depsFor(store), supplier, m, false);
    // One CliMaker meter of the supplier's, two of another Supplier's.
    const meter = () => aDeviceInput({ manufacturer: 'CliMaker', model: 'M1', type: 'ESME' });
    await registerDevices(depsFor(store), supplier, [{ row: 0, input: meter() }]);
    await registerDevices(
      depsFor(store),
      aParty({ id: 'dcc-other', role: 'supplier' }),
      [0, 1].map((row) => ({ row, input: meter() })),
    );
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
    assert.match(add.stdout, /0 of your registered devices affected, 4 duties of yours/);
    const list = await meterops('duties', 'list', '--as', supplier.id, '--data-dir', dir);
    assert.match(list.stdout, /open\s+notify_ssc\s+due/);
    const bad = await meterops('vulnerabilities', 'add', '--as', supplier.id, '--title', 't', '--manufacturer', 'X', '--component', 'firmware', '--data-dir', dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /component must be one of/);
  });

  it("prints the acting party's own duties and affected devices only, as the API answers", async () => {
    const add = await meterops(
      'vulnerabilities',
      'add',
      '--as',
      supplier.id,
      '--title',
      'Keypad overflow',
      '--manufacturer',
      'CliMaker',
      '--model',
      'M1',
      '--component',
      'smart_metering_system',
      '--device-type',
      'ESME',
      '--data-dir',
      dir,
    );
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /: 1 of your registered devices affected, 4 duties of yours\n/);
    assert.doesNotMatch(add.stdout, /dcc-other/, "the other Supplier's duties are not shown");
  });

  it('sequences, verifies the log, proves an entry and a consistency, and names the entry an edit broke', async () => {
    const pending = await meterops('audit', 'verify', '--data-dir', dir);
    assert.equal(pending.code, 0, pending.stderr);
    assert.match(pending.stdout, /audit: (\d+) entries \(0 in the signed tree of 0, \1 pending\), 0 signed heads, log intact/);
    const seq = await meterops('audit', 'sequence', '--data-dir', dir);
    assert.equal(seq.code, 0, seq.stderr);
    assert.match(seq.stdout, /audit: (\d+) entries placed; signed tree of \1 leaves at \S+, root [0-9a-f]{64}/);
    const ok = await meterops('audit', 'verify', '--data-dir', dir);
    assert.match(ok.stdout, /audit: (\d+) entries \(\1 in the signed tree of \1, 0 pending\), 1 signed heads, log intact/);

    const { store } = await openStore({ kind: 'pglite', dataDir: dir });
    const id = (await sql<{ id: number }>`SELECT min(id) AS id FROM audit_log WHERE actor_party_id = ${supplier.id}`.execute(store.database.db)).rows[0]!.id;
    await store.close();
    const listed = await meterops('audit', 'entries', '--as', supplier.id, '--data-dir', dir);
    assert.match(listed.stdout, new RegExp(`^${id}  leaf \\d+  \\S+  arrangement\\.\\S+  `, 'm'));
    // The supplier proves its own entry; the proof file checks offline with the public key alone.
    const proof = await meterops('audit', 'inclusion', String(id), '--as', supplier.id, '--data-dir', dir);
    assert.equal(proof.code, 0, proof.stderr);
    assert.match(proof.stderr, new RegExp(`checked: entry ${id} is leaf \\d+ of the signed tree of \\d+ leaves`));
    const key = await meterops('audit', 'key', '--data-dir', dir);
    assert.match(key.stdout, /^-----BEGIN PUBLIC KEY-----/);
    writeFileSync(join(dir, 'proof.json'), proof.stdout);
    writeFileSync(join(dir, 'key.pem'), key.stdout);
    const offline = await meterops('audit', 'check', join(dir, 'proof.json'), '--key', join(dir, 'key.pem'));
    assert.equal(offline.code, 0, offline.stderr);
    assert.match(offline.stdout, /audit: proof checks: entry \d+ is leaf/);
    const forged = JSON.parse(proof.stdout) as { entry: { details: string } };
    forged.entry.details = '{"forged":true}';
    writeFileSync(join(dir, 'forged.json'), JSON.stringify(forged));
    const refused = await meterops('audit', 'check', join(dir, 'forged.json'), '--key', join(dir, 'key.pem'));
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /proof does not check: entry \d+ is not leaf/);
    // Another party does not see the supplier's entry.
    const hidden = await meterops('audit', 'inclusion', String(id), '--as', 'dcc-other', '--data-dir', dir);
    assert.notEqual(hidden.code, 0);
    // One more entry and another signed head: the first tree is a prefix of the second.
    const first = Number(/signed tree of (\d+) leaves/.exec(seq.stdout)![1]);
    const more = await openStore({ kind: 'pglite', dataDir: dir });
    await recordArrangement(depsFor(more.store), supplier, 'D', false);
    await more.store.close();
    assert.equal((await meterops('audit', 'sequence', '--data-dir', dir)).code, 0);
    const consistency = await meterops('audit', 'consistency', String(first), '--data-dir', dir);
    assert.equal(consistency.code, 0, consistency.stderr);
    assert.match(consistency.stderr, new RegExp(`checked: the tree of ${first} leaves is a prefix of the tree of ${first + 1}`));

    const again = await openStore({ kind: 'pglite', dataDir: dir });
    await sql.raw('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only').execute(again.store.database.db);
    await sql`UPDATE audit_log SET actor_party_id = 'someone-else' WHERE id = ${id}`.execute(again.store.database.db);
    await again.store.close();
    const broken = await meterops('audit', 'verify', '--data-dir', dir);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, new RegExp(`broken at entry ${id}: its contents do not match its hash`));
  });
});
