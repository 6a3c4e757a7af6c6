import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeMpanCore, type Eui, type KeyedPage, type PageKey, type Party, type ReturnLine } from '../../src/domain/index.ts';
import type { Store } from '../../src/store/store.ts';
import { BACKENDS } from '../support/backends.ts';
import { aDevice, aParty, withParties } from '../support/builders.ts';

/**
 * Keyset pagination of every store-level list, on each backend: paged at several sizes, the pages
 * join to exactly the whole filtered set in the list's order (no row twice, none missing), checked
 * against the expectation computed here from the rows inserted (filtered and sorted in JavaScript,
 * not by the store).
 */
const LIMITS = [1, 2, 5, 500];

async function all<T>(fetch: (page: { after?: PageKey; limit: number }) => Promise<KeyedPage<T>>, limit: number): Promise<T[]> {
  const out: T[] = [];
  let after: PageKey | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const p = await fetch(after ? { after, limit } : { limit });
    assert.ok(p.items.length <= limit, `a page of ${p.items.length} rows over the limit ${limit}`);
    out.push(...p.items);
    if (!p.nextKey) return out;
    assert.equal(p.items.length, limit, 'only the last page is short');
    after = p.nextKey;
  }
  throw new Error('more than 1000 pages');
}

/** Asserts, at every page size, that the pages join to exactly `expected` ids. */
async function pagesJoin<T>(fetch: (page: { after?: PageKey; limit: number }) => Promise<KeyedPage<T>>, id: (t: T) => string | number, expected: ReadonlyArray<string | number>) {
  assert.ok(expected.length > 0, 'the expectation is not empty');
  for (const limit of LIMITS) {
    const got = (await all(fetch, limit)).map(id);
    assert.equal(new Set(got).size, got.length, `no duplicates at limit ${limit}`);
    assert.deepEqual(got, expected, `limit ${limit}`);
  }
}

const asc = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const pad = (n: number) => String(n).padStart(4, '0');
// Timestamps in groups of three equal ones, so that the id must break the ties.
const T0 = Date.parse('2026-11-01T08:00:00.000Z');
const at = (i: number) => new Date(T0 + Math.floor(i / 3) * 60_000);

for (const backend of BACKENDS) {
  describe(`keyset pages of every list on ${backend.name}`, { skip: backend.skip ?? false }, () => {
    let store: Store;
    let supA: Party, supB: Party, map: Party, dno: Party;
    const devices: Array<{ eui: Eui; supplier: string; owner: string | null; custodian: string | null; type: string }> = [];
    const premises: Array<{ id: string; supplier: string; distributorId: number }> = [];
    before(async () => {
      store = await backend.open();
      [supA, supB, map, dno] = await withParties(
        store,
        aParty({ role: 'supplier' }),
        aParty({ role: 'supplier' }),
        aParty({ role: 'meter_asset_provider' }),
        aParty({ role: 'network_operator', distributorId: 12 }),
      );
      const now = new Date(T0);
      await store.transaction(async (tx) => {
        for (let i = 0; i < 23; i++) {
          const d = aDevice({
            type: i % 3 === 0 ? 'GSME' : 'ESME',
            supplierPartyId: i % 2 ? supA.id : supB.id,
            ownerPartyId: i % 4 === 0 ? map.id : null,
            custodianPartyId: i % 5 === 0 ? map.id : null,
          });
          await tx.devices.insertMany([d], now);
          devices.push({ eui: d.eui, supplier: d.supplierPartyId!, owner: d.ownerPartyId, custodian: d.custodianPartyId, type: d.type });
        }
        for (let i = 0; i < 17; i++) {
          const p = { id: `p${backend.name}${pad(i)}`, supplier: i % 3 ? supA.id : supB.id, distributorId: i % 2 ? 12 : 14 };
          await tx.premises.insert({
            id: p.id,
            mpan: makeMpanCore(p.distributorId, 700_000 + i),
            mprn: null,
            postcode: 'SW1A 1AA',
            distributorId: p.distributorId,
            supplierPartyId: p.supplier,
            createdAt: now,
          });
          premises.push(p);
        }
      });
    });
    after(async () => store?.close());

    it('devices: a party sees those it supplies, owns or holds, by EUI, with filters', async () => {
      const mine = (p: string) => devices.filter((d) => d.supplier === p || d.owner === p || d.custodian === p);
      await pagesJoin(
        (pg) => store.read.devices.page({ visibleTo: map.id }, pg),
        (d) => d.eui,
        mine(map.id)
          .map((d) => d.eui)
          .sort(asc),
      );
      await pagesJoin(
        (pg) => store.read.devices.page({ visibleTo: supA.id, type: 'GSME' }, pg),
        (d) => d.eui,
        mine(supA.id)
          .filter((d) => d.type === 'GSME')
          .map((d) => d.eui)
          .sort(asc),
      );
      await pagesJoin(
        (pg) => store.read.devices.page({}, pg),
        (d) => d.eui,
        devices.map((d) => d.eui).sort(asc),
      );
    });

    it("premises: a supplier's own, and a DNO's region", async () => {
      await pagesJoin(
        (pg) => store.read.premises.page({ visibleTo: { partyId: supB.id, distributorId: null } }, pg),
        (p) => p.id,
        premises
          .filter((p) => p.supplier === supB.id)
          .map((p) => p.id)
          .sort(asc),
      );
      await pagesJoin(
        (pg) => store.read.premises.page({ visibleTo: { partyId: dno.id, distributorId: 12 } }, pg),
        (p) => p.id,
        premises
          .filter((p) => p.distributorId === 12)
          .map((p) => p.id)
          .sort(asc),
      );
      await pagesJoin(
        (pg) => store.read.premises.page({ supplierPartyId: supA.id, distributorId: 14 }, pg),
        (p) => p.id,
        premises
          .filter((p) => p.supplier === supA.id && p.distributorId === 14)
          .map((p) => p.id)
          .sort(asc),
      );
    });

    it('facilities, return orders and return lines (a line also shows to a party that handled it)', async () => {
      const facilities = Array.from({ length: 9 }, (_, i) => ({ id: `f${backend.name}${pad(i)}`, partyId: i % 2 ? supA.id : supB.id, secure: i % 3 !== 0 }));
      const orders = Array.from({ length: 7 }, (_, i) => ({ id: `r${backend.name}${pad(i)}`, partyId: i % 2 ? supA.id : supB.id }));
      const lines: ReturnLine[] = [];
      await store.transaction(async (tx) => {
        // A secure facility's status is granted by another party (the store checks a grant is recorded).
        for (const f of facilities)
          await tx.returns.insertFacility({
            ...f,
            name: f.id,
            smets2Triage: f.secure,
            createdAt: new Date(T0),
            grant: f.secure ? { by: dno.id, at: new Date(T0), basis: 'test' } : null,
            revoked: null,
          });
        for (const [i, o] of orders.entries()) {
          const ls = [0, 1].map((k) => aLine(`${o.id}-${k + 1}`, o.id, k + 1, devices[i * 2 + k]!.eui, o.partyId, k === 1 ? map.id : o.partyId));
          lines.push(...ls);
          await tx.returns.insertReturn({ id: o.id, partyId: o.partyId, reference: i % 2 ? 'rma' : null, createdBy: 'test', createdAt: new Date(T0) }, ls);
        }
        // dno handled (custody passed through it) the first line of the third order.
        await tx.returns.appendEvents([{ lineId: lines[4]!.id, kind: 'custody', partyId: dno.id, at: new Date(T0), details: {} }]);
      });
      await pagesJoin(
        (pg) => store.read.returns.facilityPage({ partyId: supA.id, secure: true }, pg),
        (f) => f.id,
        facilities
          .filter((f) => f.partyId === supA.id && f.secure)
          .map((f) => f.id)
          .sort(asc),
      );
      await pagesJoin(
        (pg) => store.read.returns.orderPage({ partyId: supB.id }, pg),
        (o) => o.id,
        orders
          .filter((o) => o.partyId === supB.id)
          .map((o) => o.id)
          .sort(asc),
      );
      const visible = (p: string) => lines.filter((l) => l.returnedBy === p || l.custodianPartyId === p || (p === dno.id && l.id === lines[4]!.id));
      for (const p of [supA.id, map.id, dno.id]) {
        await pagesJoin(
          (pg) => store.read.returns.linePage({ visibleTo: p }, pg),
          (l) => l.id,
          visible(p)
            .map((l) => l.id)
            .sort(asc),
        );
      }
      await pagesJoin(
        (pg) => store.read.returns.linePage({ returnId: orders[3]!.id }, pg),
        (l) => l.id,
        [`${orders[3]!.id}-1`, `${orders[3]!.id}-2`],
      );
    });

    it('removal notices: newest first; a DNO sees its region, a party its own removals', async () => {
      const rows = Array.from({ length: 13 }, (_, i) => ({
        premiseId: premises[i]!.id,
        deviceEui: devices[i]!.eui,
        distributorId: premises[i]!.distributorId,
        dnoPartyId: null,
        removedBy: i % 2 ? supA.id : supB.id,
        removedAt: at(i),
      }));
      await store.transaction((tx) => tx.returns.insertRemovalNotices(rows));
      // Ids are serial: the newest first is the reverse of insertion.
      const inserted = (await all((pg) => store.read.returns.noticePage({}, pg), 500)).filter((n) => premises.some((p) => p.id === n.premiseId));
      const byInsertion = [...inserted].sort((a, b) => a.id - b.id);
      assert.deepEqual(
        byInsertion.map((n) => n.deviceEui),
        rows.map((r) => r.deviceEui),
      );
      const expect = (f: (r: (typeof rows)[number]) => boolean) =>
        byInsertion
          .filter((_, i) => f(rows[i]!))
          .map((n) => n.id)
          .reverse();
      await pagesJoin(
        (pg) => store.read.returns.noticePage({ visibleTo: { partyId: dno.id, distributorId: 12 } }, pg),
        (n) => n.id,
        expect((r) => r.distributorId === 12),
      );
      await pagesJoin(
        (pg) => store.read.returns.noticePage({ visibleTo: { partyId: supA.id, distributorId: null } }, pg),
        (n) => n.id,
        expect((r) => r.removedBy === supA.id),
      );
    });

    it('work orders and vends: newest first, ties within a millisecond broken by id', async () => {
      const orders = Array.from({ length: 15 }, (_, i) => ({
        id: `wo${backend.name}${pad(i)}`,
        supplierPartyId: i % 2 ? supA.id : supB.id,
        premiseId: premises[i % premises.length]!.id,
        state: (i % 4 === 0 ? 'completed' : 'open') as 'completed' | 'open',
        createdBy: 't',
        createdAt: at(i),
        expiresAt: new Date(at(i).getTime() + 86_400_000),
        pulledBy: null,
        pulledAt: null,
        closedAt: null,
        assignedTo: null,
        assignedAt: null,
        assignedBy: null,
      }));
      const vends = Array.from({ length: 15 }, (_, i) => ({
        id: `v${backend.name}${pad(i)}`,
        supplierPartyId: i % 3 ? supA.id : supB.id,
        idempotencyKey: `k${i}`,
        deviceEui: devices[i % 4]!.eui,
        kind: (i % 2 ? 'credit' : 'config') as 'credit' | 'config',
        request: '{}',
        counter: BigInt(i + 1) << 32n,
        code: String(10 ** 19 + i),
        pence: i,
        requestedBy: 't',
        createdAt: at(i),
      }));
      await store.transaction(async (tx) => {
        for (const o of orders) await tx.workOrders.insert(o, []);
        for (const v of vends) await tx.vends.insert(v);
      });
      const newest = <T extends { id: string; createdAt: Date }>(xs: T[]) =>
        [...xs].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || asc(b.id, a.id)).map((x) => x.id);
      await pagesJoin(
        (pg) => store.read.workOrders.page({ supplierPartyId: supA.id }, pg),
        (o) => o.id,
        newest(orders.filter((o) => o.supplierPartyId === supA.id)),
      );
      await pagesJoin(
        (pg) => store.read.workOrders.page({ state: 'open' }, pg),
        (o) => o.id,
        newest(orders.filter((o) => o.state === 'open')),
      );
      await pagesJoin(
        (pg) => store.read.vends.page({ supplierPartyId: supA.id, kind: 'credit' }, pg),
        (v) => v.id,
        newest(vends.filter((v) => v.supplierPartyId === supA.id && v.kind === 'credit')),
      );
      await pagesJoin(
        (pg) => store.read.vends.page({ deviceEui: devices[1]!.eui }, pg),
        (v) => v.id,
        newest(vends.filter((v) => v.deviceEui === devices[1]!.eui)),
      );
    });

    it('vulnerabilities (recorded, or owed a duty under) and duties (soonest deadline first, ties by id)', async () => {
      const vulns = Array.from({ length: 6 }, (_, i) => ({ id: `vu${backend.name}${pad(i)}`, aware: i % 2 ? supA.id : map.id }));
      const duties = vulns.flatMap((v, i) =>
        [supA.id, supB.id].map((partyId, k) => ({
          id: `du${backend.name}${pad(i * 2 + k)}`,
          vulnerabilityId: v.id,
          partyId: i === 0 || partyId === supA.id ? partyId : supA.id,
          deadline: at(i * 2 + k),
        })),
      );
      await store.transaction(async (tx) => {
        for (const v of vulns) {
          await tx.obligations.insertVulnerability({
            id: v.id,
            title: v.id,
            manufacturer: 'Acme',
            models: [],
            firmwareVersions: [],
            component: 'smart_metering_system',
            deviceTypes: [],
            awarePartyId: v.aware,
            awareAt: new Date(T0),
            manufacturerAware: false,
            description: null,
            recordedAt: new Date(T0),
          });
        }
        await tx.obligations.insertDuties(
          duties.map((d) => ({
            ...d,
            duty: 'notify_ssc' as const,
            clause: 'G3.18',
            deviceCount: 1,
            state: 'open' as const,
            evidence: null,
            exemptReason: null,
            closedBy: null,
            closedAt: null,
            sscSteps: null,
            stepsCompleteBy: null,
            createdAt: new Date(T0),
          })),
        );
      });
      // supB owes a duty only under the first vulnerability; map recorded the even ones.
      await pagesJoin(
        (pg) => store.read.obligations.vulnerabilityPage({ visibleTo: supB.id }, pg),
        (v) => v.id,
        [vulns[0]!.id],
      );
      await pagesJoin(
        (pg) => store.read.obligations.vulnerabilityPage({ visibleTo: map.id }, pg),
        (v) => v.id,
        vulns
          .filter((v) => v.aware === map.id)
          .map((v) => v.id)
          .sort(asc),
      );
      await pagesJoin(
        (pg) => store.read.obligations.dutyPage({ partyId: supA.id }, pg),
        (d) => d.id,
        duties
          .filter((d) => d.partyId === supA.id)
          .sort((a, b) => a.deadline.getTime() - b.deadline.getTime() || asc(a.id, b.id))
          .map((d) => d.id),
      );
    });

    it('command requests: newest first (serial ids), by party and status', async () => {
      const rows = Array.from({ length: 12 }, (_, i) => ({
        partyId: i % 2 ? supA.id : supB.id,
        requestedBy: 'alice',
        commandType: 'disable_supply' as const,
        target: `t${i}`,
        status: (i % 3 ? 'sent' : 'held') as 'sent' | 'held',
        requestedAt: at(i),
      }));
      const ids: number[] = [];
      await store.transaction(async (tx) => {
        for (const r of rows) ids.push(await tx.commandRequests.insert(r));
      });
      const expect = (f: (r: (typeof rows)[number]) => boolean) => ids.filter((_, i) => f(rows[i]!)).sort((a, b) => b - a);
      await pagesJoin(
        (pg) => store.read.commandRequests.page({ partyId: supA.id }, pg),
        (r) => r.id,
        expect((r) => r.partyId === supA.id),
      );
      await pagesJoin(
        (pg) => store.read.commandRequests.page({ partyId: supB.id, status: 'held' }, pg),
        (r) => r.id,
        expect((r) => r.partyId === supB.id && r.status === 'held'),
      );
    });

    it("jobs: a party's own, newest first, ties within a millisecond broken by id", async () => {
      const rows = Array.from({ length: 13 }, (_, i) => ({
        id: `00000000-0000-4000-8000-${String(1000 + ((i * 7) % 13)).padStart(12, '0')}`,
        name: 'test-kind',
        partyId: i % 4 === 3 ? supB.id : supA.id,
        parentId: null,
        progressTotal: null,
        createdAt: at(i),
      }));
      await store.transaction(async (tx) => {
        for (const r of rows) await tx.jobs.insert(r);
      });
      const newest = (x: (typeof rows)[number], y: (typeof rows)[number]) => y.createdAt.getTime() - x.createdAt.getTime() || asc(y.id, x.id);
      for (const party of [supA.id, supB.id])
        await pagesJoin(
          (pg) => store.read.jobs.page(party, pg),
          (r) => r.id,
          rows
            .filter((r) => r.partyId === party)
            .sort(newest)
            .map((r) => r.id),
        );
    });
  });
}

function aLine(id: string, returnId: string, lineNo: number, deviceEui: string, returnedBy: string, custodian: string): ReturnLine {
  return {
    id,
    returnId,
    lineNo,
    deviceEui,
    deviceType: 'ESME',
    manufacturer: 'Acme Metering',
    model: 'E470',
    smetsGeneration: 'SMETS2+',
    reason: 'meter-exchange',
    found: 'after-installation',
    incidentId: `inc-${id}`,
    changeOfSupplier: false,
    returnedBy,
    removedFrom: null,
    removedDistributor: null,
    daysInService: null,
    state: 'returned',
    custodianPartyId: custodian,
    site: 'unknown',
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
    createdAt: new Date(T0),
    updatedAt: new Date(T0),
  };
}
