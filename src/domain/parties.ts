import type { Eui } from './eui.ts';

/** The parties meterops knows, by their SEC role. */
export const PARTY_ROLES = ['supplier', 'network_operator', 'gas_transporter', 'meter_asset_provider', 'manufacturer', 'dcc', 'security_sub_committee'] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];

export interface Party {
  readonly id: string;
  readonly name: string;
  readonly role: PartyRole;
  /** The party's EUI (its organisation certificates' x500UniqueIdentifier), where it has one. */
  readonly eui: Eui | null;
  /** For a network operator: the distributor id whose area it serves. */
  readonly distributorId: number | null;
}

/** DCC Users in the SEC sense: parties that send service requests and set inventory status. */
export function isDccUser(role: PartyRole): boolean {
  return role === 'supplier' || role === 'network_operator' || role === 'gas_transporter' || role === 'meter_asset_provider';
}

export function isPartyRole(s: string): s is PartyRole {
  return (PARTY_ROLES as readonly string[]).includes(s);
}
