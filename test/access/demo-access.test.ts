import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { authenticateApiKey } from '../../src/services/authenticate.ts';
import type { ServiceDeps } from '../../src/services/deps.ts';
import { initPlatform } from '../../src/services/init-platform.ts';
import { signIn } from '../../src/services/sign-in.ts';
import { storeOn, type Store } from '../../src/store/store.ts';
import type { KeyObject } from 'node:crypto';
import { cliActing } from '../../src/services/acting.ts';
import { showParty } from '../../src/services/parties.ts';
import { Fleet } from '../../src/world/devices/fleet.ts';
import { DEMO_FLEET, DEMO_PASSWORD, demoApiKey, demoApproverKey, demoPeople, seedDemo } from '../../src/world/seed-demo.ts';
import { freshPglite } from '../support/backends.ts';
import { depsFor } from '../support/builders.ts';

describe('the demo on an initialised database', () => {
  let store: Store;
  let deps: ServiceDeps;
  before(async () => {
    store = storeOn(await freshPglite());
    deps = depsFor(store);
    const init = await initPlatform(deps);
    assert.equal(init.created, true);
    await seedDemo(deps);
  });
  after(() => store?.close());

  it('keeps the platform party (now with the demo DCC EUI) and its administrator', async () => {
    const dcc = await store.read.parties.record('dcc');
    assert.deepEqual([dcc?.role, dcc?.eui, dcc?.userRoles], ['dcc', '90B3D51F30000002', ['dcc']]);
    assert.equal((await store.read.users.byUsername('admin'))?.partyId, 'dcc');
  });

  it("shows a simulated fleet party's certificates from the simulation's CA, over the keys the fleet derives", async () => {
    const fleet = new Fleet(DEMO_FLEET);
    const supplierA = fleet.parties.suppliers[0]!;
    const party = (await store.read.parties.list()).find((p) => p.eui === supplierA.eui)!;
    const shown = await showParty(deps, cliActing(party), party.id);
    assert.deepEqual(
      shown.certificates?.map((c) => c.usage),
      ['ds', 'ka', 'pp-ka'],
    );
    const certs = await deps.store.transaction((tx) => deps.keySource.partyCertificates!(tx, supplierA.eui));
    const spki = (k: KeyObject) => k.export({ type: 'spki', format: 'der' }).toString('hex');
    assert.deepEqual(
      certs?.map((c) => spki(c.certificate.publicKey)),
      [supplierA.ds, supplierA.ka!, supplierA.ppKa!].map((k) => spki(k.publicKey)),
    );
  });

  it('keeps the demo keys working, with an approver key and two people per party', async () => {
    const use = { method: 'GET', url: '/v1/devices' };
    const key = await authenticateApiKey(deps, `Bearer ${demoApiKey('supplier-a')}`, use);
    assert.deepEqual([key.party.id, key.person, key.principal.roles], ['supplier-a', 'demo key', ['operator', 'field_engineer', 'auditor']]);
    const approver = await authenticateApiKey(deps, `Bearer ${demoApproverKey('supplier-a')}`, use);
    assert.deepEqual(approver.principal.roles, ['approver']);
    const [alice, bob] = demoPeople('supplier-a');
    for (const p of [alice!, bob!]) {
      const s = await signIn(deps, { username: p.username, password: DEMO_PASSWORD, source: 'test' });
      assert.deepEqual([s.user.partyId, s.user.roles], ['supplier-a', p.roles]);
    }
  });
});
