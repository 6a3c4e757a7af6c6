// The returns report's stock by location: the devices in stock at each stock location, by device
// type, vanilla against region-locked (with the regions the locked ones still belong to), the
// fullest locations first and bounded. The expected figures are counted here, in plain code, from
// the lines the test inserts; the report counts them in SQL.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ForbiddenError, ValidationError, type Party, type ReturnLine } from '../../src/domain/index.ts';
import type { ServiceDeps } from '../../src/services/deps.ts';
import { returnsReport, STOCK_LOCATIONS_DEFAULT, STOCK_LOCATIONS_MAX } from '../../src/services/returns/returns-analytics.ts';
import type { Store } from '../../src/store/store.ts';
import { BACKENDS } from '../support/backends.ts';
import { aDevice, aParty, anEui, depsFor, withParties } from '../support/builders.ts';

const now = new Date('2026-11-01T12:00:00Z');

type Spec = Pick<ReturnLine, 'deviceType' | 'state' | 'vanilla' | 'stockLocation' | 'removedDistributor' | 'changeOfSupplier'> & { party: 'mine' | 'other' };

// Bay 3 the fullest (5 in stock), then depot-north (3), then shelf-9 (2), then a line stocked with no location (1);
// lines not in stock, and another supplier's, count nowhere.
const SPECS: Spec[] = [
  { party: 'mine', deviceType: 'ESME', state: 'in-stock', vanilla: true, stockLocation: 'bay 3', removedDistributor: 10, changeOfSupplier: false },
  { party: 'mine', deviceType: 'ESME', state: 'in-stock', vanilla: true, stockLocation: 'bay 3', removedDistributor: 11, changeOfSupplier: false },
  { party: 'mine', deviceType: 'ESME', state: 'in-stock', vanilla: false, stockLocation: 'bay 3', removedDistributor: 12, changeOfSupplier: false },
  { party: 'mine', deviceType: 'CHF', state: 'in-stock', vanilla: false, stockLocation: 'bay 3', removedDistributor: 14, changeOfSupplier: true },
  { party: 'mine', deviceType: 'CHF', state: 'in-stock', vanilla: false, stockLocation: 'bay 3', removedDistributor: 12, changeOfSupplier: false },
  { party: 'mine', deviceType: 'GSME', state: 'in-stock', vanilla: true, stockLocation: 'depot-north', removedDistributor: 20, changeOfSupplier: false },
  { party: 'mine', deviceType: 'GSME', state: 'in-stock', vanilla: false, stockLocation: 'depot-north', removedDistributor: null, changeOfSupplier: false },
  { party: 'mine', deviceType: 'ESME', state: 'in-stock', vanilla: false, stockLocation: 'depot-north', removedDistributor: 23, changeOfSupplier: true },
  { party: 'mine', deviceType: 'ESME', state: 'in-stock', vanilla: true, stockLocation: 'shelf-9', removedDistributor: 15, changeOfSupplier: false },
  { party: 'mine', deviceType: 'ESME', state: 'in-stock', vanilla: false, stockLocation: 'shelf-9', removedDistributor: 15, changeOfSupplier: false },
  { party: 'mine', deviceType: 'ESME', state: 'in-stock', vanilla: false, stockLocation: null, removedDistributor: 16, changeOfSupplier: false },
  { party: 'mine', deviceType: 'ESME', state: 'reinstalled', vanilla: true, stockLocation: 'bay 3', removedDistributor: 10, changeOfSupplier: false },
  { party: 'mine', deviceType: 'ESME', state: 'scrapped', vanilla: false, stockLocation: null, removedDistributor: 10, changeOfSupplier: false },
  { party: 'mine', deviceType: 'CHF', state: 'triaged', vanilla: false, stockLocation: null, removedDistributor: 10, changeOfSupplier: false },
  { party: 'other', deviceType: 'ESME', state: 'in-stock', vanilla: true, stockLocation: 'bay 3', removedDistributor: 10, changeOfSupplier: false },
  { party: 'other', deviceType: 'ESME', state: 'in-stock', vanilla: false, stockLocation: 'elsewhere', removedDistributor: 17, changeOfSupplier: false },
];

/** The figures the report should give, counted from the specs one by one. */
function expected(specs: readonly Spec[]) {
  const by = new Map<string | null, Map<string, Spec[]>>();
  for (const s of specs) {
    if (s.state !== 'in-stock') continue;
    const types = by.get(s.stockLocation) ?? new Map<string, Spec[]>();
    types.set(s.deviceType, [...(types.get(s.deviceType) ?? []), s]);
    by.set(s.stockLocation, types);
  }
  const figures = (xs: Spec[]) => ({
    inStock: xs.length,
    vanilla: xs.filter((x) => x.vanilla).length,
    regionLocked: xs.filter((x) => !x.vanilla).length,
    regionLockedRegions: [...new Set(xs.filter((x) => !x.vanilla && x.removedDistributor !== null).map((x) => x.removedDistributor!))].sort((a, b) => a - b),
  });
  const locations = [...by.entries()].map(([location, types]) => ({
    location,
    ...figures([...types.values()].flat()),
    deviceTypes: [...types.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([deviceType, xs]) => ({ deviceType, ...figures(xs) })),
  }));
  // The fullest first; equal ones by name, the unnamed last.
  return locations.sort((a, b) => b.inStock - a.inStock || (a.location === null ? 1 : b.location === null ? -1 : a.location < b.location ? -1 : 1));
}

for (const backend of BACKENDS) {
  describe(`the returns report's stock by location on ${backend.name}`, { skip: backend.skip ?? false }, () => {
    let store: Store;
    let deps: ServiceDeps;
    let mine: Party;
    let other: Party;
    let dcc: Party;
    before(async () => {
      store = await backend.open();
      deps = depsFor(store, () => now);
      [mine, other, dcc] = await withParties(store, aParty({ role: 'supplier' }), aParty({ role: 'meter_asset_provider' }), aParty({ role: 'dcc' }));
      const devices = SPECS.map((s) => aDevice({ eui: anEui('5C'), type: s.deviceType as 'ESME' }));
      await store.transaction(async (tx) => {
        await tx.devices.insertMany(devices, now);
        for (const who of [mine, other]) {
          const specs = SPECS.map((s, i) => ({ s, i })).filter(({ s }) => (s.party === 'mine') === (who === mine));
          const returnId = `ret-stock-${who.id}`;
          await tx.returns.insertReturn(
            { id: returnId, partyId: who.id, reference: null, createdBy: 't', createdAt: now },
            specs.map(({ s, i }, n) => ({
              id: `stock-${backend.name}-${i}`,
              returnId,
              lineNo: n + 1,
              deviceEui: devices[i]!.eui,
              deviceType: s.deviceType,
              manufacturer: 'Acme Metering',
              model: 'E470',
              smetsGeneration: 'SMETS2+',
              reason: s.changeOfSupplier ? 'change-of-supplier' : 'no-fault-general',
              found: 'after-installation',
              incidentId: `inc-${i}`,
              changeOfSupplier: s.changeOfSupplier,
              returnedBy: who.id,
              removedFrom: null,
              removedDistributor: s.removedDistributor,
              daysInService: 100,
              state: s.state,
              custodianPartyId: who.id,
              site: 'lab',
              sealsIntact: true,
              triageCount: s.state === 'returned' ? 0 : 1,
              triageParties: s.state === 'returned' ? 0 : 1,
              lastTriagedIn: 0,
              custodyPass: 0,
              outcome: 'no-fault-found',
              fault: null,
              noCredential: null,
              vanilla: s.vanilla,
              grade: s.state === 'in-stock' || s.state === 'reinstalled' ? 'A' : null,
              stockLocation: s.stockLocation,
              scrapReason: s.state === 'scrapped' ? 'worn' : null,
              reinstalledAt: null,
              createdAt: now,
              updatedAt: now,
            })),
          );
        }
      });
    });
    after(async () => store?.close());

    it("counts the party's stock at each location, vanilla against region-locked, the fullest first", async () => {
      const r = await returnsReport(deps, mine);
      const want = expected(SPECS.filter((s) => s.party === 'mine'));
      assert.deepEqual(r.stockByLocation.locations, want);
      assert.equal(r.stockByLocation.total, want.length);
      assert.equal(r.stockByLocation.limit, STOCK_LOCATIONS_DEFAULT);
      assert.match(r.stockByLocation.note, /meterops' default 50/);
      assert.deepEqual(
        r.stockByLocation.locations.map((l) => l.location),
        ['bay 3', 'depot-north', 'shelf-9', null],
      );
      // The totals agree with the report's figures by device type, counted another way.
      assert.equal(
        r.stockByLocation.locations.reduce((n, l) => n + l.inStock, 0),
        r.by.device_type.reduce((n, g) => n + g.inStock, 0),
      );
    });

    it('leaves out change-of-supplier returns when asked, and the DCC sees every party', async () => {
      const noCos = await returnsReport(deps, mine, { excludeChangeOfSupplier: true });
      assert.deepEqual(noCos.stockByLocation.locations, expected(SPECS.filter((s) => s.party === 'mine' && !s.changeOfSupplier)));
      const all = await returnsReport(deps, dcc);
      assert.deepEqual(all.stockByLocation.locations, expected(SPECS));
      assert.equal(all.stockByLocation.total, 5);
      const theirs = await returnsReport(deps, other);
      assert.deepEqual(theirs.stockByLocation.locations, expected(SPECS.filter((s) => s.party === 'other')));
    });

    it('lists at most stockLocationLimit locations, the fullest, and says how many there are', async () => {
      const r = await returnsReport(deps, mine, { stockLocationLimit: 2 });
      assert.deepEqual(r.stockByLocation.locations, expected(SPECS.filter((s) => s.party === 'mine')).slice(0, 2));
      assert.deepEqual([r.stockByLocation.limit, r.stockByLocation.total], [2, 4]);
    });

    it('refuses a limit that is not a whole number from 1 to the maximum, and a party with no returns report', async () => {
      for (const bad of [0, -1, 1.5, STOCK_LOCATIONS_MAX + 1, Number.NaN])
        await assert.rejects(
          returnsReport(deps, mine, { stockLocationLimit: bad }),
          (e: unknown) => e instanceof ValidationError && e.field === 'stockLocationLimit' && e.rule === 'stock-location-limit',
          String(bad),
        );
      const [dno] = await withParties(store, aParty({ role: 'network_operator', distributorId: 10 }));
      await assert.rejects(returnsReport(deps, dno), (e: unknown) => e instanceof ForbiddenError);
    });
  });
}
