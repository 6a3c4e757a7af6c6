import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { authenticateApiKey } from '../../src/services/authenticate.ts';
import type { ServiceDeps } from '../../src/services/deps.ts';
import { initPlatform } from '../../src/services/init-platform.ts';
import { signIn } from '../../src/services/sign-in.ts';
import { storeOn, type Store } from '../../src/store/store.ts';
import { DEMO_PASSWORD, demoApiKey, demoApproverKey, demoPeople, seedDemo } from '../../src/world/seed-demo.ts';
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
