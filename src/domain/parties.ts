import { distributorFor } from './dno-regions.ts';
import { ValidationError } from './errors.ts';
import type { Eui } from './eui.ts';

/**
 * The parties meterops knows, by the platform role that scopes what they see (a supplier its
 * premises, a network operator its region, the DCC everything). Registration speaks the SEC's DCC
 * User roles (below) and maps them onto these.
 */
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

/**
 * The User Roles of the SEC (Section A definitions, the roles a DCC User is accredited for), plus
 * the SSC and the DCC itself, which are parties but not Users. A party may hold several (an
 * Import Supplier that is also the Gas Supplier).
 */
export const DCC_USER_ROLES = ['import_supplier', 'export_supplier', 'gas_supplier', 'network_operator', 'other_user', 'registered_supplier_agent', 'ssc', 'dcc'] as const;
export type DccUserRole = (typeof DCC_USER_ROLES)[number];

/** What an Other User is to the platform (a MAP, a triage house, a gas transporter, a manufacturer). */
export const OTHER_USER_KINDS = ['meter_asset_provider', 'triage_house', 'gas_transporter', 'manufacturer'] as const;
export type OtherUserKind = (typeof OTHER_USER_KINDS)[number];

export const PARTY_STATUSES = ['active', 'suspended'] as const;
export type PartyStatus = (typeof PARTY_STATUSES)[number];

/** A party as the directory keeps it: the access view plus its User roles and standing. */
export interface PartyRecord extends Party {
  readonly userRoles: readonly DccUserRole[];
  readonly status: PartyStatus;
  readonly suspendedReason: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

const SUPPLYING: readonly DccUserRole[] = ['import_supplier', 'export_supplier', 'gas_supplier'];

/**
 * The platform role a party's User roles give it. The DCC and the SSC stand alone; any supplier
 * role makes it a supplier; a network operator serves its region; a Registered Supplier Agent and
 * an Other User act on assets they own or hold (a triage house is a MAP-like custodian here).
 */
export function platformRoleFor(userRoles: readonly DccUserRole[], otherUserKind: OtherUserKind = 'meter_asset_provider'): PartyRole {
  if (userRoles.includes('dcc')) return 'dcc';
  if (userRoles.includes('ssc')) return 'security_sub_committee';
  if (userRoles.some((r) => SUPPLYING.includes(r))) return 'supplier';
  if (userRoles.includes('network_operator')) return 'network_operator';
  if (otherUserKind === 'triage_house') return 'meter_asset_provider';
  return otherUserKind;
}

/** The User roles a party registered before User roles existed is taken to hold. */
export function userRolesOf(role: PartyRole): DccUserRole[] {
  switch (role) {
    case 'supplier':
      return ['import_supplier', 'gas_supplier'];
    case 'network_operator':
      return ['network_operator'];
    case 'dcc':
      return ['dcc'];
    case 'security_sub_committee':
      return ['ssc'];
    default:
      return ['other_user'];
  }
}

/** Checks a party's User roles and region together: a network operator names a region, nobody else does. */
export function checkUserRoles(roles: readonly string[], distributorId: number | null | undefined): { roles: DccUserRole[]; distributorId: number | null } {
  if (!Array.isArray(roles) || roles.length === 0) throw new ValidationError('roles', 'user-role', `a party holds at least one User role: ${DCC_USER_ROLES.join(', ')}`);
  const out: DccUserRole[] = [];
  for (const r of roles) {
    if (!(DCC_USER_ROLES as readonly string[]).includes(r)) throw new ValidationError('roles', 'user-role', `unknown User role "${r}": one of ${DCC_USER_ROLES.join(', ')}`);
    if (!out.includes(r as DccUserRole)) out.push(r as DccUserRole);
  }
  if ((out.includes('dcc') || out.includes('ssc')) && out.length > 1) throw new ValidationError('roles', 'user-role', 'the DCC and the SSC hold no other User role');
  const isNo = out.includes('network_operator');
  if (isNo && (distributorId === null || distributorId === undefined))
    throw new ValidationError('distributorId', 'network-operator-region', 'a Network Operator names its region: the distributor id of its area (10-23 DNO areas, 24-99 IDNOs)');
  if (!isNo && distributorId !== null && distributorId !== undefined)
    throw new ValidationError('distributorId', 'network-operator-region', 'only a Network Operator has a region (distributorId)');
  return { roles: out, distributorId: isNo ? distributorFor(distributorId!, 'distributorId').distributorId : null };
}

/** A party id: lower-case letters, digits and dashes, 2 to 63 characters, as the registry stores it. */
export function parsePartyId(s: unknown, field = 'id'): string {
  if (typeof s !== 'string' || !/^[a-z0-9][a-z0-9-]{1,62}$/.test(s))
    throw new ValidationError(field, 'party-id', `${field}: a party id is 2 to 63 lower-case letters, digits and dashes, starting with a letter or digit`);
  return s;
}
