import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assignDuties, DCC_RESPONSIBILITY, responsibleParty, type AffectedDevice } from '../../src/domain/index.ts';

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

  it('gives each responsible party the G3.18 duties with its device count, and G3.20 where no arrangement exists', () => {
    const affected = [dev('CHF', 'SMETS2+'), dev('CHF', 'SMETS2+'), dev('CHF', 'SMETS1', 'supplier-b'), dev('ESME', 'SMETS2+', 'supplier-b')];
    const duties = assignDuties('smart_metering_system', affected, { ...ctx, arrangements: new Map([['dcc', { g321Exemption: false }]]) });
    const of = (party: string) => duties.filter((d) => d.partyId === party);
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
