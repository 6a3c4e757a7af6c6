import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  arrangementGaps,
  assignDuties,
  DCC_RESPONSIBILITY,
  DEFAULT_DUTY_SLA_DAYS,
  dutyDeadline,
  G320_CLAUSE,
  materialityJudgement,
  notMaterialReason,
  responsibleParty,
  ValidationError,
  type AffectedDevice,
} from '../../src/domain/index.ts';

// SEC G3.17 as MP087's Annex A gives it.
const G317 = 'G3.17 Where a User becomes aware of any material security vulnerability in, or likely cause of a material adverse effect on the security of';

const ctx = { dccPartyId: 'dcc', awarePartyId: 'supplier-a', manufacturerAware: false, arrangements: new Map() };
const dev = (type: AffectedDevice['type'], smetsGeneration: AffectedDevice['smetsGeneration'], supplierPartyId = 'supplier-a'): AffectedDevice => ({
  type,
  smetsGeneration,
  supplierPartyId,
});

describe('SEC G3.17-G3.21 duties (pure rules)', () => {
  it('puts a SMETS2+ CHF or GPF on the DCC (MP087), and a SMETS1 one on the Responsible Supplier', () => {
    assert.deepEqual(responsibleParty(dev('CHF', 'SMETS2+'), 'dcc'), { partyId: 'dcc', clause: DCC_RESPONSIBILITY });
    assert.deepEqual(responsibleParty(dev('GPF', 'SMETS2+'), 'dcc').partyId, 'dcc');
    assert.equal(responsibleParty(dev('CHF', 'SMETS1'), 'dcc').partyId, 'supplier-a');
    assert.equal(responsibleParty(dev('GPF', 'SMETS1'), 'dcc').partyId, 'supplier-a');
    assert.equal(responsibleParty(dev('ESME', 'SMETS2+'), 'dcc').partyId, 'supplier-a');
  });

  it(`gives the aware party alone the G3.18 duties with its device count, and G3.20 where no arrangement exists ("${G317}")`, () => {
    const affected = [dev('CHF', 'SMETS2+'), dev('CHF', 'SMETS2+'), dev('CHF', 'SMETS1', 'supplier-b'), dev('ESME', 'SMETS2+', 'supplier-b')];
    const arrangements = new Map([['dcc', { g321Exemption: false }]]);
    // Each party's duties arise from its own awareness: one call per aware party.
    const of = (party: string) => assignDuties('smart_metering_system', affected, { ...ctx, awarePartyId: party, arrangements });
    assert.deepEqual(
      of('dcc').map((d) => d.duty),
      ['notify_manufacturer', 'rectify_or_mitigate', 'notify_ssc'],
    );
    assert.ok(
      of('dcc').every((d) => d.deviceCount === 2 && d.clause.includes('MP087')),
      'DCC duties cite MP087',
    );
    assert.deepEqual(
      of('supplier-b').map((d) => d.duty),
      ['notify_manufacturer', 'rectify_or_mitigate', 'notify_ssc', 'establish_arrangements'],
    );
    assert.ok(
      of('supplier-b').every((d) => d.deviceCount === 2),
      'two devices for supplier-b',
    );
    assert.match(of('supplier-b').find((d) => d.duty === 'notify_ssc')!.clause, /^G3\.18\(c\)/);
    assert.match(of('supplier-b').find((d) => d.duty === 'establish_arrangements')!.clause, /^G3\.20\(b\)/);
    // supplier-a became aware; none of the affected devices is its Responsible Supplier device that a User answers for.
    assert.deepEqual(of('supplier-a'), []);
    assert.ok(
      of('supplier-b').every((d) => d.partyId === 'supplier-b'),
      'only the aware party',
    );
  });

  it("cites the DCC under the paper's sentence that binds it, and says the paper states no DCC clause, never a User clause", () => {
    // MP087: "SMETS2+ Devices with either a Communications Hub Function or GPF will still be the responsibility of the DCC."
    const duties = assignDuties('smart_metering_system', [dev('GPF', 'SMETS2+')], { ...ctx, awarePartyId: 'dcc' });
    assert.equal(duties.length, 4);
    for (const d of duties) {
      assert.doesNotMatch(d.clause, /^G3\.\d/, `${d.duty} is not cited under a User clause`);
      assert.ok(d.clause.includes('SMETS2+ Devices with either a Communications Hub Function or GPF will still be the responsibility of the DCC'), d.clause);
      assert.ok(d.clause.includes('does not state the SEC clause that binds the DCC'), d.clause);
    }
  });

  it("runs each due time from the party's own awareness time", () => {
    // Expected: 2 days (meterops' default for the SSC notice) after 2026-11-03T08:00Z, counted by hand.
    assert.equal(dutyDeadline(new Date('2026-11-03T08:00:00Z'), 'notify_ssc', DEFAULT_DUTY_SLA_DAYS).toISOString(), '2026-11-05T08:00:00.000Z');
  });

  it('lists the fleet manufacturers a User has no G3.20(b) arrangement with, SMETS2+ hub functions excluded', () => {
    // G3.20(b): "(excluding a Communications Hub Function or Gas Proxy Function which forms part of a SMETS2+ Device)".
    assert.ok(G320_CLAUSE.includes('excluding a Communications Hub Function or Gas Proxy Function which forms part of a SMETS2+ Device'));
    const fleet = [
      { partyId: 's1', manufacturer: 'Beta', type: 'ESME', smetsGeneration: 'SMETS2+', devices: 3 },
      { partyId: 's1', manufacturer: 'Beta', type: 'GSME', smetsGeneration: 'SMETS2+', devices: 2 },
      { partyId: 's1', manufacturer: 'Alpha', type: 'CHF', smetsGeneration: 'SMETS1', devices: 4 },
      { partyId: 's1', manufacturer: 'HubCo', type: 'CHF', smetsGeneration: 'SMETS2+', devices: 9 },
      { partyId: 's2', manufacturer: 'Beta', type: 'ESME', smetsGeneration: 'SMETS2+', devices: 1 },
    ] as const;
    const gaps = arrangementGaps(['s1', 's2', 's3'], fleet, [{ partyId: 's1', manufacturer: 'Alpha' }]);
    assert.deepEqual(gaps, [
      { partyId: 's1', missing: [{ manufacturer: 'Beta', devices: 5 }], covered: [{ manufacturer: 'Alpha', devices: 4 }] },
      { partyId: 's2', missing: [{ manufacturer: 'Beta', devices: 1 }], covered: [] },
      { partyId: 's3', missing: [], covered: [] },
    ]);
  });

  it('records the materiality judgement with who judged and when, and refuses one without a reason', () => {
    const at = new Date('2026-11-02T10:00:00Z');
    const j = materialityJudgement({ material: false, reason: ' test firmware only ' }, 'supplier-a', 'alice', at);
    assert.deepEqual(j, { material: false, reason: 'test firmware only', judgedBy: 'supplier-a', judgedPerson: 'alice', judgedAt: at });
    assert.equal(notMaterialReason(j), 'G3.17: judged not material by alice of supplier-a at 2026-11-02T10:00:00.000Z: test firmware only');
    assert.throws(
      () => materialityJudgement({ material: true, reason: '  ' }, 'supplier-a', null, at),
      (e: unknown) => e instanceof ValidationError && e.field === 'materiality.reason' && e.rule === 'required',
    );
    assert.throws(
      () => materialityJudgement({ material: 'yes' as unknown as boolean, reason: 'r' }, 'supplier-a', null, at),
      (e: unknown) => e instanceof ValidationError && e.rule === 'boolean',
    );
  });

  it('exempts the manufacturer notice when the User is satisfied it already knows (G3.19)', () => {
    const duties = assignDuties('smart_metering_system', [dev('ESME', 'SMETS2+')], { ...ctx, manufacturerAware: true });
    assert.match(duties.find((d) => d.duty === 'notify_manufacturer')!.exemptReason!, /^G3\.19/);
    assert.equal(duties.find((d) => d.duty === 'notify_ssc')!.exemptReason, null);
  });

  it('puts a User Systems vulnerability on the User that became aware (G3.17(a), G3.20(a))', () => {
    const duties = assignDuties('user_systems_software', [], ctx);
    assert.ok(
      duties.every((d) => d.partyId === 'supplier-a' && d.deviceCount === 0),
      'all on the aware party',
    );
    assert.match(duties[0]!.clause, /G3\.17\(a\)/);
    assert.match(duties.find((d) => d.duty === 'establish_arrangements')!.clause, /^G3\.20\(a\)/);
  });

  it('refuses a meter with no Responsible Supplier', () => {
    assert.throws(() => assignDuties('smart_metering_system', [{ type: 'ESME', smetsGeneration: 'SMETS2+', supplierPartyId: null }], ctx), /no supplier of record/);
  });
});
