import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConflictError, ForbiddenError, makeMpanCore, NotFoundError, parseEui, StatusIncompatibleError, ValidationError, type Party } from '../../src/domain/index.ts';
import type { ServiceDeps } from '../../src/services/deps.ts';
import { changeAssetStatus, changeInventoryStatus, deviceEvents, listDevices, showDevice } from '../../src/services/device-lifecycle.ts';
import { createPremise, installDevice, showPremise } from '../../src/services/premises.ts';
import { registerDevices } from '../../src/services/register-devices.ts';
import type { Store } from '../../src/store/store.ts';
import { BACKENDS } from '../support/backends.ts';
import { aDeviceInput, anEui, aParty, depsFor, withParties } from '../support/builders.ts';

for (const backend of BACKENDS) {
  describe(`device registry services on ${backend.name}`, { skip: backend.skip ?? false }, () => {
    let store: Store;
    let deps: ServiceDeps;
    let supplier: Party, other: Party, map: Party, dcc: Party, dno: Party;
    before(async () => {
      store = await backend.open();
      deps = depsFor(store);
      [supplier, other, map, dcc, dno] = await withParties(
        store,
        aParty({ role: 'supplier' }),
        aParty({ role: 'supplier' }),
        aParty({ role: 'meter_asset_provider' }),
        aParty({ role: 'dcc' }),
        aParty({ role: 'network_operator', distributorId: 12 }),
      );
    });
    after(async () => store?.close());

    const register = async (actor: Party, over = {}) => {
      const input = aDeviceInput(over);
      const r = await registerDevices(deps, actor, [{ row: 0, input }]);
      assert.equal(r.failed, 0, JSON.stringify(r.rows));
      return parseEui(String(input.eui));
    };

    it('registers with the actor as supplier and custodian, and records who did it', async () => {
      const eui = await register(supplier, { ownerPartyId: map.id });
      const d = await showDevice(deps, supplier, eui);
      assert.equal(d.supplierPartyId, supplier.id);
      assert.equal(d.ownerPartyId, map.id);
      assert.equal(d.inventoryStatus, 'Pending');
      assert.equal(d.assetStatus, 'in_stock');
      const [ev] = await deviceEvents(deps, supplier, eui);
      assert.equal(ev?.lifecycle, 'registry');
      assert.equal(ev?.actorPartyId, supplier.id);
      assert.equal(ev?.reason, 'registered (1 device)');
    });

    it('writes nothing from a half-bad batch and reports every bad row by field and rule', async () => {
      const dupEui = anEui();
      const good = aDeviceInput();
      const rows = [
        { row: 1, input: good },
        { row: 2, input: aDeviceInput({ eui: 'NOT-AN-EUI' }) },
        { row: 3, input: aDeviceInput({ type: 'TOASTER', firmwareVersion: '' }) },
        { row: 4, input: aDeviceInput({ eui: dupEui }) },
        { row: 5, input: aDeviceInput({ eui: dupEui }) },
        { row: 6, input: aDeviceInput({ ownerPartyId: 'no-such-party' }) },
        { row: 7, input: aDeviceInput({ inventoryStatus: 'Commissioned' }) },
      ];
      const r = await registerDevices(deps, supplier, rows);
      assert.equal(r.written, 0);
      const byRow = new Map(r.rows.map((x) => [x.row, x]));
      assert.equal(byRow.get(1)!.ok, true);
      assert.deepEqual(
        byRow.get(2)!.errors.map((e) => [e.field, e.rule]),
        [['eui', 'eui-64']],
      );
      assert.deepEqual(
        byRow.get(3)!.errors.map((e) => [e.field, e.rule]),
        [
          ['type', 'device-type'],
          ['firmwareVersion', 'required'],
        ],
      );
      assert.equal(byRow.get(4)!.ok, true);
      assert.deepEqual(
        byRow.get(5)!.errors.map((e) => e.rule),
        ['unique-in-batch'],
      );
      assert.deepEqual(
        byRow.get(6)!.errors.map((e) => [e.field, e.rule]),
        [['ownerPartyId', 'known-party']],
      );
      assert.deepEqual(
        byRow.get(7)!.errors.map((e) => [e.field, e.rule]),
        [['inventoryStatus', 'status-incompatible']],
      );
      assert.equal(r.failed, 5);
      assert.equal(await store.read.devices.get(parseEui(String(good.eui))), undefined);
      assert.equal(await store.read.devices.get(dupEui), undefined);
    });

    it('refuses an EUI that is already registered', async () => {
      const eui = await register(supplier);
      const r = await registerDevices(deps, supplier, [{ row: 9, input: aDeviceInput({ eui }) }]);
      assert.deepEqual(
        r.rows[0]!.errors.map((e) => e.rule),
        ['unique'],
      );
    });

    it('refuses registration by a party that may not register, or for devices it has nothing to do with', async () => {
      await assert.rejects(registerDevices(deps, dno, [{ row: 0, input: aDeviceInput() }]), ForbiddenError);
      // A row naming none of the caller refuses the whole batch, its good rows too: nothing is written.
      const good = aDeviceInput();
      await assert.rejects(
        registerDevices(deps, supplier, [
          { row: 0, input: good },
          { row: 1, input: aDeviceInput({ supplierPartyId: other.id, custodianPartyId: other.id }) },
        ]),
        (e: unknown) => e instanceof ForbiddenError && e.rule === 'register-own-devices' && /row 1 names none of it/.test(e.message),
      );
      assert.equal(await store.read.devices.get(parseEui(String(good.eui))), undefined);
    });

    it('moves both lifecycles, each move an event with who, when, where and why', async () => {
      const eui = await register(supplier);
      await changeInventoryStatus(deps, supplier, eui, { to: 'InstalledNotCommissioned', reason: 'installed', location: 'SW1A 1AA' });
      await changeInventoryStatus(deps, dcc, eui, { to: 'Commissioned', reason: 'commissioned by DCC' });
      const at = new Date(Date.now() - 3_600_000);
      await changeAssetStatus(deps, supplier, eui, { to: 'installed', occurredAt: at });
      const events = await deviceEvents(deps, supplier, eui);
      assert.deepEqual(
        events.map((e) => [e.lifecycle, e.fromStatus, e.toStatus, e.actorPartyId]),
        [
          ['registry', null, 'registered', supplier.id],
          ['inventory', 'Pending', 'InstalledNotCommissioned', supplier.id],
          ['inventory', 'InstalledNotCommissioned', 'Commissioned', dcc.id],
          ['asset', 'in_stock', 'installed', supplier.id],
        ],
      );
      assert.equal(events[1]!.location, 'SW1A 1AA');
      assert.equal(events[3]!.occurredAt.getTime(), at.getTime());
    });

    it('refuses a forbidden transition with E5 and changes nothing', async () => {
      const eui = await register(supplier);
      await assert.rejects(changeInventoryStatus(deps, supplier, eui, { to: 'Commissioned' }), (e: unknown) => e instanceof StatusIncompatibleError && e.code === 'E5');
      await assert.rejects(changeAssetStatus(deps, supplier, eui, { to: 'refurbished' }), StatusIncompatibleError);
      const d = await showDevice(deps, supplier, eui);
      assert.equal(d.inventoryStatus, 'Pending');
      assert.equal(d.assetStatus, 'in_stock');
      assert.equal((await deviceEvents(deps, supplier, eui)).length, 1);
    });

    it("answers reads and writes of another party's device exactly as for a missing one", async () => {
      const eui = await register(supplier);
      const scoped = (e: unknown) => e instanceof NotFoundError && e.field === 'eui' && e.message === `device ${eui} not found`;
      await assert.rejects(showDevice(deps, other, eui), scoped);
      await assert.rejects(deviceEvents(deps, other, eui), scoped);
      await assert.rejects(changeAssetStatus(deps, other, eui, { to: 'in_transit' }), scoped);
      assert.equal((await showDevice(deps, supplier, eui)).assetStatus, 'in_stock');
      assert.equal(
        (await listDevices(deps, other, { limit: 500 })).items.some((d) => d.eui === eui),
        false,
      );
      assert.equal((await showDevice(deps, dcc, eui)).eui, eui);
      await assert.rejects(showDevice(deps, supplier, anEui()), NotFoundError);
    });

    it('refuses bad transition input: future time, long reason, page size', async () => {
      const eui = await register(supplier);
      await assert.rejects(
        changeAssetStatus(deps, supplier, eui, { to: 'in_transit', occurredAt: new Date(Date.now() + 86_400_000) }),
        (e: unknown) => e instanceof ValidationError && e.field === 'occurredAt',
      );
      await assert.rejects(
        changeAssetStatus(deps, supplier, eui, { to: 'in_transit', reason: 'x'.repeat(501) }),
        (e: unknown) => e instanceof ValidationError && e.field === 'reason',
      );
      await assert.rejects(listDevices(deps, supplier, { limit: 501 }), (e: unknown) => e instanceof ValidationError && e.field === 'limit');
    });

    it('records a premise from its MPAN, installs a hub and a meter joined to it', async () => {
      const premise = await createPremise(deps, supplier, { mpan: makeMpanCore(12, 77_123), postcode: 'sw1a 1aa' });
      assert.equal(premise.distributorId, 12);
      const hub = await register(supplier, { type: 'CHF' });
      const meter = await register(supplier, { type: 'ESME' });
      await assert.rejects(installDevice(deps, supplier, premise.id, { eui: meter }), (e: unknown) => e instanceof ValidationError && e.rule === 'han-device-needs-hub');
      await installDevice(deps, supplier, premise.id, { eui: hub });
      await installDevice(deps, supplier, premise.id, { eui: meter, hubEui: hub });
      const view = await showPremise(deps, supplier, premise.id);
      assert.deepEqual(
        view.installations.map((i) => [i.deviceEui, i.hubEui]).sort(),
        [
          [hub, null],
          [meter, hub],
        ].sort(),
      );
      assert.equal((await showDevice(deps, supplier, meter)).assetStatus, 'installed');
      // A second electricity meter at the premise is refused and nothing changes; a gas meter is not.
      const second = await register(supplier, { type: 'ESME' });
      const registered = (await showDevice(deps, supplier, second)).assetStatus;
      await assert.rejects(
        installDevice(deps, supplier, premise.id, { eui: second, hubEui: hub }),
        (e: unknown) => e instanceof ConflictError && e.rule === 'one-meter-per-fuel' && e.field === 'eui' && e.message.includes(String(meter)),
      );
      assert.equal((await showDevice(deps, supplier, second)).assetStatus, registered, 'the refused meter is as it was');
      assert.notEqual(registered, 'installed');
      assert.equal((await showPremise(deps, supplier, premise.id)).installations.length, 2);
      const gas = await register(supplier, { type: 'GSME' });
      await installDevice(deps, supplier, premise.id, { eui: gas, hubEui: hub });
      assert.equal((await showPremise(deps, supplier, premise.id)).installations.length, 3);
      assert.equal((await showPremise(deps, dno, premise.id)).id, premise.id);
      // Another party's premise answers exactly as a missing one.
      await assert.rejects(showPremise(deps, other, premise.id), (e: unknown) => e instanceof NotFoundError && e.message === `premise ${premise.id} not found`);
      await assert.rejects(
        createPremise(deps, supplier, { mpan: '1200023305968', postcode: 'SW1A 1AA' }),
        (e: unknown) => e instanceof ValidationError && e.rule === 'mpan-check-digit',
      );
    });
  });
}
