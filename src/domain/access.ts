import type { Device } from './device.ts';
import type { Party } from './parties.ts';

/**
 * Who may see and act on a device record: the supplier of record, the asset's owner, whoever
 * holds it in custody, and the DCC (which runs the inventory). Everyone else is refused.
 */
export function deviceRelation(party: Party, device: Device): 'dcc' | 'supplier' | 'owner' | 'custodian' | null {
  if (party.role === 'dcc') return 'dcc';
  if (device.supplierPartyId === party.id) return 'supplier';
  if (device.ownerPartyId === party.id) return 'owner';
  if (device.custodianPartyId === party.id) return 'custodian';
  return null;
}

export function canSeeDevice(party: Party, device: Device): boolean {
  return deviceRelation(party, device) !== null;
}

/** Parties that may register devices: suppliers, MAPs, manufacturers and the DCC. */
export function canRegisterDevices(party: Party): boolean {
  return ['supplier', 'meter_asset_provider', 'manufacturer', 'dcc'].includes(party.role);
}
