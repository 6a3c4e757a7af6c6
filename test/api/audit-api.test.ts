// The audit log over HTTP: strings that are not well-formed Unicode or hold NUL are refused with
// 422 naming the field, wherever they come (body, path, query), so the log stays valid; a party
// fetches inclusion proofs of its own entries and consistency proofs between signed heads, and
// checks them with the log's public key alone; a tampered leaf fails the check.
import assert from 'node:assert/strict';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { App } from '../../src/api/app.ts';
import { checkConsistencyProof, checkInclusionProof, type ConsistencyProofJson, type InclusionProofJson } from '../../src/domain/index.ts';
import { drainAudit } from '../../src/services/audit-sequencer.ts';
import { storeOn, type Store } from '../../src/store/store.ts';
import { freshPglite } from '../support/backends.ts';
import { aParty, appFor, depsFor, testAuditKey, withParties } from '../support/builders.ts';

describe('HTTP API: the audit log', () => {
  let store: Store;
  let app: App;
  let key: KeyObject;
  const supplier = aParty({ role: 'supplier' });
  const other = aParty({ role: 'supplier' });
  const dcc = aParty({ role: 'dcc' });
  const auth = (p: { id: string }) => ({ authorization: `Bearer key-${p.id}` });
  const json = { 'content-type': 'application/json' };
  const verify = async () => (await app.inject({ url: '/v1/audit/verify', headers: auth(dcc) })).json();

  before(async () => {
    store = storeOn(await freshPglite());
    await withParties(store, supplier, other, dcc);
    app = await appFor(depsFor(store));
    const k = (await app.inject({ url: '/v1/audit/key', headers: auth(other) })).json();
    key = createPublicKey(k.publicKey);
    assert.equal(k.keyId, testAuditKey.keyId);
  });
  after(async () => {
    await app?.close();
    await store?.close();
  });

  it('refuses a lone surrogate or NUL in a JSON body with 422 naming the field, and the log stays valid', async () => {
    const before = (await store.read.audit.page(0, 1_000)).filter((e) => e.action !== 'api_key.used').length;
    // The request: {"manufacturer":"\ud800",...} as JSON text, escapes and all.
    const surrogate = await app.inject({
      method: 'POST',
      url: '/v1/arrangements',
      headers: { ...auth(supplier), ...json },
      payload: '{"manufacturer":"\\ud800","g321Exemption":false}',
    });
    assert.equal(surrogate.statusCode, 422, surrogate.body);
    assert.deepEqual([surrogate.json().field, surrogate.json().rule], ['manufacturer', 'well-formed-unicode']);
    assert.equal(surrogate.json().detail, 'manufacturer is not well-formed Unicode (it holds a lone surrogate) (in the request body)');
    const low = await app.inject({
      method: 'POST',
      url: '/v1/arrangements',
      headers: { ...auth(supplier), ...json },
      payload: '{"manufacturer":"Acme \\udc00","g321Exemption":false}',
    });
    assert.deepEqual([low.statusCode, low.json().rule], [422, 'well-formed-unicode']);
    const nul = await app.inject({
      method: 'POST',
      url: '/v1/arrangements',
      headers: { ...auth(supplier), ...json },
      payload: '{"manufacturer":"Acme\\u0000","g321Exemption":false}',
    });
    assert.deepEqual([nul.statusCode, nul.json().field, nul.json().rule], [422, 'manufacturer', 'no-nul']);
    const nested = await app.inject({
      method: 'POST',
      url: '/v1/command-requests',
      headers: { ...auth(supplier), ...json },
      payload: '{"commandType":"disable_supply","target":"\\ud83d"}',
    });
    assert.deepEqual([nested.statusCode, nested.json().field], [422, 'target']);
    // Nothing was written but the uses of the key (audited, accepted or not).
    assert.equal((await store.read.audit.page(0, 1_000)).filter((e) => e.action !== 'api_key.used').length, before, 'nothing was written');
    // A surrogate pair (an emoji) is well-formed and goes through.
    const pair = await app.inject({
      method: 'POST',
      url: '/v1/arrangements',
      headers: { ...auth(supplier), ...json },
      payload: '{"manufacturer":"Acme \\ud83d\\ude00","g321Exemption":false}',
    });
    assert.equal(pair.statusCode, 204, pair.body);
    await drainAudit(store, testAuditKey);
    const v = await verify();
    // The verify request's own key use is written as it arrives: it may be the one entry pending.
    assert.equal(v.valid, true, JSON.stringify(v.problems));
    assert.ok(v.pending <= 1, `${v.pending} pending`);
    const last = (await store.read.audit.page(0, 1_000)).filter((e) => e.action !== 'api_key.used').at(-1)!;
    assert.match(`${last.entity} ${last.details}`, /Acme 😀/);
  });

  it('refuses NUL in a path or query parameter with 422 naming it', async () => {
    const path = await app.inject({ url: '/v1/devices/AB%00', headers: auth(supplier) });
    assert.deepEqual([path.statusCode, path.json().field, path.json().rule], [422, 'eui', 'no-nul']);
    const query = await app.inject({ url: '/v1/devices?after=%00', headers: auth(supplier) });
    assert.deepEqual([query.statusCode, query.json().field, query.json().rule], [422, 'after', 'no-nul']);
    assert.match(query.json().detail, /^after contains a NUL character .* \(in the request query\)$/);
    // %ED%A0%80 would be U+D800 in UTF-8, which UTF-8 cannot carry: refused before any route runs.
    const bad = await app.inject({ url: '/v1/devices/%ED%A0%80', headers: auth(supplier) });
    assert.ok(bad.statusCode === 400 || bad.statusCode === 422, `${bad.statusCode} ${bad.body}`);
  });

  it("proves a party's own entry, hides others' entries, and says when an entry is still pending", async () => {
    await drainAudit(store, testAuditKey);
    const before = (await store.read.audit.latestHead())!;
    assert.equal(
      (await app.inject({ method: 'POST', url: '/v1/arrangements', headers: { ...auth(supplier), ...json }, payload: { manufacturer: 'ProveMe', g321Exemption: false } }))
        .statusCode,
      204,
    );
    const entry = (await store.read.audit.page(0, 1_000)).at(-1)!;
    const pending = await app.inject({ url: `/v1/audit/entries/${entry.id}/inclusion`, headers: auth(supplier) });
    assert.deepEqual([pending.statusCode, pending.json().rule], [409, 'audit-entry-pending']);
    await drainAudit(store, testAuditKey);
    const res = await app.inject({ url: `/v1/audit/entries/${entry.id}/inclusion`, headers: auth(supplier) });
    assert.equal(res.statusCode, 200, res.body);
    const proof = res.json() as InclusionProofJson;
    assert.equal(proof.entry.actorPartyId, supplier.id);
    assert.equal(proof.head.treeSize, (await store.read.audit.latestHead())!.treeSize);
    assert.deepEqual(checkInclusionProof(proof, key), { valid: true, reason: `entry ${entry.id} is leaf ${proof.leafIndex} of the signed tree of ${proof.head.treeSize} leaves` });
    // A tampered leaf, a tampered path, another index, a forged head: each fails the check.
    assert.equal(checkInclusionProof({ ...proof, entry: { ...proof.entry, details: '{"manufacturer":"Other"}' } }, key).valid, false);
    assert.equal(checkInclusionProof({ ...proof, path: proof.path.map((p, i) => (i === 0 ? 'f'.repeat(64) : p)) }, key).valid, false);
    assert.equal(checkInclusionProof({ ...proof, leafIndex: (proof.leafIndex + 1) % proof.head.treeSize }, key).valid, false);
    assert.match(checkInclusionProof({ ...proof, head: { ...proof.head, rootHash: '0'.repeat(64) } }, key).reason, /signature of the tree head/);
    // The same entry edited in the database: the proof served now fails.
    await sql.raw('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only').execute(store.database.db);
    await sql`UPDATE audit_log SET details = '{"manufacturer":"Forged"}' WHERE id = ${entry.id}`.execute(store.database.db);
    await sql.raw('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only').execute(store.database.db);
    const served = (await app.inject({ url: `/v1/audit/entries/${entry.id}/inclusion`, headers: auth(supplier) })).json() as InclusionProofJson;
    assert.equal(checkInclusionProof(served, key).valid, false);
    assert.equal((await verify()).firstBroken.id, entry.id);
    // The party lists its own entries (with their leaves), and only those.
    const mine = (await app.inject({ url: '/v1/audit/entries', headers: auth(supplier) })).json();
    assert.ok(mine.entries.length >= 2);
    assert.ok(mine.entries.every((e: { actorPartyId: string }) => e.actorPartyId === supplier.id));
    assert.equal(mine.entries.find((e: { id: number }) => e.id === entry.id).leafIndex, proof.leafIndex);
    const others = (await app.inject({ url: '/v1/audit/entries', headers: auth(other) })).json().entries as Array<{ actorPartyId: string; action: string }>;
    // The other party sees its own acts only (here, its key's uses), none of the supplier's.
    assert.ok(
      others.every((e) => e.actorPartyId === other.id && e.action === 'api_key.used'),
      JSON.stringify(others),
    );
    const page = (await app.inject({ url: `/v1/audit/entries?limit=1`, headers: auth(dcc) })).json();
    assert.equal(page.entries.length, 1);
    assert.equal((await app.inject({ url: `/v1/audit/entries?after=${page.next}&limit=1`, headers: auth(dcc) })).json().entries[0].id > page.next, true);
    assert.equal((await app.inject({ url: '/v1/audit/entries?limit=501', headers: auth(dcc) })).statusCode, 400);
    // Another supplier may not see it; the DCC may; bad ids and sizes are named.
    assert.equal((await app.inject({ url: `/v1/audit/entries/${entry.id}/inclusion`, headers: auth(other) })).statusCode, 404);
    assert.equal((await app.inject({ url: `/v1/audit/entries/${entry.id}/inclusion`, headers: auth(dcc) })).statusCode, 200);
    const early = await app.inject({ url: `/v1/audit/entries/${entry.id}/inclusion?treeSize=${before.treeSize}`, headers: auth(dcc) });
    assert.deepEqual([early.statusCode, early.json().field], [422, 'treeSize']);
    assert.equal((await app.inject({ url: '/v1/audit/entries/0/inclusion', headers: auth(dcc) })).statusCode, 400);
  });

  it('proves the older signed head a prefix of the latest, and a tampered proof fails', async () => {
    const h1 = (await app.inject({ url: '/v1/audit/heads/latest', headers: auth(other) })).json();
    await app.inject({ method: 'POST', url: '/v1/arrangements', headers: { ...auth(other), ...json }, payload: { manufacturer: 'Later', g321Exemption: false } });
    await drainAudit(store, testAuditKey);
    const res = await app.inject({ url: `/v1/audit/consistency?first=${h1.treeSize}`, headers: auth(other) });
    assert.equal(res.statusCode, 200, res.body);
    const p = res.json() as ConsistencyProofJson;
    // The arrangement and the requests' key uses since the first head: the tree only grew.
    assert.equal(p.first.treeSize, h1.treeSize);
    assert.ok(p.second.treeSize > h1.treeSize, `${p.second.treeSize} > ${h1.treeSize}`);
    assert.equal(checkConsistencyProof(p, key).valid, true);
    assert.equal(checkConsistencyProof({ ...p, path: p.path.map((x, i) => (i === p.path.length - 1 ? 'e'.repeat(64) : x)) }, key).valid, false);
    assert.equal(checkConsistencyProof({ ...p, path: [] }, key).valid, false);
    const missing = await app.inject({ url: '/v1/audit/consistency?first=999999', headers: auth(other) });
    assert.deepEqual([missing.statusCode, missing.json().field], [404, 'first']);
  });

  it('lets only the DCC verify the whole log', async () => {
    assert.equal((await app.inject({ url: '/v1/audit/verify', headers: auth(supplier) })).statusCode, 403);
  });
});
