import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError, type Party } from '../../src/domain/index.ts';
import { cliActing, type Acting } from '../../src/services/acting.ts';
import { issueApiKey } from '../../src/services/api-keys.ts';
import { authenticateApiKey } from '../../src/services/authenticate.ts';
import type { ServiceDeps } from '../../src/services/deps.ts';
import { listParties, registerParty, reinstateParty, showParty, suspendParty, updateParty } from '../../src/services/parties.ts';
import type { Store } from '../../src/store/store.ts';
import { auditedBy, refusedUnaudited } from '../support/audit.ts';
import { BACKENDS } from '../support/backends.ts';
import { aParty, depsFor, withParties } from '../support/builders.ts';
import { generateTestPki } from '../../src/keys/test-pki.ts';
import { MemoryKeyStore } from '../../src/keys/memory-key-store.ts';
import { keystoreKeySource } from '../../src/services/keystore-key-source.ts';
import type { Eui } from '../../src/domain/index.ts';

const admin = (party: Party): Acting => ({ party, principal: { kind: 'user', id: 'u-admin', person: 'ada', partyId: party.id, roles: ['administrator'] } });
const operator = (party: Party): Acting => ({ party, principal: { kind: 'user', id: 'u-op', person: 'olly', partyId: party.id, roles: ['operator'] } });

for (const backend of BACKENDS) {
  describe(`parties on ${backend.name}`, { skip: backend.skip ?? false }, () => {
    let store: Store;
    let deps: ServiceDeps;
    const platform = aParty({ role: 'dcc' });
    const supplier = aParty({ role: 'supplier' });
    before(async () => {
      store = await backend.open();
      deps = depsFor(store);
      await withParties(store, platform, supplier);
    });
    after(() => store?.close());

    it('registers a Network Operator with its region and EUI, audited, and shows it', async () => {
      const { result } = await auditedBy(store, [{ action: 'party.registered', entity: 'party/no-london', actor: platform.id }], () =>
        registerParty(deps, admin(platform), { id: 'no-london', name: 'London Networks', roles: ['network_operator'], distributorId: 12, eui: '90-B3-D5-1F-30-02-00-00' }),
      );
      assert.deepEqual(
        [result.role, result.userRoles, result.distributorId, result.eui, result.status],
        ['network_operator', ['network_operator'], 12, '90B3D51F30020000', 'active'],
      );
      const shown = await showParty(deps, operator(supplier), 'no-london');
      assert.equal(shown.name, 'London Networks');
      assert.equal(shown.certificates, null, 'the simulated world with no keystore cannot say which certificates it holds');
    });

    it('maps a supplier of both fuels and an Other User triage house', async () => {
      const s = await registerParty(deps, admin(platform), { id: 'dual-fuel', name: 'Dual Fuel Ltd', roles: ['import_supplier', 'gas_supplier'] });
      assert.equal(s.role, 'supplier');
      const t = await registerParty(deps, admin(platform), { id: 'triage-house', name: 'Returns R Us', roles: ['other_user'], kind: 'triage_house' });
      assert.equal(t.role, 'meter_asset_provider');
    });

    it('refuses bad input, naming the field, and writes nothing', async () => {
      const refused = (p: Parameters<typeof registerParty>[2], check: (e: unknown) => boolean) => refusedUnaudited(store, () => registerParty(deps, admin(platform), p), check);
      await refused({ id: 'x-unknown', name: 'X', roles: ['landlord'] }, (e) => e instanceof ValidationError && e.field === 'roles' && /"landlord"/.test(e.message));
      await refused({ id: 'x-noregion', name: 'X', roles: ['network_operator'] }, (e) => e instanceof ValidationError && e.rule === 'network-operator-region');
      await refused({ id: 'x-badregion', name: 'X', roles: ['network_operator'], distributorId: 7 }, (e) => e instanceof ValidationError && e.rule === 'known-distributor-id');
      await refused(
        { id: 'x-dupeui', name: 'X', roles: ['import_supplier'], eui: '90B3D51F30020000' },
        (e) => e instanceof ConflictError && e.field === 'eui' && e.rule === 'party-eui-unique' && /no-london/.test(e.message),
      );
      await refused({ id: 'no-london', name: 'X', roles: ['import_supplier'] }, (e) => e instanceof ConflictError && e.field === 'id');
      await refused({ id: 'Bad Id', name: 'X', roles: ['import_supplier'] }, (e) => e instanceof ValidationError && e.field === 'id' && e.rule === 'party-id');
      await refused({ id: 'x-badeui', name: 'X', roles: ['import_supplier'], eui: 'ZZ' }, (e) => e instanceof ValidationError && e.field === 'eui');
      await refused({ id: 'x-kind', name: 'X', roles: ['import_supplier'], kind: 'triage_house' }, (e) => e instanceof ValidationError && e.field === 'kind');
      assert.equal(await store.read.parties.get('x-unknown'), undefined);
    });

    it('lets only the platform party’s administrators register parties', async () => {
      await refusedUnaudited(
        store,
        () => registerParty(deps, operator(platform), { id: 'x-op', name: 'X', roles: ['import_supplier'] }),
        (e) => e instanceof ForbiddenError && e.rule === 'permission-parties-manage',
      );
      await refusedUnaudited(
        store,
        () => registerParty(deps, admin(supplier), { id: 'x-sup', name: 'X', roles: ['import_supplier'] }),
        (e) => e instanceof ForbiddenError && e.rule === 'platform-party',
      );
    });

    it('lists with filters and cursor pagination, no silent caps', async () => {
      for (let i = 0; i < 5; i++) await registerParty(deps, admin(platform), { id: `page-no-${i}`, name: `NO ${i}`, roles: ['network_operator'], distributorId: 10 + i });
      const nos: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await listParties(deps, operator(supplier), { userRole: 'network_operator', limit: 2, ...(cursor ? { cursor } : {}) });
        assert.ok(page.items.length <= 2);
        nos.push(...page.items.map((p) => p.id));
        cursor = page.next ?? undefined;
        pages++;
      } while (cursor);
      assert.deepEqual(nos, ['no-london', 'page-no-0', 'page-no-1', 'page-no-2', 'page-no-3', 'page-no-4']);
      assert.equal(pages, 3, 'six in pages of two: the third page is the last');
      const suppliers = await listParties(deps, operator(supplier), { role: 'supplier' });
      assert.deepEqual(suppliers.items.map((p) => p.id).sort(), ['dual-fuel', supplier.id].sort());
      assert.equal(suppliers.next, null);
      await assert.rejects(listParties(deps, operator(supplier), { limit: 501 }), (e) => e instanceof ValidationError && e.field === 'limit' && e.rule === 'page-size');
      await assert.rejects(listParties(deps, operator(supplier), { cursor: 'bogus' }), (e) => e instanceof ValidationError && e.field === 'cursor');
      await assert.rejects(listParties(deps, operator(supplier), { role: 'wizard' }), (e) => e instanceof ValidationError && e.field === 'role');
    });

    it('updates roles and region together, refusing a Network Operator without one', async () => {
      const p = await updateParty(deps, admin(platform), 'page-no-0', { distributorId: 23 });
      assert.equal(p.distributorId, 23);
      await assert.rejects(
        updateParty(deps, admin(platform), 'page-no-0', { roles: ['import_supplier'] }),
        (e) => e instanceof ValidationError && e.rule === 'network-operator-region',
      );
      const s = await updateParty(deps, admin(platform), 'page-no-1', { roles: ['import_supplier'], distributorId: null, name: 'Now a supplier' });
      assert.deepEqual([s.role, s.distributorId, s.name], ['supplier', null, 'Now a supplier']);
      await assert.rejects(updateParty(deps, admin(platform), 'page-no-2', { eui: '90B3D51F30020000' }), (e) => e instanceof ConflictError && e.field === 'eui');
      await assert.rejects(updateParty(deps, admin(platform), 'nobody', { name: 'x' }), (e) => e instanceof NotFoundError);
    });

    it("shows which of a party's certificates the deployment's keystore holds", async () => {
      const eui = '90B3D51F300A0001' as Eui;
      const pki = await generateTestPki({ organisations: [{ eui, role: 2, name: 'Cert Supplier', usages: ['ds', 'ka'] }], devices: [] });
      const keys = new MemoryKeyStore();
      for (const k of pki.keys) keys.add(k.eui, k.usage, { certificate: k.certificate });
      const withKeys = depsFor(store, () => new Date(), { keys: keystoreKeySource(keys, '90B3D51F30000002' as Eui) });
      await registerParty(withKeys, admin(platform), { id: 'cert-supplier', name: 'Cert Supplier', roles: ['import_supplier'], eui });
      const shown = await showParty(withKeys, operator(supplier), 'cert-supplier');
      assert.deepEqual(
        shown.certificates,
        pki.keys.map((k) => ({ usage: k.usage, serialNumber: k.certificate.serialNumber, notAfter: new Date(k.certificate.validTo).toISOString() })),
      );
      assert.deepEqual((await showParty(withKeys, operator(supplier), supplier.id)).certificates, [], 'a party with no EUI has none to look up');
    });

    it('suspends a party: its key is refused at once, and works again when reinstated', async () => {
      const issued = await issueApiKey(deps, cliActing(platform), { partyId: 'dual-fuel', name: 'billing', roles: ['operator'] });
      const auth = `Bearer ${issued.secret}`;
      const use = { method: 'GET', url: '/v1/devices' };
      assert.equal((await authenticateApiKey(deps, auth, use)).party.id, 'dual-fuel');
      await auditedBy(store, [{ action: 'party.suspended', entity: 'party/dual-fuel', actor: platform.id }], () =>
        suspendParty(deps, admin(platform), 'dual-fuel', 'licence revoked'),
      );
      await assert.rejects(authenticateApiKey(deps, auth, use), (e) => e instanceof UnauthorizedError && /party dual-fuel is suspended/.test(e.message));
      await assert.rejects(suspendParty(deps, admin(platform), 'dual-fuel', 'again'), (e) => e instanceof ConflictError && e.rule === 'party-status');
      await assert.rejects(suspendParty(deps, admin(platform), 'no-london', ''), (e) => e instanceof ValidationError && e.field === 'reason');
      await assert.rejects(suspendParty(deps, admin(platform), platform.id, 'oops'), (e) => e instanceof ForbiddenError && e.rule === 'platform-party');
      const back = await reinstateParty(deps, admin(platform), 'dual-fuel');
      assert.equal(back.status, 'active');
      assert.equal((await authenticateApiKey(deps, auth, use)).party.id, 'dual-fuel');
    });
  });
}
