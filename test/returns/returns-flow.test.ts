import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type Eui, type Party } from '../../src/domain/index.ts';
import { faultOf } from '../../src/world/devices/faults.ts';
import { Fleet, type SimPremise } from '../../src/world/devices/fleet.ts';
import { generateFleet } from '../../src/world/fleet-service.ts';
import { refurbish, reinstall, scrap } from '../../src/services/returns/refurbish.ts';
import { createReturn, listReturnLines, registerFacility, removalNotices, showReturn, showReturnLine } from '../../src/services/returns/returns.ts';
import { handOver, triage } from '../../src/services/returns/triage.ts';
import { grantSecureStatus } from '../../src/services/returns/facility-grants.ts';
import { DEFAULT_GOVERNANCE } from '../../src/domain/governance.ts';
import type { ServiceDeps } from '../../src/services/deps.ts';
import type { Store } from '../../src/store/store.ts';
import { ROLE } from '../../src/gbcs/payloads/credentials.ts';
import { BACKENDS } from '../support/backends.ts';
import { aParty, depsFor, withParties, worldOf } from '../support/builders.ts';

for (const backend of BACKENDS) {
  describe(`returns, triage and refurbishment on ${backend.name}`, { skip: backend.skip ?? false }, () => {
    let store: Store;
    let deps: ServiceDeps;
    let fleet: Fleet;
    let supplier: Party;
    let manufacturer: Party;
    let dno: Party;
    let dcc: Party;
    // A deployment with a meterops extension: Suppliers may triage SMETS2 by the gold method (the DCC's
    // test hub), at a facility granted for SMETS2 triage. The default (`deps`) is the papers' rule.
    let extended: ServiceDeps;
    let home: SimPremise;
    let elsewhere: SimPremise;
    let esme: Eui;
    const t = new Date('2026-10-01T09:00:00Z');
    const clock = () => t;
    const premiseId = (p: SimPremise) => `fleet-${fleet.tag.toLowerCase()}-p${p.index}`;

    before(async () => {
      store = await backend.open();
      deps = depsFor(store, clock);
      extended = {
        ...deps,
        policy: {
          ...deps.policy,
          governance: { ...DEFAULT_GOVERNANCE, triage: { ...DEFAULT_GOVERNANCE.triage, extensions: [{ generation: 'SMETS2', method: 'gold', roles: ['supplier'] }] } },
        },
      };
      dcc = aParty({ role: 'dcc' });
      manufacturer = aParty({ role: 'manufacturer', name: 'Acme Metering' });
      await withParties(store, dcc, manufacturer);
      const seed = `returns-${backend.name}`;
      await generateFleet(deps, dcc, { premises: 60, seed });
      fleet = new Fleet({ premises: 60, seed });
      const parties = await store.read.parties.list();
      // A premise whose ESME has no fault, and another premise of the same Supplier in another region.
      for (let i = 0; i < fleet.premiseCount && !elsewhere; i++) {
        const p = fleet.premise(i);
        const e = p.devices.ESME!;
        if (!home && faultOf(seed, e, fleet.modelOf('ESME', e)).fault === null) home = p;
        else if (home && p.supplier === home.supplier && p.distributorId !== home.distributorId) elsewhere = p;
      }
      assert.ok(home && elsewhere, 'fixture premises found');
      supplier = parties.find((p) => p.eui === home.supplier)!;
      dno = parties.find((p) => p.role === 'network_operator' && p.distributorId === home.distributorId)!;
      esme = home.devices.ESME!;
      // Secure status granted by the DCC, never declared by the owner.
      await registerFacility(deps, supplier, { id: `sup-lab-${backend.name}`, name: 'Supplier triage lab' });
      await grantSecureStatus(deps, dcc, `sup-lab-${backend.name}`, { basis: 'DCC inspection', smets2Triage: true });
      await registerFacility(deps, supplier, { id: `sup-depot-${backend.name}`, name: 'Van depot' });
      await registerFacility(deps, manufacturer, { id: `mfr-${backend.name}`, name: 'Acme works' });
      await grantSecureStatus(deps, dcc, `mfr-${backend.name}`, { basis: 'DCC inspection' });
    });
    after(async () => store?.close());

    it('takes a meter from return through custody, gold and bronze triage, refurbishment and stock to reinstallation in another DNO region', async () => {
      const hub = home.devices.CHF!;
      const r = await createReturn(deps, supplier, 'agent', {
        reference: 'RMA-1',
        lines: [
          { deviceEui: esme, reason: 'no-fault-general' },
          { deviceEui: hub, reason: 'sm-wan-fault' },
        ],
      });
      const [line, hubLine] = r.lines;
      assert.equal(line!.incidentId, hubLine!.incidentId, 'hub and meter from one premise are one incident');
      assert.equal(line!.removedDistributor, home.distributorId);
      const notices = (await removalNotices(deps, dno)).items;
      assert.ok(
        notices.some((n) => n.deviceEui === esme),
        'the DNO of the region sees the removal',
      );
      assert.equal(await store.read.premises.installationOf(esme), undefined, 'uninstalled');

      // Refusals before custody reaches a facility.
      await assert.rejects(
        triage(deps, supplier, line!.id, { facilityId: `sup-lab-${backend.name}`, method: 'gold' }),
        (e: unknown) => e instanceof ForbiddenError && e.rule === 'not-at-premises',
      );
      await assert.rejects(refurbish(deps, supplier, line!.id, { grade: 'A', location: 'bay 1' }), (e: unknown) => e instanceof ConflictError && e.rule === 'refurbish-order');
      await handOver(deps, supplier, line!.id, { toPartyId: supplier.id, site: `sup-depot-${backend.name}`, seals: [{ id: 'S-1', intact: true }] });
      await assert.rejects(
        triage(deps, supplier, line!.id, { facilityId: `sup-depot-${backend.name}`, method: 'gold' }),
        (e: unknown) => e instanceof ForbiddenError && e.rule === 'secure-facility',
      );
      await handOver(deps, supplier, line!.id, { toPartyId: supplier.id, site: `sup-lab-${backend.name}` });
      await assert.rejects(
        triage(deps, manufacturer, line!.id, { facilityId: `mfr-${backend.name}`, method: 'bronze' }),
        (e: unknown) => e instanceof NotFoundError && e.message === `return line ${line!.id} not found`,
      );

      // By the papers' rule the Supplier may not triage this SMETS2 meter, even at its lab granted for
      // SMETS2 triage: "under current governance for SMETS2, performing triage by anyone other than
      // manufacturers, would not be possible". Nothing is written.
      const before = {
        line: await store.read.returns.line(line!.id),
        events: (await store.read.returns.events(line!.id)).length,
        asset: (await store.read.devices.get(esme))?.assetStatus,
      };
      await assert.rejects(
        triage(deps, supplier, line!.id, { facilityId: `sup-lab-${backend.name}`, method: 'gold' }),
        (e: unknown) =>
          e instanceof ForbiddenError &&
          e.rule === 'triage-governance' &&
          e.message.includes('governance.triage.smets2 (METEROPS_GOVERNANCE) lets only manufacturer triage') &&
          e.message.includes('under current governance for SMETS2, performing triage by anyone other than manufacturers, would not be possible'),
      );
      assert.deepEqual(
        { line: await store.read.returns.line(line!.id), events: (await store.read.returns.events(line!.id)).length, asset: (await store.read.devices.get(esme))?.assetStatus },
        before,
        'the refused pass wrote nothing',
      );

      // Gold triage by the Supplier at its lab granted for SMETS2 triage, where an extension allows it.
      const gold = await triage(extended, supplier, line!.id, { facilityId: `sup-lab-${backend.name}`, method: 'gold' });
      assert.deepEqual(gold.governance, { setting: 'governance.triage.extensions[0]', extension: true }, 'the answer labels the extension');
      assert.equal(gold.result.outcome, 'no-fault-found', JSON.stringify(gold.result.steps));
      const homeNo = fleet.parties.networkOperators.get(home.distributorId)!.eui;
      assert.equal(gold.line.noCredential, homeNo, 'the credential read saw the home region NO');
      await assert.rejects(
        triage(deps, supplier, line!.id, { facilityId: `sup-lab-${backend.name}`, method: 'gold' }),
        (e: unknown) => e instanceof ConflictError && e.rule === 'already-triaged',
      );

      // To the manufacturer, who triages again with its own (bronze) method: the case is opened.
      await handOver(deps, supplier, line!.id, { toPartyId: manufacturer.id, site: `mfr-${backend.name}`, seals: [{ id: 'S-1', intact: true }] });
      const bronze = await triage(deps, manufacturer, line!.id, { facilityId: `mfr-${backend.name}`, method: 'bronze' });
      assert.equal(bronze.result.outcome, 'no-fault-found');
      assert.deepEqual(bronze.governance, { setting: 'governance.triage.smets2', extension: false });
      assert.deepEqual([bronze.line.triageCount, bronze.line.triageParties, bronze.line.sealsIntact], [2, 2, false]);

      // Region-locked: not yet refurbished, it cannot go to another region.
      await assert.rejects(
        refurbish(deps, manufacturer, line!.id, { grade: 'A', location: 'Acme stock' }),
        (e: unknown) => e instanceof ValidationError && e.rule === 'reseal-required',
      );
      const stocked = await refurbish(deps, manufacturer, line!.id, { grade: 'A', location: 'Acme stock', newSeals: ['S-9'] });
      assert.deepEqual([stocked.state, stocked.vanilla, stocked.sealsIntact], ['in-stock', true, true]);
      const dev = (await worldOf(deps).loadDevice(store.read, esme)).device;
      assert.equal(dev.anchors.get(ROLE.networkOperator, 'ds')!.partyEui, fleet.parties.acb.eui, 'vanilla NO cell');

      await handOver(deps, manufacturer, line!.id, { toPartyId: supplier.id, site: 'supplier van stock' });
      const done = await reinstall(deps, supplier, line!.id, premiseId(elsewhere));
      assert.equal(done.state, 'reinstalled');
      const newNo = fleet.parties.networkOperators.get(elsewhere.distributorId)!.eui;
      const after = (await worldOf(deps).loadDevice(store.read, esme)).device;
      assert.deepEqual([after.anchors.get(ROLE.networkOperator, 'ds')!.partyEui, after.anchors.get(ROLE.supplier, 'ds')!.partyEui], [newNo, home.supplier]);
      assert.equal((await store.read.premises.installationOf(esme))?.premiseId, premiseId(elsewhere));
      const history = await showReturnLine(deps, supplier, line!.id);
      assert.deepEqual(
        history.history.map((e) => e.kind),
        ['returned', 'custody', 'custody', 'triage', 'custody', 'triage', 'refurbish', 'stock', 'custody', 'reinstall'],
      );
      assert.equal((await store.read.devices.get(esme))?.assetStatus, 'installed');
    });

    it("refuses to reinstall a device still holding another region's NO credential, and SMETS2 triage at an unregistered facility", async () => {
      const p = fleet.premise((home.index + 1) % fleet.premiseCount);
      const owner = (await store.read.parties.list()).find((x) => x.eui === p.supplier)!;
      const r = await createReturn(deps, owner, 'agent', { lines: [{ deviceEui: p.devices.ESME!, reason: 'change-of-supplier' }] });
      const line = r.lines[0]!;
      assert.equal(line.changeOfSupplier, true);
      await registerFacility(deps, owner, { id: `plain-${backend.name}-${p.index}`, name: 'Lab without SMETS2 registration' });
      await grantSecureStatus(deps, dcc, `plain-${backend.name}-${p.index}`, { basis: 'DCC inspection' });
      await handOver(deps, owner, line.id, { toPartyId: owner.id, site: `plain-${backend.name}-${p.index}` });
      await assert.rejects(
        triage(deps, owner, line.id, { facilityId: `plain-${backend.name}-${p.index}`, method: 'gold' }),
        (e: unknown) => e instanceof ForbiddenError && e.rule === 'triage-governance',
      );
      // Where an extension lets the Supplier triage SMETS2, only at a facility granted for it.
      await assert.rejects(
        triage(extended, owner, line.id, { facilityId: `plain-${backend.name}-${p.index}`, method: 'gold' }),
        (e: unknown) => e instanceof ForbiddenError && e.rule === 'smets2-triage',
      );
      // Put it straight into stock as if refurbished without a credential wipe: the install must be refused.
      await store.transaction((tx) => tx.returns.updateLine(line.id, { state: 'in-stock' }));
      const target = [...Array(fleet.premiseCount).keys()].map((i) => fleet.premise(i)).find((x) => x.supplier === p.supplier && x.distributorId !== p.distributorId)!;
      await assert.rejects(reinstall(deps, owner, line.id, premiseId(target)), (e: unknown) => e instanceof ConflictError && e.rule === 'region-locked');
      assert.equal((await store.read.returns.line(line.id))?.state, 'in-stock', 'nothing changed');
    });

    it('scraps a hub whose model cannot be factory reset, and refuses bad input', async () => {
      let p: SimPremise | undefined;
      for (let i = 0; i < fleet.premiseCount && !p; i++) {
        const c = fleet.premise(i);
        if (
          fleet.modelOf('CHF', c.devices.CHF!).model === 'NW-SB2' &&
          faultOf(fleet.options.seed, c.devices.CHF!, fleet.modelOf('CHF', c.devices.CHF!)).fault === null &&
          c.index !== home.index
        )
          p = c;
      }
      assert.ok(p, 'the fixture fleet has an NW-SB2 hub with no fault');
      const owner = (await store.read.parties.list()).find((x) => x.eui === p.supplier)!;
      // A SMETS2 hub: the Supplier hands it to the manufacturer, who triages it at its works.
      const lab = `mfr-${backend.name}`;
      const r = await createReturn(deps, owner, 'agent', { lines: [{ deviceEui: p.devices.CHF!, reason: 'no-fault-general' }] });
      const line = r.lines[0]!;
      await handOver(deps, owner, line.id, { toPartyId: manufacturer.id, site: lab });
      const tr = await triage(deps, manufacturer, line.id, { facilityId: lab, method: 'gold' });
      assert.equal(tr.result.outcome, 'no-fault-found', JSON.stringify(tr.result.steps));
      const s = await refurbish(deps, manufacturer, line.id, { grade: 'B', location: 'bay 2' });
      assert.equal(s.state, 'scrapped');
      assert.match(s.scrapReason!, /cannot be factory reset/);
      // Still its custodian, so the refusal is the order of steps: a scrapped line is not triaged.
      await assert.rejects(scrap(deps, manufacturer, line.id, 'again'), (e: unknown) => e instanceof ConflictError && e.rule === 'scrap-order');
      await assert.rejects(
        createReturn(deps, supplier, 'agent', { lines: [{ deviceEui: esme, reason: 'bored' }] }),
        (e: unknown) => e instanceof ValidationError && e.rule === 'return-reason',
      );
      await assert.rejects(
        createReturn(deps, supplier, 'agent', {
          lines: [
            { deviceEui: home.devices.ESME!, reason: 'led-fault' },
            { deviceEui: home.devices.ESME!, reason: 'led-fault' },
          ],
        }),
        (e: unknown) => e instanceof ValidationError && e.rule === 'duplicate-device',
      );
      await assert.rejects(
        handOver(deps, supplier, line.id, { toPartyId: supplier.id, site: 'x', seals: [{ id: 'S 1', intact: true }] }),
        (e: unknown) => e instanceof ValidationError,
      );
    });

    it("refuses to show another party's return or return line, and to act on a line it has no part in", async () => {
      const p = fleet.premise((home.index + 2) % fleet.premiseCount);
      const parties = await store.read.parties.list();
      const owner = parties.find((x) => x.eui === p.supplier)!;
      const stranger = parties.find((x) => x.role === 'supplier' && x.id !== owner.id)!;
      const dcc = parties.find((x) => x.role === 'dcc')!;
      const r = await createReturn(deps, owner, 'agent', { lines: [{ deviceEui: p.devices.ESME!, reason: 'meter-exchange' }] });
      const line = r.lines[0]!;
      // Another party's return answers exactly as a missing one.
      const notYours = (e: unknown) => e instanceof NotFoundError && / not found$/.test(e.message) && (e.message.includes(line.id) || e.message.includes(r.order.id));
      await assert.rejects(showReturn(deps, stranger, r.order.id), notYours);
      await assert.rejects(showReturnLine(deps, stranger, line.id), notYours);
      await assert.rejects(handOver(deps, stranger, line.id, { toPartyId: stranger.id, site: 'stranger depot' }), notYours);
      await assert.rejects(scrap(deps, stranger, line.id, 'not mine'), notYours);
      assert.ok(!(await listReturnLines(deps, stranger, { limit: 500 })).items.some((l) => l.id === line.id), "not in the stranger's list");
      // The returning party and the DCC see it; the refusals changed nothing.
      assert.deepEqual(
        (await showReturn(deps, owner, r.order.id)).lines.map((l) => [l.id, l.state, l.custodianPartyId]),
        [[line.id, 'returned', owner.id]],
      );
      assert.equal((await showReturn(deps, dcc, r.order.id)).order.id, r.order.id);
    });
  });
}
