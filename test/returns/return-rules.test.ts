// The returns rules (docs/returns.md; seeds 000 and 002) one by one, without a database: each
// refusal is the one error and rule the docs name, and a step that breaks no rule passes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type Facility, type Party, type Premise, type ReturnLine } from '../../src/domain/index.ts';
import { DEFAULT_GOVERNANCE, type Governance } from '../../src/domain/governance.ts';
import {
  assertCanHandOver,
  assertCanRefurbish,
  assertCanRefurbishAs,
  assertCanReinstall,
  assertCanScrap,
  assertCanTriage,
  assertCustodian,
  assertRegionFits,
  cannotResetReason,
} from '../../src/services/returns/return-rules.ts';
import { aParty } from '../support/builders.ts';

const holder = aParty({ role: 'supplier' });
const maker = aParty({ role: 'manufacturer' });
const other = aParty({ role: 'supplier' });

const aLine = (over: Partial<ReturnLine> = {}): ReturnLine =>
  ({
    id: 'line-1',
    returnId: 'ret-1',
    lineNo: 1,
    deviceEui: '00DB000000000001',
    deviceType: 'ESME',
    manufacturer: 'Acme',
    model: 'E470',
    smetsGeneration: 'SMETS2+',
    reason: 'no-fault-general',
    found: 'after-installation',
    incidentId: 'inc-1',
    changeOfSupplier: false,
    returnedBy: holder.id,
    removedFrom: 'prem-1',
    removedDistributor: 12,
    daysInService: 100,
    state: 'returned',
    custodianPartyId: holder.id,
    site: 'lab-1',
    sealsIntact: true,
    triageCount: 0,
    triageParties: 0,
    lastTriagedIn: 0,
    custodyPass: 1,
    outcome: null,
    fault: null,
    noCredential: null,
    vanilla: false,
    grade: null,
    stockLocation: null,
    scrapReason: null,
    reinstalledAt: null,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...over,
  }) as ReturnLine;
const granted = { by: 'dcc', at: new Date(0), basis: 'DCC inspection' };
const aFacility = (over: Partial<Facility> = {}): Facility => ({
  id: 'lab-1',
  partyId: holder.id,
  name: 'Lab',
  secure: true,
  smets2Triage: true,
  createdAt: new Date(0),
  grant: granted,
  revoked: null,
  ...over,
});
// The manufacturer's line at its works: the one party the papers' rule lets triage SMETS2.
const mLine = (over: Partial<ReturnLine> = {}) => aLine({ custodianPartyId: maker.id, ...over });
const works = (over: Partial<Facility> = {}) => aFacility({ partyId: maker.id, smets2Triage: false, ...over });
const triage = (actor: Party, l: ReturnLine, f: Facility, method: 'gold' | 'bronze' = 'gold', g: Governance = DEFAULT_GOVERNANCE) => assertCanTriage(actor, l, f, method, g);
const withExtension = (x: Governance['triage']['extensions'][number]): Governance => ({ ...DEFAULT_GOVERNANCE, triage: { ...DEFAULT_GOVERNANCE.triage, extensions: [x] } });
const PAPER = 'under current governance for SMETS2, performing triage by anyone other than manufacturers, would not be possible';
const aPremise = (over: Partial<Premise> = {}): Premise => ({
  id: 'prem-2',
  mpan: null,
  mprn: null,
  postcode: 'SW1A 1AA',
  distributorId: 14,
  supplierPartyId: holder.id,
  createdAt: new Date(0),
  ...over,
});

// Each refusal names the input that broke the rule (the problem+json `field`) and, in its message,
// what it is about: the device for rules on the line, the facility or the premise for theirs.
const FIELD: Record<string, string> = {
  custody: 'lineId',
  'return-closed': 'lineId',
  'triage-order': 'lineId',
  'already-triaged': 'lineId',
  'not-at-premises': 'lineId',
  'refurbish-order': 'lineId',
  'not-nff': 'lineId',
  'scrap-order': 'lineId',
  'reinstall-order': 'lineId',
  'region-locked': 'lineId',
  'own-facility': 'facilityId',
  'secure-facility': 'facilityId',
  'not-at-facility': 'facilityId',
  'smets2-triage': 'facilityId',
  'triage-governance': 'lineId',
  'supplier-of-premise': 'premiseId',
  'dno-region': 'premiseId',
  'reseal-required': 'newSeals',
};
const SUBJECT: Record<string, RegExp> = {
  lineId: /00DB000000000001/,
  newSeals: /00DB000000000001/,
  premiseId: /prem-2/,
  facilityId: /lab-1/,
};
const refused = (kind: new (...a: never[]) => Error, rule: string) => (e: unknown) => {
  if (!(e instanceof kind) || (e as { rule?: string }).rule !== rule) return false;
  const field = FIELD[rule]!;
  assert.equal((e as { field?: string }).field, field, `${rule}: field`);
  assert.match(e.message, SUBJECT[field]!, `${rule}: message names its subject`);
  return true;
};

describe('returns rules', () => {
  it('custody: only the custodian acts on a line', () => {
    assert.doesNotThrow(() => assertCustodian(holder, aLine()));
    assert.throws(
      () => assertCustodian(other, aLine()),
      (e: unknown) => refused(ForbiddenError, 'custody')(e) && (e as Error).message === `00DB000000000001 is in the custody of ${holder.id}, not ${other.id}`,
    );
    assert.throws(() => assertCustodian(holder, aLine({ custodianPartyId: other.id })), refused(ForbiddenError, 'custody'));
  });

  it('hand-over: by the custodian, not once the return is closed', () => {
    assert.doesNotThrow(() => assertCanHandOver(holder, aLine()));
    assert.doesNotThrow(() => assertCanHandOver(holder, aLine({ state: 'in-stock' })));
    assert.throws(() => assertCanHandOver(other, aLine()), refused(ForbiddenError, 'custody'));
    assert.throws(() => assertCanHandOver(holder, aLine({ state: 'scrapped' })), refused(ConflictError, 'return-closed'));
    assert.throws(() => assertCanHandOver(holder, aLine({ state: 'reinstalled' })), refused(ConflictError, 'return-closed'));
  });

  it('triage: custodian, after the return, once per custody pass, at its own secure facility where the device is', () => {
    const f = works();
    assert.doesNotThrow(() => triage(maker, mLine(), f));
    assert.doesNotThrow(() => triage(maker, mLine({ state: 'triaged', lastTriagedIn: 1, custodyPass: 2 }), f), 'another pass after a hand-over');
    assert.throws(() => triage(other, mLine(), f), refused(ForbiddenError, 'custody'));
    for (const state of ['in-stock', 'scrapped', 'reinstalled', 'refurbished'] as const) {
      assert.throws(() => triage(maker, mLine({ state }), f), refused(ConflictError, 'triage-order'), state);
    }
    assert.throws(() => triage(maker, mLine({ state: 'triaged', lastTriagedIn: 1, custodyPass: 1 }), f), refused(ConflictError, 'already-triaged'));
    assert.throws(() => triage(maker, mLine(), works({ partyId: other.id })), refused(ForbiddenError, 'own-facility'));
    assert.throws(
      () => triage(maker, mLine(), works({ secure: false, grant: null })),
      (e: unknown) => refused(ForbiddenError, 'secure-facility')(e) && /granted by dcc or security_sub_committee/.test((e as Error).message),
    );
    assert.throws(
      () => triage(maker, mLine({ site: 'premise:prem-1' }), f),
      (e: unknown) => refused(ForbiddenError, 'not-at-premises')(e) && /still at prem-1: .*hand it over to lab-1/.test((e as Error).message),
    );
    assert.throws(
      () => triage(maker, mLine({ site: 'lab-2' }), f),
      (e: unknown) => refused(ConflictError, 'not-at-facility')(e) && /handed over at lab-2, not at lab-1/.test((e as Error).message),
    );
  });

  it(`SMETS2 triage by the manufacturer only, by default: "${PAPER}"`, () => {
    const map = aParty({ role: 'meter_asset_provider' });
    // A Supplier's or a MAP's own secure facility, granted for SMETS2 triage even: the party may still not triage.
    for (const [who, l] of [
      [holder, aLine()],
      [map, aLine({ custodianPartyId: map.id })],
    ] as const) {
      for (const [generation, type, method] of [
        ['SMETS2+', 'ESME', 'gold'],
        ['SMETS2', 'CHF', 'bronze'],
        ['SMETS2+', 'GSME', 'bronze'],
      ] as const) {
        assert.throws(
          () => triage(who, { ...l, smetsGeneration: generation, deviceType: type }, aFacility({ partyId: who.id }), method),
          (e: unknown) => {
            const m = (e as Error).message;
            return (
              refused(ForbiddenError, 'triage-governance')(e) &&
              m.includes(
                `${who.id} is a ${who.role}: governance.triage.smets2 (METEROPS_GOVERNANCE) lets only manufacturer triage 00DB000000000001, a ${generation} ${type} (${method} method)`,
              ) &&
              m.includes(PAPER)
            );
          },
          `${who.role} ${generation} ${type} ${method}`,
        );
      }
    }
    // The papers set no such limit for SMETS1: "Suppliers can perform triage themselves on SMETS1 devices".
    assert.doesNotThrow(() => triage(holder, aLine({ smetsGeneration: 'SMETS1' }), aFacility({ smets2Triage: false })));
    assert.equal(triage(maker, mLine({ smetsGeneration: 'SMETS2+' }), works(), 'bronze').extension, false);
    assert.equal(triage(maker, mLine({ smetsGeneration: 'SMETS2+' }), works(), 'bronze').setting, 'governance.triage.smets2');
  });

  it('SMETS1 triage follows governance.triage.smets1', () => {
    const g: Governance = { ...DEFAULT_GOVERNANCE, triage: { ...DEFAULT_GOVERNANCE.triage, smets1: ['manufacturer'] } };
    assert.throws(
      () => triage(holder, aLine({ smetsGeneration: 'SMETS1' }), aFacility(), 'gold', g),
      (e: unknown) => refused(ForbiddenError, 'triage-governance')(e) && /governance\.triage\.smets1 \(METEROPS_GOVERNANCE\) lets only manufacturer/.test((e as Error).message),
    );
  });

  it('an extension lets another party triage SMETS2 of one device type and method, at a facility granted for SMETS2 triage', () => {
    const g = withExtension({ generation: 'SMETS2', deviceType: 'CHF', method: 'gold', roles: ['supplier'] });
    const hub = aLine({ deviceType: 'CHF' });
    const a = triage(holder, hub, aFacility(), 'gold', g);
    assert.deepEqual([a.allowed, a.setting, a.extension], [true, 'governance.triage.extensions[0]', true]);
    assert.throws(() => triage(holder, hub, aFacility(), 'bronze', g), refused(ForbiddenError, 'triage-governance'), 'another method');
    assert.throws(() => triage(holder, aLine({ deviceType: 'ESME' }), aFacility(), 'gold', g), refused(ForbiddenError, 'triage-governance'), 'another device type');
    assert.throws(() => triage(holder, hub, aFacility({ smets2Triage: false }), 'gold', g), refused(ForbiddenError, 'smets2-triage'), 'a facility not granted for SMETS2');
    // A role added to the generation's own list departs from the papers too, and is labelled so.
    const listed: Governance = { ...DEFAULT_GOVERNANCE, triage: { ...DEFAULT_GOVERNANCE.triage, smets2: ['manufacturer', 'supplier'] } };
    const b = triage(holder, aLine(), aFacility(), 'bronze', listed);
    assert.deepEqual([b.setting, b.extension], ['governance.triage.smets2', true]);
  });

  it("refurbishment of a SMETS2 device is the manufacturer's, by default", () => {
    const nff = aLine({ state: 'triaged', outcome: 'no-fault-found' });
    assert.throws(
      () => assertCanRefurbishAs(holder, nff, [], DEFAULT_GOVERNANCE),
      (e: unknown) => refused(ForbiddenError, 'triage-governance')(e) && (e as Error).message.includes(PAPER),
    );
    assert.doesNotThrow(() => assertCanRefurbishAs(maker, { ...nff, custodianPartyId: maker.id }, [], DEFAULT_GOVERNANCE));
    assert.doesNotThrow(() => assertCanRefurbishAs(holder, { ...nff, smetsGeneration: 'SMETS1' }, [], DEFAULT_GOVERNANCE));
  });

  it('refurbishment: custodian, after triage, No-Fault-Found only, resealed when the seals are broken', () => {
    const nff = aLine({ state: 'triaged', outcome: 'no-fault-found' });
    assert.doesNotThrow(() => assertCanRefurbish(holder, nff, []));
    assert.doesNotThrow(() => assertCanRefurbish(holder, { ...nff, sealsIntact: false }, ['S-9']));
    assert.throws(() => assertCanRefurbish(other, nff, []), refused(ForbiddenError, 'custody'));
    assert.throws(() => assertCanRefurbish(holder, aLine({ state: 'returned' }), []), refused(ConflictError, 'refurbish-order'));
    assert.throws(
      () => assertCanRefurbish(holder, { ...nff, outcome: 'fault', fault: 'display' }, []),
      (e: unknown) => refused(ConflictError, 'not-nff')(e) && /\(display\)/.test((e as Error).message),
    );
    assert.throws(
      () => assertCanRefurbish(holder, { ...nff, outcome: 'inconclusive' }, []),
      (e: unknown) => refused(ConflictError, 'not-nff')(e) && /^00DB000000000001 was triaged inconclusive: only a No-Fault-Found/.test((e as Error).message),
    );
    assert.throws(() => assertCanRefurbish(holder, { ...nff, sealsIntact: false }, []), refused(ValidationError, 'reseal-required'));
  });

  it('scrap: custodian, after triage', () => {
    assert.doesNotThrow(() => assertCanScrap(holder, aLine({ state: 'triaged', outcome: 'fault' })));
    assert.throws(() => assertCanScrap(other, aLine({ state: 'triaged' })), refused(ForbiddenError, 'custody'));
    assert.throws(() => assertCanScrap(holder, aLine({ state: 'returned' })), refused(ConflictError, 'scrap-order'));
    assert.throws(() => assertCanScrap(holder, aLine({ state: 'scrapped' })), refused(ConflictError, 'scrap-order'));
  });

  it('reinstallation: custodian, from stock, at a premise it supplies in one of the 14 DNO regions', () => {
    const stocked = aLine({ state: 'in-stock' });
    assert.doesNotThrow(() => assertCanReinstall(holder, stocked, aPremise(), 'prem-2'));
    assert.throws(() => assertCanReinstall(other, stocked, aPremise(), 'prem-2'), refused(ForbiddenError, 'custody'));
    assert.throws(() => assertCanReinstall(holder, aLine({ state: 'triaged' }), aPremise(), 'prem-2'), refused(ConflictError, 'reinstall-order'));
    assert.throws(
      () => assertCanReinstall(holder, stocked, undefined, 'prem-9'),
      (e: unknown) => e instanceof NotFoundError && e.message === 'premise prem-9 not found' && e.field === 'premiseId',
    );
    assert.throws(() => assertCanReinstall(holder, stocked, aPremise({ supplierPartyId: other.id }), 'prem-2'), refused(ForbiddenError, 'supplier-of-premise'));
    assert.throws(() => assertCanReinstall(holder, stocked, aPremise({ distributorId: null }), 'prem-2'), refused(ValidationError, 'dno-region'));
    // Distributor ids 10 to 23 are the 14 DNO regions; 24 and up are IDNOs.
    assert.doesNotThrow(() => assertCanReinstall(holder, stocked, aPremise({ distributorId: 10 }), 'prem-2'));
    assert.doesNotThrow(() => assertCanReinstall(holder, stocked, aPremise({ distributorId: 23 }), 'prem-2'));
    assert.throws(() => assertCanReinstall(holder, stocked, aPremise({ distributorId: 24 }), 'prem-2'), refused(ValidationError, 'dno-region'));
    assert.throws(() => assertCanReinstall(holder, stocked, aPremise({ distributorId: 9 }), 'prem-2'), refused(ValidationError, 'dno-region'));
  });

  it('region: the region NO or the vanilla (ACB) credential fits; another region NO does not', () => {
    const l = aLine();
    assert.doesNotThrow(() => assertRegionFits(l, 'ACB', 'ACB', 'NO-14', 14));
    assert.doesNotThrow(() => assertRegionFits(l, 'NO-14', 'ACB', 'NO-14', 14));
    assert.throws(
      () => assertRegionFits(l, 'NO-12', 'ACB', 'NO-14', 14),
      (e: unknown) => refused(ConflictError, 'region-locked')(e) && /NO-12.*region 14's \(NO-14\)/.test((e as Error).message),
    );
    assert.throws(() => assertRegionFits(l, null, 'ACB', 'NO-14', 14), refused(ConflictError, 'region-locked'));
  });

  it('names the model that cannot be factory reset', () => {
    assert.equal(
      cannotResetReason({ manufacturer: 'Northwind', model: 'NW-SB2' }),
      'Northwind NW-SB2 cannot be factory reset (the SECMP0010/SECMP0013 triage paper): scrapped rather than re-used with its old state',
    );
  });
});
