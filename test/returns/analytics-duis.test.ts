import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ValidationError, type Eui, type Party, type ReturnLine } from '../../src/domain/index.ts';
import { buildHubReturnDuis } from '../../src/gbcs/duis-hub-return.ts';
import { exportHubReturnDuis } from '../../src/services/returns/duis-export.ts';
import { returnsReport, returnsReportCsv } from '../../src/services/returns/returns-analytics.ts';
import { DEFAULT_GOVERNANCE } from '../../src/domain/governance.ts';
import type { ServiceDeps } from '../../src/services/deps.ts';
import type { Store } from '../../src/store/store.ts';
import { BACKENDS } from '../support/backends.ts';
import { aDevice, aParty, anEui, depsFor, withParties } from '../support/builders.ts';
import { DUIS_XSD, skipDuisValidation } from '../support/reference.ts';

const now = new Date('2026-11-01T12:00:00Z');

/** A return line with everything a fixture does not care about filled in. */
function aLine(over: Partial<ReturnLine> & Pick<ReturnLine, 'id' | 'returnId' | 'lineNo' | 'deviceEui' | 'deviceType' | 'model' | 'returnedBy'>): ReturnLine {
  return {
    manufacturer: 'Acme',
    smetsGeneration: 'SMETS2+',
    reason: 'no-fault-general',
    found: 'after-installation',
    incidentId: `inc-${over.lineNo}`,
    changeOfSupplier: false,
    removedFrom: null,
    removedDistributor: 10,
    daysInService: 100,
    state: 'returned',
    custodianPartyId: over.returnedBy,
    site: 'lab',
    sealsIntact: true,
    triageCount: 0,
    triageParties: 0,
    lastTriagedIn: -1,
    custodyPass: 0,
    outcome: null,
    fault: null,
    noCredential: null,
    vanilla: false,
    grade: null,
    stockLocation: null,
    scrapReason: null,
    reinstalledAt: null,
    createdAt: now,
    updatedAt: now,
    ...over,
  };
}

for (const backend of BACKENDS) {
  describe(`returns analytics and DUIS export on ${backend.name}`, { skip: backend.skip ?? false }, () => {
    let store: Store;
    let deps: ServiceDeps;
    let supplier: Party;
    let hub: Eui;
    let maker: Party;
    before(async () => {
      store = await backend.open();
      deps = depsFor(store, () => now);
      supplier = aParty({ role: 'supplier', eui: '90B3D51F30010000' as Eui });
      maker = aParty({ role: 'manufacturer' });
      await withParties(store, supplier, maker);
      const spec: Array<[string, string, Partial<ReturnLine>]> = [
        [
          'CHF',
          'CH-DB1',
          {
            manufacturer: 'Acme Hubs',
            reason: 'sm-wan-fault',
            outcome: 'no-fault-found',
            triageCount: 2,
            triageParties: 2,
            state: 'in-stock',
            vanilla: true,
            grade: 'A',
            removedDistributor: 10,
          },
        ],
        [
          'CHF',
          'NW-SB2',
          { manufacturer: 'Northwind', reason: 'no-fault-general', outcome: 'no-fault-found', triageCount: 1, triageParties: 1, state: 'scrapped', removedDistributor: 11 },
        ],
        ['ESME', 'E470', { reason: 'led-fault', outcome: 'fault', fault: 'led-fault', triageCount: 1, triageParties: 1, state: 'scrapped', removedDistributor: 12 }],
        [
          'ESME',
          'E470',
          {
            reason: 'change-of-supplier',
            changeOfSupplier: true,
            outcome: 'no-fault-found',
            triageCount: 1,
            triageParties: 1,
            state: 'in-stock',
            grade: 'A',
            removedDistributor: 12,
          },
        ],
        ['ESME', 'E470', { reason: 'no-fault-general', outcome: 'no-fault-found', triageCount: 1, triageParties: 1, state: 'in-stock', grade: 'B', removedDistributor: 13 }],
        ['GSME', 'G4', { reason: 'damaged-case', removedDistributor: 14 }],
      ];
      const devices = spec.map(([type, model]) => aDevice({ eui: anEui('AC'), type: type as 'CHF', model }));
      hub = devices[1]!.eui;
      await store.transaction(async (tx) => {
        await tx.devices.insertMany(devices, now);
        await tx.returns.insertReturn(
          { id: `ret-fixture-${backend.name}`, partyId: supplier.id, reference: null, createdBy: 't', createdAt: now },
          spec.map(([type, model, over], i) =>
            aLine({
              id: `fx-${backend.name}-${i + 1}`,
              returnId: `ret-fixture-${backend.name}`,
              lineNo: i + 1,
              deviceEui: devices[i]!.eui,
              deviceType: type,
              model,
              returnedBy: supplier.id,
              ...over,
            }),
          ),
        );
        // Each triaged line's passes: the last by the manufacturer (SMETS2 is the manufacturer's to triage), an earlier one by the Supplier.
        await tx.returns.appendEvents(
          spec.flatMap(([, , over], i) =>
            Array.from({ length: over.triageCount ?? 0 }, (_, k) => ({
              lineId: `fx-${backend.name}-${i + 1}`,
              kind: 'triage' as const,
              partyId: k === (over.triageCount ?? 0) - 1 ? maker.id : supplier.id,
              at: now,
              details: { method: k === (over.triageCount ?? 0) - 1 ? 'bronze' : 'gold', outcome: over.outcome },
            })),
          ),
        );
      });
    });
    after(async () => store?.close());

    it(`does not count as NFF a pass by a party governance does not let triage the device: "under current governance for SMETS2, performing triage by anyone other than manufacturers, would not be possible"`, async () => {
      const own = aParty({ role: 'supplier' });
      await withParties(store, own);
      const devices = ['SMETS2+', 'SMETS1'].map((g) => aDevice({ eui: anEui('AE'), type: 'ESME', model: 'E470', smetsGeneration: g as 'SMETS1' }));
      const ret = `ret-own-${backend.name}`;
      await store.transaction(async (tx) => {
        await tx.devices.insertMany(devices, now);
        await tx.returns.insertReturn(
          { id: ret, partyId: own.id, reference: null, createdBy: 't', createdAt: now },
          devices.map((d, i) =>
            aLine({
              id: `${ret}-${i + 1}`,
              returnId: ret,
              lineNo: i + 1,
              deviceEui: d.eui,
              deviceType: 'ESME',
              model: 'E470',
              returnedBy: own.id,
              smetsGeneration: d.smetsGeneration,
              outcome: 'no-fault-found',
              triageCount: 1,
              triageParties: 1,
            }),
          ),
        );
        // The Supplier's own bronze pass on each: on the SMETS2 meter it was not the Supplier's to run.
        await tx.returns.appendEvents(devices.map((_, i) => ({ lineId: `${ret}-${i + 1}`, kind: 'triage' as const, partyId: own.id, at: now, details: { method: 'bronze' } })));
      });
      const figures = (r: Awaited<ReturnType<typeof returnsReport>>) => [r.overall.returns, r.overall.triaged, r.overall.nff, r.overall.nffNotCounted, r.overall.nffRate];
      assert.deepEqual(figures(await returnsReport(deps, own)), [2, 2, 1, 1, 50], 'the SMETS1 NFF counts; the SMETS2 one does not');
      const generation = (await returnsReport(deps, own)).by.smets_generation.map((g) => [g.key, g.nff, g.nffNotCounted]);
      assert.deepEqual(generation.sort(), [
        ['SMETS1', 1, 0],
        ['SMETS2+', 0, 1],
      ]);
      const extended = (x: object) => ({ ...deps, policy: { governance: { ...DEFAULT_GOVERNANCE, triage: { ...DEFAULT_GOVERNANCE.triage, extensions: [x as never] } } } });
      // A configured extension for that device type and method makes the pass count; one for another method does not.
      assert.deepEqual(figures(await returnsReport(extended({ generation: 'SMETS2', deviceType: 'ESME', method: 'bronze', roles: ['supplier'] }), own)), [2, 2, 2, 0, 100]);
      assert.deepEqual(figures(await returnsReport(extended({ generation: 'SMETS2', deviceType: 'ESME', method: 'gold', roles: ['supplier'] }), own)), [2, 2, 1, 1, 50]);
      assert.match(returnsReportCsv(await returnsReport(deps, own)).split('\n')[1]!, /,1$/, 'the CSV has the NFF not counted');
    });

    it('breaks returns down by age in service and by found before / after installation, counts stock per variant, and attributes CH + meter incidents', async () => {
      // The triage paper: "triage was mostly carried out on meters that were returned upon installation,
      // not meters that were five-plus years old"; the refurbishment paper's "over 100 extra stock
      // locations" come from "a multi-source strategy and the different meter variants".
      const other = aParty({ role: 'supplier' });
      await withParties(store, other);
      const spec: Array<[string, string, Partial<ReturnLine>]> = [
        ['CHF', 'CH-DB1', { manufacturer: 'Acme Hubs', incidentId: 'inc-A', outcome: 'fault', daysInService: 10, state: 'scrapped' }],
        ['ESME', 'E470', { incidentId: 'inc-A', outcome: 'no-fault-found', daysInService: 10, state: 'in-stock', removedDistributor: 10 }],
        [
          'CHF',
          'CH-DB1',
          {
            manufacturer: 'Acme Hubs',
            incidentId: 'inc-B',
            outcome: 'no-fault-found',
            found: 'before-installation',
            daysInService: null,
            state: 'in-stock',
            removedDistributor: 11,
          },
        ],
        ['ESME', 'E470', { incidentId: 'inc-B', outcome: 'fault', daysInService: 400, state: 'scrapped' }],
        ['CHF', 'CH-SB1', { manufacturer: 'Acme Hubs', incidentId: 'inc-C', outcome: null, daysInService: 2_000 }],
        ['GSME', 'G4', { incidentId: 'inc-C', outcome: 'no-fault-found', daysInService: 100 }],
        ['ESME', 'E480', { incidentId: 'inc-D', outcome: 'no-fault-found', state: 'in-stock', removedDistributor: 12 }],
        ['ESME', 'E470', { incidentId: 'inc-E', outcome: 'no-fault-found', state: 'in-stock', removedDistributor: 12 }],
      ];
      const devices = spec.map(([type, model]) => aDevice({ eui: anEui('AD'), type: type as 'CHF', model }));
      await store.transaction(async (tx) => {
        await tx.devices.insertMany(devices, now);
        await tx.returns.insertReturn(
          { id: `ret-ages-${backend.name}`, partyId: other.id, reference: null, createdBy: 't', createdAt: now },
          spec.map(([type, model, over], i) =>
            aLine({
              id: `ages-${backend.name}-${i + 1}`,
              returnId: `ret-ages-${backend.name}`,
              lineNo: i + 1,
              deviceEui: devices[i]!.eui,
              deviceType: type,
              model,
              returnedBy: other.id,
              ...over,
            }),
          ),
        );
      });
      const r = await returnsReport(deps, other);
      const counts = (d: 'found' | 'age_in_service') => Object.fromEntries(r.by[d].map((g) => [g.key, g.returns]));
      assert.deepEqual(counts('found'), { 'after-installation': 7, 'before-installation': 1 });
      assert.deepEqual(counts('age_in_service'), { 'not installed': 1, 'under 30 days': 2, '30 days to 1 year': 3, '1 to 5 years': 1, '5 years and over': 1 });
      // In stock: E470 in regions 10 and 12, CH-DB1 in 11, E480 in 12. Per type: CHF 1 + ESME 2; per variant: 1 + 2 + 1.
      assert.deepEqual(r.stockLocations, { withVanilla: 2, regionLocked: 3, byVariant: { withVanilla: 3, regionLocked: 4 } });
      // inc-A: the hub was faulty; inc-B: the meter; inc-C: the hub not yet triaged; inc-D, inc-E: no hub with them.
      assert.deepEqual(r.incidents, { incidents: 3, hub: 1, meter: 1, both: 0, neither: 0, unknown: 1 });
    });

    it('matches the hand-computed figures of the fixture', async () => {
      const r = await returnsReport(deps, supplier);
      const o = r.overall;
      assert.deepEqual([o.returns, o.triaged, o.nff, o.fault, o.nffRate, o.repeatTriage, o.multiParty, o.triagePasses, o.refurbished, o.scrapped], [6, 5, 4, 1, 80, 1, 1, 6, 3, 2]);
      assert.deepEqual(r.money, {
        testPence: 6 * 743,
        refurbishPence: 3 * 827,
        scrapPence: 3087,
        logisticsPence: 6 * 250,
        avoidedPence: 5875 - 827,
        avoidedPerRefurbishedHubPence: 5048,
      });
      // In stock: CH-DB1 (region 10), two E470s (regions 12, 13): per type CHF 1 + ESME 2; per variant the same two models.
      assert.deepEqual(r.stockLocations, { withVanilla: 2, regionLocked: 3, byVariant: { withVanilla: 2, regionLocked: 3 } });
      const e470 = r.by.model.find((g) => g.key === 'Acme E470')!;
      assert.deepEqual([e470.returns, e470.triaged, e470.nff, e470.nffRate], [3, 3, 2, 66.7]);
      const noCos = await returnsReport(deps, supplier, { excludeChangeOfSupplier: true });
      assert.deepEqual([noCos.overall.returns, noCos.overall.triaged, noCos.overall.nff, noCos.overall.nffRate], [5, 4, 3, 75]);
      const csv = returnsReportCsv(r);
      assert.match(csv.split('\n')[1]!, /^overall,"all",6,5,4,1,0,80,1,1,3,2,1,2,0$/);
      assert.ok(csv.includes('reason,"led-fault",1,1,0,1,0,0,'), csv);
      const costlier = await returnsReport({ ...deps, policy: { returnCosts: { nffTestPence: 1000 } } }, supplier);
      assert.equal(costlier.money.testPence, 6000);
    });

    it('exports a hub return as DUIS 8.14.4 that validates against the DUIS 5.4 schema', { skip: skipDuisValidation() }, async () => {
      const xml = await exportHubReturnDuis(deps, supplier, `ret-fixture-${backend.name}`, {
        line: 2,
        incidentReference: 'INC-0001',
        userRefId: 'RMA-2026-001',
        additionalInformation: 'returned with the meter',
      });
      assert.match(xml, /<sr:CHFNoFaultReturnType>No Fault Return \(general\)<\/sr:CHFNoFaultReturnType>/);
      assert.ok(xml.includes(`<sr:DeviceID>${hub.match(/../g)!.join('-')}</sr:DeviceID>`));
      validate(xml);
      validate(
        buildHubReturnDuis({
          user: supplier.eui!,
          dcc: '90B3D51F30000002' as Eui,
          counter: 7n,
          deviceId: hub,
          incidentReference: 'INC-2',
          body: {
            variant: '8.14.3',
            faultReturnType: 'Fault identified prior to installation',
            faultReason: 'Damaged case',
            otherDeviceId: anEui('AD'),
            connectionMethod: 'Cradle',
          },
        }),
      );
    });

    it('refuses DUIS fields over their limits and returns without a hub', async () => {
      const id = `ret-fixture-${backend.name}`;
      await assert.rejects(
        exportHubReturnDuis(deps, supplier, id, { line: 2, incidentReference: 'X'.repeat(16) }),
        (e: unknown) => e instanceof ValidationError && e.field === 'incidentReference' && e.rule === 'duis-max-length',
      );
      await assert.rejects(
        exportHubReturnDuis(deps, supplier, id, { line: 2, userRefId: 'X'.repeat(26) }),
        (e: unknown) => e instanceof ValidationError && e.field === 'userRefId',
      );
      await assert.rejects(
        exportHubReturnDuis(deps, supplier, id, { line: 2, additionalInformation: 'X'.repeat(201) }),
        (e: unknown) => e instanceof ValidationError && e.field === 'additionalInformation',
      );
      await assert.rejects(exportHubReturnDuis(deps, supplier, id), (e: unknown) => e instanceof ValidationError && e.rule === 'hub-line');
      await assert.rejects(exportHubReturnDuis(deps, supplier, id, { line: 3 }), (e: unknown) => e instanceof ValidationError && e.rule === 'hub-line');
    });
  });
}

function validate(xml: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'duis-'));
  try {
    writeFileSync(join(dir, 'r.xml'), xml);
    execFileSync('xmllint', ['--noout', '--schema', DUIS_XSD, join(dir, 'r.xml')], { stdio: 'pipe' });
  } catch (e) {
    assert.fail(`xmllint: ${String((e as { stderr?: Buffer }).stderr ?? e)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
