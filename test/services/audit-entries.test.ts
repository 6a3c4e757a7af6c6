// Each state-changing operation that must be audited writes exactly its own entry (action, entity,
// actor), in the same transaction; a refused operation writes none. Dropping any audit() call from
// these operations fails here.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConflictError, ForbiddenError, makeMpanCore, NotFoundError, type Eui, type Party } from '../../src/domain/index.ts';
import { fromHex, toHex } from '../../src/gbcs/byte-reader.ts';
import { runVisit, uploadRows, type DevicePort } from '../../src/cli/hht/hht-client.ts';
import { releaseHeldRequests, submitCommandRequest } from '../../src/services/anomaly-detection.ts';
import { pruneAudit } from '../../src/services/audit.ts';
import type { ServiceDeps } from '../../src/services/deps.ts';
import { recordDeviceAlert } from '../../src/services/device-alerts.ts';
import { changeAssetStatus, changeInventoryStatus } from '../../src/services/device-lifecycle.ts';
import { uploadResponses } from '../../src/services/hht-upload.ts';
import { closeDuty, exemptDuty, recordArrangement, recordVulnerability } from '../../src/services/obligations.ts';
import { judgeMateriality, recordAwareness } from '../../src/services/vulnerability-awareness.ts';
import { createPremise, installDevice } from '../../src/services/premises.ts';
import { registerDevices } from '../../src/services/register-devices.ts';
import { refurbish, reinstall, scrap } from '../../src/services/returns/refurbish.ts';
import { createReturn, registerFacility } from '../../src/services/returns/returns.ts';
import { handOver, triage } from '../../src/services/returns/triage.ts';
import { grantSecureStatus, revokeSecureStatus } from '../../src/services/returns/facility-grants.ts';
import { vend } from '../../src/services/vending.ts';
import { importCoverage, recordWanObservation } from '../../src/services/wan-routing.ts';
import { createWorkOrder, pullWorkOrder } from '../../src/services/work-orders.ts';
import type { Store } from '../../src/store/store.ts';
import type { Esme } from '../../src/world/devices/esme.ts';
import { faultOf } from '../../src/world/devices/faults.ts';
import { Fleet, type SimPremise } from '../../src/world/devices/fleet.ts';
import { generateFleet } from '../../src/world/fleet-service.ts';
import { SimulatedPorts } from '../../src/world/sim-ports.ts';
import { auditedBy, refusedUnaudited } from '../support/audit.ts';
import { BACKENDS } from '../support/backends.ts';
import { aDeviceInput, aParty, depsFor, withConfigurationCodes, withParties, worldOf } from '../support/builders.ts';

const SEED = 'audit-entries';
const PREMISES = 40;
const HHT = 'F0F0F0F0F0F00002' as Eui;

for (const backend of BACKENDS) {
  describe(`every audited operation writes exactly its entry on ${backend.name}`, { skip: backend.skip ?? false }, () => {
    let store: Store;
    let deps: ServiceDeps;
    let fleet: Fleet;
    let parties: Party[];
    const dcc = aParty({ role: 'dcc' });
    const t = { now: new Date('2026-11-02T10:00:00Z') };
    // Each test takes premises of the fleet no other test takes.
    let nextPremise = 0;
    const takePremise = (pred: (p: SimPremise) => boolean = () => true): SimPremise => {
      for (; nextPremise < fleet.premiseCount; nextPremise++) {
        const p = fleet.premise(nextPremise);
        if (pred(p)) {
          nextPremise++;
          return p;
        }
      }
      throw new Error('the fixture fleet has no more such premises');
    };
    const supplierOf = (p: SimPremise) => parties.find((x) => x.eui === p.supplier)!;
    const premiseId = (p: SimPremise) => `fleet-${fleet.tag.toLowerCase()}-p${p.index}`;

    before(async () => {
      store = await backend.open();
      deps = depsFor(store, () => t.now);
      await withParties(store, dcc);
      await auditedBy(store, [{ action: 'fleet.generated', entity: /^fleet\/fleet-[0-9a-f]{4}$/, actor: dcc.id }], () =>
        generateFleet(deps, dcc, { premises: PREMISES, seed: SEED }),
      );
      fleet = new Fleet({ premises: PREMISES, seed: SEED });
      parties = await store.read.parties.list();
    });
    after(async () => store?.close());

    it('registry: registering devices, both lifecycles, a premise and an installation', async () => {
      const supplier = aParty({ role: 'supplier' });
      const other = aParty({ role: 'supplier' });
      await withParties(store, supplier, other);
      const rows = [aDeviceInput({ type: 'CHF' }), aDeviceInput({ type: 'ESME' })].map((input, row) => ({ row, input }));
      await auditedBy(store, [{ action: 'devices.registered', entity: /^registration\/\S+$/, actor: supplier.id }], () => registerDevices(deps, supplier, rows));
      const [hub, meter] = rows.map((r) => r.input.eui as Eui) as [Eui, Eui];
      await auditedBy(store, [{ action: 'device.inventory_status', entity: `device/${hub}`, actor: supplier.id }], () =>
        changeInventoryStatus(deps, supplier, hub, { to: 'InstalledNotCommissioned', reason: 'fitted' }),
      );
      await auditedBy(store, [{ action: 'device.asset_status', entity: `device/${meter}`, actor: supplier.id }], () =>
        changeAssetStatus(deps, supplier, meter, { to: 'in_transit', reason: 'to the van' }),
      );
      await refusedUnaudited(
        store,
        () => changeAssetStatus(deps, other, meter, { to: 'in_stock' }),
        // Another party's device: answered as a missing one.
        (e) => e instanceof NotFoundError,
      );
      const { result: premise } = await auditedBy(
        store,
        (p) => [{ action: 'premise.created', entity: `premise/${p.id}`, actor: supplier.id }],
        () => createPremise(deps, supplier, { mpan: makeMpanCore(14, 424_242), postcode: 'CF10 1AA' }),
      );
      await auditedBy(store, [{ action: 'device.installed', entity: `device/${hub}`, actor: supplier.id }], () => installDevice(deps, supplier, premise.id, { eui: hub }));
    });

    it('obligations: a vulnerability, an arrangement, a duty done and a duty exempted', async () => {
      const supplier = aParty({ role: 'supplier' });
      const maker = 'Audit Entries Hubs';
      await withParties(store, supplier);
      await registerDevices(deps, supplier, [{ row: 0, input: aDeviceInput({ type: 'CHF', smetsGeneration: 'SMETS1', manufacturer: maker, model: 'AE-1' }) }]);
      await auditedBy(store, [{ action: 'arrangement.recorded', entity: `arrangement/${supplier.id}/${maker}`, actor: supplier.id }], () =>
        recordArrangement(deps, supplier, maker, false),
      );
      const { result: v } = await auditedBy(
        store,
        (r) => [{ action: 'vulnerability.recorded', entity: `vulnerability/${r.vulnerability.id}`, actor: supplier.id }],
        () =>
          recordVulnerability(deps, supplier, {
            title: 'Audit entries',
            manufacturer: maker,
            models: ['AE-1'],
            component: 'smart_metering_system',
            deviceTypes: ['CHF'],
            awareAt: t.now,
          }),
      );
      const ssc = v.duties.find((d) => d.duty === 'notify_ssc')!;
      const notice = v.duties.find((d) => d.duty === 'notify_manufacturer')!;
      await auditedBy(store, [{ action: 'duty.done', entity: `duty/${ssc.id}`, actor: supplier.id }], () =>
        closeDuty(deps, supplier, ssc.id, { evidence: 'emailed the SSC, ref AE-1', steps: 'firmware AE-2', completeBy: new Date(t.now.getTime() + 30 * 86_400_000) }),
      );
      await refusedUnaudited(
        store,
        () => closeDuty(deps, supplier, ssc.id, 'again'),
        (e) => e instanceof ConflictError,
      );
      await auditedBy(store, [{ action: 'duty.exempt', entity: `duty/${notice.id}`, actor: supplier.id }], () =>
        exemptDuty(deps, supplier, notice.id, 'the manufacturer published it'),
      );
      const other = aParty({ role: 'supplier' });
      await withParties(store, other);
      await auditedBy(store, [{ action: 'vulnerability.aware', entity: `vulnerability/${v.vulnerability.id}/${other.id}`, actor: supplier.id }], () =>
        recordAwareness(deps, supplier, v.vulnerability.id, { basis: 'notified', partyId: other.id }),
      );
      await auditedBy(store, [{ action: 'vulnerability.materiality', entity: `vulnerability/${v.vulnerability.id}/${other.id}`, actor: other.id }], () =>
        judgeMateriality(deps, other, v.vulnerability.id, { material: false, reason: 'none of ours' }),
      );
      await refusedUnaudited(
        store,
        () => judgeMateriality(deps, other, v.vulnerability.id, { material: true, reason: 'again' }),
        (e) => e instanceof ConflictError,
      );
    });

    it('volume check: a request sent, the first held (alert and request), and the release', async () => {
      const supplier = aParty({ role: 'supplier' });
      await withParties(store, supplier);
      const settings = {
        limits: {
          disable_supply: { max: 1, windowMinutes: 60 },
          credential_replacement: { max: 5, windowMinutes: 60 },
          utrn_vend: { max: 5, windowMinutes: 60 },
          hht_work_order: { max: 5, windowMinutes: 60 },
        },
        alertWithinMinutes: 30,
      };
      const window = `requests/${supplier.id}/disable_supply`;
      // The requests go to three registered meters the supplier supplies.
      const meters = [aDeviceInput(), aDeviceInput(), aDeviceInput()];
      await registerDevices(
        deps,
        supplier,
        meters.map((input, row) => ({ row, input })),
      );
      const [m1, m2, m3] = meters.map((m) => String(m.eui)) as [string, string, string];
      await auditedBy(
        store,
        (r) => [{ action: 'request.sent', entity: `request/${r.id}`, actor: supplier.id }],
        () => submitCommandRequest(deps, supplier, 'alice', { commandType: 'disable_supply', target: m1 }, settings),
      );
      await auditedBy(
        store,
        (r) => [
          { action: 'anomaly.held', entity: window, actor: supplier.id },
          { action: 'request.held', entity: `request/${r.id}`, actor: supplier.id },
        ],
        () => submitCommandRequest(deps, supplier, 'alice', { commandType: 'disable_supply', target: m2 }, settings),
      );
      await auditedBy(
        store,
        (r) => [{ action: 'request.held', entity: `request/${r.id}`, actor: supplier.id }],
        () => submitCommandRequest(deps, supplier, 'alice', { commandType: 'disable_supply', target: m3 }, settings),
      );
      // Another Supplier's request to these meters is refused and leaves no entry.
      const other = aParty({ role: 'supplier' });
      await withParties(store, other);
      await refusedUnaudited(
        store,
        () => submitCommandRequest(deps, other, 'mallory', { commandType: 'disable_supply', target: m1 }, settings),
        (e) => e instanceof NotFoundError && e.field === 'target',
      );
      await refusedUnaudited(
        store,
        () => releaseHeldRequests(deps, supplier, 'alice', 'disable_supply'),
        (e) => e instanceof ForbiddenError && e.rule === 'two-person-release',
      );
      await auditedBy(store, [{ action: 'anomaly.released', entity: window, actor: supplier.id }], () => releaseHeldRequests(deps, supplier, 'bob', 'disable_supply'));
      await auditedBy(store, [{ action: 'request.sent_after_release', entity: window, actor: supplier.id }], () =>
        submitCommandRequest(deps, supplier, 'alice', { commandType: 'disable_supply', target: m2 }, settings),
      );
    });

    it('vending: a code is one entry; its retry and a refused vend are none', async () => {
      const p = takePremise((x) => x.devices.ESME !== undefined);
      const supplier = supplierOf(p);
      const other = parties.find((x) => x.role === 'supplier' && x.eui && x.id !== supplier.id)!;
      const esme = p.devices.ESME!;
      const req = { kind: 'credit' as const, deviceEui: esme, value: 5, valueClass: 'pounds' as const };
      const { result } = await auditedBy(
        store,
        (r) => [{ action: 'vend.credit', entity: `vend/${r.vend.id}`, actor: supplier.id }],
        () => vend(deps, supplier, 'till', 'audit-vend-1', req),
      );
      const again = await auditedBy(store, [], () => vend(deps, supplier, 'till', 'audit-vend-1', req));
      assert.deepEqual([again.result.created, again.result.vend.id], [false, result.vend.id]);
      await refusedUnaudited(
        store,
        () => vend(deps, other, 'till', 'audit-vend-2', req),
        (e) => e instanceof NotFoundError,
      );
      await auditedBy(
        store,
        (r) => [{ action: 'vend.config', entity: `vend/${r.vend.id}`, actor: supplier.id }],
        () =>
          vend(
            depsFor(store, () => t.now, { world: worldOf(deps), policy: { governance: withConfigurationCodes() } }),
            supplier,
            'agent',
            'audit-cfg-1',
            {
              kind: 'config',
              deviceEui: esme,
              action: 'enableSupply',
            },
          ),
      );
    });

    it('no WAN: an observation, a coverage import, a work order created, pulled and its responses uploaded, a device alert', async () => {
      const p = takePremise((x) => x.devices.ESME !== undefined);
      const supplier = supplierOf(p);
      const esme = p.devices.ESME!;
      const pid = premiseId(p);
      await auditedBy(store, [{ action: 'premise.wan_observed', entity: `premise/${pid}`, actor: supplier.id }], () =>
        recordWanObservation(deps, supplier, pid, { hubWan: 'no-wan' }),
      );
      await auditedBy(store, [{ action: 'wan.coverage_imported', entity: 'wan-coverage', actor: dcc.id }], () =>
        importCoverage(deps, dcc, [{ postcode: 'CF10 1AA', coverage: 'partial' }]),
      );
      const { result: created } = await auditedBy(
        store,
        (r) => [{ action: 'work_order.created', entity: `work-order/${r.order.id}`, actor: supplier.id }],
        () => createWorkOrder(deps, supplier, 'planner', { premiseId: pid, commands: [{ deviceEui: esme, useCase: 'ECS45' }] }),
      );
      const orderId = created.order.id;
      const { result: pkg } = await auditedBy(store, [{ action: 'work_order.pulled', entity: `work-order/${orderId}`, actor: supplier.id }], () =>
        pullWorkOrder(deps, supplier, 'engineer', orderId, HHT),
      );
      const ports = new SimulatedPorts(worldOf(deps), deps);
      const port: DevicePort = { openJoinWindow: (d) => ports.openJoinWindow(d), pair: (d, h, a) => ports.pair(d, h, fromHex(a)), send: (d, h, f) => ports.send(d, h, fromHex(f)) };
      // The simulated local delivery is audited too, as the simulated DCC's.
      const { result: records } = await auditedBy(store, [{ action: 'sim.local_delivery', entity: `device/${esme}`, actor: 'dcc-simulation' }], () =>
        runVisit(pkg, port, { now: () => t.now }),
      );
      await auditedBy(store, [{ action: 'hht.upload', entity: `hht-upload/${orderId}`, actor: supplier.id }], () =>
        uploadResponses(deps, supplier, 'engineer', uploadRows({ ...pkg, visit: { records } })),
      );
      const device = (await worldOf(deps).loadDevice(store.read, esme)).device as Esme;
      const alert = toHex(device.alert(0x81c4, p.supplier, t.now));
      await auditedBy(store, [{ action: 'device.alert', entity: `device/${esme}`, actor: 'meterops' }], () => recordDeviceAlert(deps, supplier, alert));
      await auditedBy(store, [], () => recordDeviceAlert(deps, supplier, alert));
    });

    it('returns: a facility, its secure status granted and revoked, a return, custody, triage, refurbishment, reinstallation and a scrap', async () => {
      const noFault = (p: SimPremise) => p.devices.ESME !== undefined && faultOf(SEED, p.devices.ESME, fleet.modelOf('ESME', p.devices.ESME)).fault === null;
      const home = takePremise(noFault);
      const supplier = supplierOf(home);
      const target = takePremise((x) => x.supplier === home.supplier && x.distributorId !== home.distributorId);
      const lab = `audit-lab-${backend.name}`;
      // SMETS2 is the manufacturer's to triage: the Supplier returns, the manufacturer triages and refurbishes at its works.
      const maker = aParty({ role: 'manufacturer' });
      await withParties(store, maker);
      const spare = `audit-spare-${backend.name}`;
      await auditedBy(store, [{ action: 'facility.registered', entity: `facility/${spare}`, actor: supplier.id }], () =>
        registerFacility(deps, supplier, { id: spare, name: 'Spare lab' }),
      );
      await auditedBy(store, [{ action: 'facility.secure_granted', entity: `facility/${spare}`, actor: dcc.id }], () =>
        grantSecureStatus(deps, dcc, spare, { basis: 'SSC approval SSC-1', smets2Triage: true }),
      );
      await auditedBy(store, [{ action: 'facility.secure_revoked', entity: `facility/${spare}`, actor: dcc.id }], () =>
        revokeSecureStatus(deps, dcc, spare, { reason: 'lab closed' }),
      );
      await refusedUnaudited(
        store,
        () => grantSecureStatus(deps, supplier, spare, { basis: 'self' }),
        (e: unknown) => (e as { rule?: string }).rule === 'secure-status-grantor',
      );
      await auditedBy(store, [{ action: 'facility.registered', entity: `facility/${lab}`, actor: maker.id }], () =>
        registerFacility(deps, maker, { id: lab, name: 'Audit works' }),
      );
      await grantSecureStatus(deps, dcc, lab, { basis: 'DCC inspection' });
      const { result: r } = await auditedBy(
        store,
        (x) => [{ action: 'return.created', entity: `return/${x.order.id}`, actor: supplier.id }],
        () =>
          createReturn(deps, supplier, 'agent', {
            lines: [
              { deviceEui: home.devices.ESME!, reason: 'no-fault-general' },
              { deviceEui: home.devices.CHF!, reason: 'sm-wan-fault' },
            ],
          }),
      );
      const [meterLine, hubLine] = r.lines as [(typeof r.lines)[0], (typeof r.lines)[0]];
      const line = `return-line/${meterLine.id}`;
      await auditedBy(store, [{ action: 'return.custody', entity: line, actor: supplier.id }], () => handOver(deps, supplier, meterLine.id, { toPartyId: maker.id, site: lab }));
      await auditedBy(store, [{ action: 'return.triaged', entity: line, actor: maker.id }], () => triage(deps, maker, meterLine.id, { facilityId: lab, method: 'gold' }));
      await auditedBy(store, [{ action: 'return.refurbished', entity: line, actor: maker.id }], () => refurbish(deps, maker, meterLine.id, { grade: 'A', location: 'bay 1' }));
      await handOver(deps, maker, meterLine.id, { toPartyId: supplier.id, site: 'van stock' });
      await auditedBy(store, [{ action: 'return.reinstalled', entity: line, actor: supplier.id }], () => reinstall(deps, supplier, meterLine.id, premiseId(target)));
      await handOver(deps, supplier, hubLine.id, { toPartyId: maker.id, site: lab });
      await triage(deps, maker, hubLine.id, { facilityId: lab, method: 'gold' });
      await auditedBy(store, [{ action: 'return.scrapped', entity: `return-line/${hubLine.id}`, actor: maker.id }], () => scrap(deps, maker, hubLine.id, 'cracked case'));
    });

    it('retention: pruning is itself one entry, by the DCC', async () => {
      const fresh = await backend.open();
      try {
        const d = depsFor(fresh, () => t.now);
        const supplier = aParty({ role: 'supplier' });
        await withParties(fresh, dcc, supplier);
        await recordArrangement(d, supplier, 'Old Maker', false);
        const later = { now: new Date(t.now.getTime() + 40 * 86_400_000) };
        await auditedBy(fresh, [{ action: 'audit.pruned', entity: 'audit', actor: dcc.id }], () =>
          pruneAudit(
            depsFor(fresh, () => later.now),
            dcc,
            30,
          ),
        );
        await refusedUnaudited(
          fresh,
          () => pruneAudit(d, supplier, 30),
          (e) => e instanceof ForbiddenError,
        );
      } finally {
        await fresh.close();
      }
    });
  });
}
