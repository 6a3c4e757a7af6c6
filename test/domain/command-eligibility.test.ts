// Who may send each sensitive command, and to what (domain/command-eligibility.ts): the GBCS use
// cases' eligible User roles (ECS43 Import Supplier, GCS32 Gas Supplier, CS01a/CS01b the same,
// CS02b each role for its own cell, the DCC for the ACB cell) and the sender's relation to the
// device or premise. Each refusal is checked by its code and rule.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assertCommandRole,
  assertDeviceCommandTarget,
  assertPremiseCommandTarget,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type CommandSender,
  type DccUserRole,
  type Device,
  type PartyRole,
  type Premise,
  type SensitiveCommand,
} from '../../src/domain/index.ts';
import { aDevice, aParty } from '../support/builders.ts';

const sender = (role: PartyRole, userRoles: DccUserRole[], over: { distributorId?: number } = {}): CommandSender => ({
  party: aParty({ role, distributorId: over.distributorId ?? null }),
  userRoles,
});
const premise = (over: Partial<Premise>): Premise => ({
  id: 'prem-1',
  mpan: null,
  mprn: null,
  postcode: 'CF10 1AA',
  distributorId: 14,
  supplierPartyId: null,
  createdAt: new Date(0),
  ...over,
});
const device = (over: Partial<Device>): Device => ({ ...aDevice(), premiseId: 'prem-1', createdAt: new Date(0), updatedAt: new Date(0), ...over });

/** Runs the role check and then the device target check, as submitCommandRequest does. */
function send(type: SensitiveCommand, s: CommandSender, d: Device | undefined, p: Premise | null): void {
  assertCommandRole(type, s);
  assertDeviceCommandTarget(type, s, d?.eui ?? 'AB00000000000000', d, p);
}
const refused = (rule: string) => (e: unknown) => e instanceof ForbiddenError && e.rule === rule;
const missing = (e: unknown) => e instanceof NotFoundError && e.field === 'target';

describe('sensitive commands: who may send them, and to what', () => {
  const both = sender('supplier', ['import_supplier', 'gas_supplier']);
  const importOnly = sender('supplier', ['import_supplier']);
  const gasOnly = sender('supplier', ['gas_supplier']);
  const dno14 = sender('network_operator', ['network_operator'], { distributorId: 14 });
  const dno15 = sender('network_operator', ['network_operator'], { distributorId: 15 });
  const dcc = sender('dcc', ['dcc']);
  const ssc = sender('security_sub_committee', ['ssc']);
  const map = sender('meter_asset_provider', ['other_user']);
  const at = premise({ supplierPartyId: both.party.id });

  it('lets the Supplier of record disable supply and vend, in the fuel role of the meter', () => {
    const esme = device({ type: 'ESME', supplierPartyId: both.party.id });
    const gsme = device({ type: 'GSME', supplierPartyId: both.party.id });
    for (const type of ['disable_supply', 'utrn_vend'] as const) {
      send(type, both, esme, at);
      send(type, both, gsme, at);
    }
    // A Gas Supplier that is the ESME's supplier of record is still no Import Supplier (ECS43, CS01a).
    const esmeOfGas = device({ type: 'ESME', supplierPartyId: gasOnly.party.id });
    assert.throws(() => send('disable_supply', gasOnly, esmeOfGas, at), refused('command-target'));
    const gsmeOfImport = device({ type: 'GSME', supplierPartyId: importOnly.party.id });
    assert.throws(() => send('utrn_vend', importOnly, gsmeOfImport, at), refused('command-target'));
  });

  it("answers another Supplier's meter as a missing one, and refuses a meter it sees but does not supply", () => {
    const other = sender('supplier', ['import_supplier', 'gas_supplier']);
    const esme = device({ type: 'ESME', supplierPartyId: both.party.id });
    assert.throws(() => send('disable_supply', other, esme, at), missing);
    assert.throws(() => send('disable_supply', other, undefined, null), missing);
    // The owner (a MAP) sees the device, but an Other User sends no supply command at all.
    assert.throws(() => send('disable_supply', map, device({ type: 'ESME', supplierPartyId: both.party.id, ownerPartyId: map.party.id }), at), refused('command-sender-role'));
    // A custodian Supplier sees it, but is not its supplier of record.
    const holding = device({ type: 'ESME', supplierPartyId: both.party.id, custodianPartyId: other.party.id });
    assert.throws(() => send('disable_supply', other, holding, at), refused('command-target'));
  });

  it('refuses the SSC, a MAP and the DCC a supply command, and says which roles may send it', () => {
    const esme = device({ type: 'ESME', supplierPartyId: both.party.id });
    for (const s of [ssc, map, dcc, dno14]) {
      assert.throws(
        () => send('disable_supply', s, esme, at),
        (e: unknown) => refused('command-sender-role')(e) && /only import_supplier, gas_supplier may/.test((e as Error).message),
      );
    }
    assert.throws(() => send('credential_replacement', ssc, esme, at), refused('command-sender-role'));
    assert.throws(() => send('credential_replacement', map, esme, at), refused('command-sender-role'));
  });

  it("lets the Supplier, the region's Network Operator (an ESME) and the DCC replace credentials; not another region's", () => {
    const esme = device({ type: 'ESME', supplierPartyId: both.party.id });
    send('credential_replacement', both, esme, at);
    send('credential_replacement', dno14, esme, at);
    send('credential_replacement', dcc, esme, at);
    send('credential_replacement', dcc, esme, null);
    assert.throws(() => send('credential_replacement', dno15, esme, at), missing);
    assert.throws(() => send('credential_replacement', dno14, esme, null), missing, 'a device installed nowhere is in no region');
    // The DNO sees the region's GSME, but its cell is the gas transporter's.
    assert.throws(() => send('credential_replacement', dno14, device({ type: 'GSME', supplierPartyId: both.party.id }), at), refused('command-target'));
    // A hub has no fuel: its supplier of record, in any supplier role.
    send('credential_replacement', gasOnly, device({ type: 'CHF', supplierPartyId: gasOnly.party.id }), at);
  });

  it('refuses a supply command to a device that has no supply, after the relation check', () => {
    const hub = device({ type: 'CHF', supplierPartyId: both.party.id });
    assert.throws(
      () => send('disable_supply', both, hub, at),
      (e: unknown) => e instanceof ValidationError && e.field === 'target' && e.rule === 'device-type',
    );
  });

  it("sends an HHT work order only for the Supplier's own premise", () => {
    assertCommandRole('hht_work_order', both);
    assertPremiseCommandTarget(both, at.id, at);
    assert.throws(() => assertPremiseCommandTarget(importOnly, at.id, at), missing);
    assert.throws(() => assertPremiseCommandTarget(both, 'nowhere', undefined), missing);
    for (const s of [dcc, dno14, ssc, map]) assert.throws(() => assertCommandRole('hht_work_order', s), refused('command-sender-role'));
  });
});
