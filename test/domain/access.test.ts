// Who may see and act on a device record (docs/architecture.md, "the access rule"): the supplier of
// record, the owner (MAP), the custodian, and the DCC; nobody else.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canRegisterDevices, canSeeDevice, deviceRelation } from '../../src/domain/access.ts';
import { PARTY_ROLES, type Device, type Party, type PartyRole } from '../../src/domain/index.ts';
import { aDevice, aParty } from '../support/builders.ts';

const device = (over: Partial<Device>): Device => ({ ...aDevice(), premiseId: null, createdAt: new Date(0), updatedAt: new Date(0), ...over });

describe('the device access rule', () => {
  const supplier = aParty({ role: 'supplier' });
  const map = aParty({ role: 'meter_asset_provider' });
  const custodian = aParty({ role: 'supplier' });
  const stranger = aParty({ role: 'supplier' });
  const dcc = aParty({ role: 'dcc' });
  const d = device({ supplierPartyId: supplier.id, ownerPartyId: map.id, custodianPartyId: custodian.id });

  it('names each party its relation to the device', () => {
    assert.equal(deviceRelation(supplier, d), 'supplier');
    assert.equal(deviceRelation(map, d), 'owner');
    assert.equal(deviceRelation(custodian, d), 'custodian');
    assert.equal(deviceRelation(dcc, d), 'dcc');
    assert.equal(deviceRelation(stranger, d), null);
  });

  it('gives the strongest relation when one party holds several: DCC, supplier, owner, custodian', () => {
    const all = aParty({ role: 'supplier' });
    assert.equal(deviceRelation(all, device({ supplierPartyId: all.id, ownerPartyId: all.id, custodianPartyId: all.id })), 'supplier');
    assert.equal(deviceRelation(all, device({ ownerPartyId: all.id, custodianPartyId: all.id })), 'owner');
    const dccAsCustodian = aParty({ role: 'dcc' });
    assert.equal(deviceRelation(dccAsCustodian, device({ custodianPartyId: dccAsCustodian.id })), 'dcc');
  });

  it('refuses a party whose id matches no field, whatever its role, except the DCC', () => {
    const none = device({ supplierPartyId: null, ownerPartyId: null, custodianPartyId: null });
    let checked = 0;
    for (const role of PARTY_ROLES) {
      const p: Party = aParty({ role });
      assert.equal(canSeeDevice(p, none), role === 'dcc', role);
      assert.equal(canSeeDevice(p, d), role === 'dcc', role);
      checked++;
    }
    assert.equal(checked, 7, 'every SEC role meterops knows');
    assert.equal(canSeeDevice(supplier, d) && canSeeDevice(map, d) && canSeeDevice(custodian, d), true);
  });

  it('lets suppliers, MAPs, manufacturers and the DCC register devices, and no one else', () => {
    const may: Record<PartyRole, boolean> = {
      supplier: true,
      meter_asset_provider: true,
      manufacturer: true,
      dcc: true,
      network_operator: false,
      gas_transporter: false,
      security_sub_committee: false,
    };
    assert.deepEqual(Object.keys(may).sort(), [...PARTY_ROLES].sort());
    for (const role of PARTY_ROLES) assert.equal(canRegisterDevices(aParty({ role })), may[role], role);
  });
});
