// A facility's secure status is granted by another party (the DCC, or the SSC's approval recorded),
// never declared by its owner (docs/returns.md): the service, the API route and the CLI command,
// each refusal with its rule and nothing written.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type Party } from '../../src/domain/index.ts';
import { DEFAULT_GOVERNANCE } from '../../src/domain/governance.ts';
import { grantSecureStatus, revokeSecureStatus } from '../../src/services/returns/facility-grants.ts';
import { registerFacility } from '../../src/services/returns/returns.ts';
import type { ServiceDeps } from '../../src/services/deps.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { BACKENDS } from '../support/backends.ts';
import { aParty, appFor, depsFor, withParties } from '../support/builders.ts';
import { meterops } from '../support/cli.ts';

const t = new Date('2026-11-02T10:00:00Z');

for (const backend of BACKENDS) {
  describe(`facility secure status, granted by another party, on ${backend.name}`, { skip: backend.skip ?? false }, () => {
    let store: Store;
    let deps: ServiceDeps;
    const dcc = aParty({ role: 'dcc' });
    const ssc = aParty({ role: 'security_sub_committee' });
    const supplier = aParty({ role: 'supplier' });
    const other = aParty({ role: 'supplier' });
    const lab = `grant-lab-${backend.name}`;
    const facilityRow = async (id: string) => store.read.returns.facility(id);
    before(async () => {
      store = await backend.open();
      deps = depsFor(store, () => t);
      await withParties(store, dcc, ssc, supplier, other);
      await registerFacility(deps, supplier, { id: lab, name: 'Supplier lab' });
    });
    after(async () => store?.close());

    it('refuses an owner declaring its facility secure or registered for SMETS2 triage, and registers nothing', async () => {
      for (const field of ['secure', 'smets2Triage'] as const) {
        await assert.rejects(
          registerFacility(deps, supplier, { id: `self-${field}-${backend.name}`, name: 'Self-declared', [field]: true }),
          (e: unknown) =>
            e instanceof ForbiddenError &&
            e.rule === 'secure-status-granted' &&
            e.field === field &&
            e.message.includes('granted by another party (dcc or security_sub_committee: governance.triage.secureStatusGrantedBy), not declared by its owner'),
        );
        assert.equal(await facilityRow(`self-${field}-${backend.name}`), undefined, 'nothing registered');
      }
      const f = await facilityRow(lab);
      assert.deepEqual([f?.secure, f?.smets2Triage, f?.grant, f?.revoked], [false, false, null, null], 'registered not secure');
    });

    it('refuses a grant by the owner, by a party governance does not name, with no basis, or of a missing facility: nothing written', async () => {
      const before = await facilityRow(lab);
      await assert.rejects(
        grantSecureStatus(deps, supplier, lab, { basis: 'our own inspection' }),
        (e: unknown) =>
          e instanceof ForbiddenError && e.rule === 'secure-status-grantor' && e.message.includes(`${supplier.id} is a supplier: only dcc or security_sub_committee grant`),
      );
      await assert.rejects(grantSecureStatus(deps, other, lab, { basis: 'x' }), (e: unknown) => e instanceof ForbiddenError && e.rule === 'secure-status-grantor');
      await assert.rejects(
        grantSecureStatus(deps, dcc, lab, { basis: '  ' }),
        (e: unknown) => e instanceof ValidationError && e.field === 'basis' && /basis of the grant .* is 1 to 200 characters/.test(e.message),
      );
      await assert.rejects(grantSecureStatus(deps, dcc, 'nowhere', { basis: 'x' }), (e: unknown) => e instanceof NotFoundError && e.field === 'facilityId');
      await assert.rejects(revokeSecureStatus(deps, dcc, lab, { reason: 'x' }), (e: unknown) => e instanceof ConflictError && e.rule === 'not-granted');
      // The DCC's own facility is not the DCC's to grant.
      await registerFacility(deps, dcc, { id: `dcc-lab-${backend.name}`, name: 'DCC test lab' });
      await assert.rejects(
        grantSecureStatus(deps, dcc, `dcc-lab-${backend.name}`, { basis: 'x' }),
        (e: unknown) => e instanceof ForbiddenError && e.rule === 'not-own-facility' && e.message.includes('not by its owner'),
      );
      assert.deepEqual(await facilityRow(lab), before, 'the facility is as it was');
    });

    it('records who granted it, when and on what basis; a revocation with its reason; the SSC may grant too', async () => {
      const granted = await grantSecureStatus(deps, ssc, lab, { basis: 'SSC approval SSC-2026-17', smets2Triage: true });
      assert.deepEqual([granted.secure, granted.smets2Triage, granted.grant], [true, true, { by: ssc.id, at: t, basis: 'SSC approval SSC-2026-17' }]);
      assert.deepEqual(await facilityRow(lab), granted, 'as stored');
      await assert.rejects(grantSecureStatus(deps, dcc, lab, { basis: 'again', smets2Triage: true }), (e: unknown) => e instanceof ConflictError && e.rule === 'already-granted');
      await assert.rejects(revokeSecureStatus(deps, supplier, lab, { reason: 'mine' }), (e: unknown) => e instanceof ForbiddenError && e.rule === 'secure-status-grantor');
      await assert.rejects(revokeSecureStatus(deps, dcc, lab, { reason: '' }), (e: unknown) => e instanceof ValidationError && e.field === 'reason');
      const revoked = await revokeSecureStatus(deps, dcc, lab, { reason: 'seals not controlled' });
      assert.deepEqual([revoked.secure, revoked.smets2Triage, revoked.grant, revoked.revoked], [false, false, null, { by: dcc.id, at: t, reason: 'seals not controlled' }]);
      assert.deepEqual(await facilityRow(lab), revoked);
      const entries = (await store.read.audit.page(0, 10_000)).filter((e) => e.entity === `facility/${lab}`).map((e) => [e.action, e.actorPartyId]);
      assert.deepEqual(entries, [
        ['facility.registered', supplier.id],
        ['facility.secure_granted', ssc.id],
        ['facility.secure_revoked', dcc.id],
      ]);
      const details = (await store.read.audit.page(0, 10_000)).find((e) => e.action === 'facility.secure_granted' && e.entity === `facility/${lab}`)!.details;
      assert.deepEqual(JSON.parse(details), { basis: 'SSC approval SSC-2026-17', owner: supplier.id, smets2Triage: true });
    });

    it('follows governance.triage.secureStatusGrantedBy as configured', async () => {
      const onlySsc = {
        ...deps,
        policy: { governance: { ...DEFAULT_GOVERNANCE, triage: { ...DEFAULT_GOVERNANCE.triage, secureStatusGrantedBy: ['security_sub_committee' as const] } } },
      };
      await assert.rejects(
        grantSecureStatus(onlySsc, dcc, lab, { basis: 'x' }),
        (e: unknown) => e instanceof ForbiddenError && /only security_sub_committee grant/.test((e as Error).message),
      );
      assert.equal((await grantSecureStatus(onlySsc, ssc, lab, { basis: 'SSC approval' })).secure, true);
    });

    it('over the API: registration without secure status, the grant and the revocation', async () => {
      const app = await appFor(deps);
      try {
        const as = (p: Party) => ({ authorization: `Bearer key-${p.id}` });
        const post = (p: Party, url: string, payload: object) => app.inject({ method: 'POST', url, headers: as(p), payload });
        const id = `api-lab-${backend.name}`;
        const self = await post(supplier, '/v1/facilities', { id, name: 'API lab', secure: true });
        assert.deepEqual([self.statusCode, self.json().rule, self.json().field], [403, 'secure-status-granted', 'secure']);
        const made = await post(supplier, '/v1/facilities', { id, name: 'API lab' });
        assert.deepEqual([made.statusCode, made.json().secure], [201, false]);
        const refused = await post(supplier, `/v1/facilities/${id}/secure-grant`, { basis: 'self' });
        assert.deepEqual([refused.statusCode, refused.json().rule], [403, 'secure-status-grantor']);
        const g = await post(dcc, `/v1/facilities/${id}/secure-grant`, { basis: 'DCC inspection 2026-11' });
        assert.equal(g.statusCode, 200, g.body);
        assert.deepEqual([g.json().secure, g.json().grant], [true, { by: dcc.id, at: t.toISOString(), basis: 'DCC inspection 2026-11' }]);
        const r = await post(dcc, `/v1/facilities/${id}/secure-revoke`, { reason: 'closed' });
        assert.deepEqual([r.statusCode, r.json().secure, r.json().revoked.by], [200, false, dcc.id]);
      } finally {
        await app.close();
      }
    });
  });
}

describe('meterops facilities grant and revoke', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meterops-grants-'));
  const dcc = aParty({ id: 'grants-dcc', role: 'dcc' });
  const supplier = aParty({ id: 'grants-supplier', role: 'supplier' });
  before(async () => {
    const { store } = await openStore({ kind: 'pglite', dataDir: dir });
    await withParties(store, dcc, supplier);
    await store.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('registers without secure status, refuses the owner, grants and revokes as the DCC', async () => {
    const self = await meterops('facility-add', '--as', supplier.id, '--id', 'cli-lab', '--name', 'CLI lab', '--secure', '--data-dir', dir);
    assert.notEqual(self.code, 0);
    assert.match(self.stderr, /secure status is granted by another party/);
    assert.equal((await meterops('facility-add', '--as', supplier.id, '--id', 'cli-lab', '--name', 'CLI lab', '--data-dir', dir)).code, 0);
    const own = await meterops('facilities', 'grant', 'cli-lab', '--as', supplier.id, '--basis', 'self', '--data-dir', dir);
    assert.notEqual(own.code, 0);
    assert.match(own.stderr, /only dcc or security_sub_committee grant/);
    const g = await meterops('facilities', 'grant', 'cli-lab', '--as', dcc.id, '--basis', 'DCC inspection', '--data-dir', dir);
    assert.equal(g.code, 0, g.stderr);
    assert.deepEqual([JSON.parse(g.stdout).secure, JSON.parse(g.stdout).grant.by], [true, dcc.id]);
    const list = await meterops('facilities', 'list', '--as', supplier.id, '--data-dir', dir);
    assert.match(list.stdout, /cli-lab {2}grants-supplier {2}secure \(granted by grants-dcc\) {2}CLI lab/);
    const r = await meterops('facilities', 'revoke', 'cli-lab', '--as', dcc.id, '--reason', 'closed', '--data-dir', dir);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([JSON.parse(r.stdout).secure, JSON.parse(r.stdout).revoked.reason], [false, 'closed']);
  });
});
