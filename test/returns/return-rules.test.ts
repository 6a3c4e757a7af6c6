// The returns rules (docs/returns.md; seeds 000 and 002) one by one, without a database: each
// refusal is the one error and rule the docs name, and a step that breaks no rule passes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type Facility, type Premise, type ReturnLine } from '../../src/domain/index.ts';
import {
  assertCanHandOver,
  assertCanRefurbish,
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
const aFacility = (over: Partial<Facility> = {}): Facility => ({ id: 'lab-1', partyId: holder.id, name: 'Lab', secure: true, smets2Triage: true, createdAt: new Date(0), ...over });
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
    const f = aFacility();
    assert.doesNotThrow(() => assertCanTriage(holder, aLine(), f));
    assert.doesNotThrow(() => assertCanTriage(holder, aLine({ state: 'triaged', lastTriagedIn: 1, custodyPass: 2 }), f), 'another pass after a hand-over');
    assert.throws(() => assertCanTriage(other, aLine(), f), refused(ForbiddenError, 'custody'));
    for (const state of ['in-stock', 'scrapped', 'reinstalled', 'refurbished'] as const) {
      assert.throws(() => assertCanTriage(holder, aLine({ state }), f), refused(ConflictError, 'triage-order'), state);
    }
    assert.throws(() => assertCanTriage(holder, aLine({ state: 'triaged', lastTriagedIn: 1, custodyPass: 1 }), f), refused(ConflictError, 'already-triaged'));
    assert.throws(() => assertCanTriage(holder, aLine(), aFacility({ partyId: other.id })), refused(ForbiddenError, 'own-facility'));
    assert.throws(() => assertCanTriage(holder, aLine(), aFacility({ secure: false })), refused(ForbiddenError, 'secure-facility'));
    assert.throws(
      () => assertCanTriage(holder, aLine({ site: 'premise:prem-1' }), f),
      (e: unknown) => refused(ForbiddenError, 'not-at-premises')(e) && /still at prem-1: .*hand it over to lab-1/.test((e as Error).message),
    );
    assert.throws(
      () => assertCanTriage(holder, aLine({ site: 'lab-2' }), f),
      (e: unknown) => refused(ConflictError, 'not-at-facility')(e) && /handed over at lab-2, not at lab-1/.test((e as Error).message),
    );
  });

  it('SMETS2 triage: only the manufacturer or a facility registered for it', () => {
    const unregistered = aFacility({ smets2Triage: false });
    assert.throws(() => assertCanTriage(holder, aLine({ smetsGeneration: 'SMETS2+' }), unregistered), refused(ForbiddenError, 'smets2-triage'));
    assert.throws(() => assertCanTriage(holder, aLine({ smetsGeneration: 'SMETS2' }), unregistered), refused(ForbiddenError, 'smets2-triage'));
    assert.doesNotThrow(() => assertCanTriage(holder, aLine({ smetsGeneration: 'SMETS1' }), unregistered));
    const atMaker = aFacility({ partyId: maker.id, smets2Triage: false });
    assert.doesNotThrow(() => assertCanTriage(maker, aLine({ custodianPartyId: maker.id }), atMaker));
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
      'Northwind NW-SB2 cannot be factory reset (seed 000): scrapped rather than re-used with its old state',
    );
  });
});
