import { StatusIncompatibleError } from './errors.ts';

/** Where the physical device is and what shape it is in, independent of the DCC inventory. */
export const ASSET_STATUSES = [
  'in_stock',
  'installed',
  'in_field',
  'removed',
  'in_transit',
  'quarantined',
  'in_triage',
  'no_fault_found',
  'faulty',
  'repaired',
  'refurbished',
  'returned_to_map',
  'returned_to_manufacturer',
  'returned_to_dcc',
  'scrapped',
  'lost_or_stolen',
] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];

const RETURNED = ['returned_to_map', 'returned_to_manufacturer', 'returned_to_dcc'] as const;

const TRANSITIONS: Readonly<Record<AssetStatus, readonly AssetStatus[]>> = {
  in_stock: ['installed', 'in_transit', 'quarantined', 'scrapped', 'lost_or_stolen'],
  installed: ['in_field', 'removed', 'lost_or_stolen'],
  in_field: ['removed', 'lost_or_stolen'],
  removed: ['in_transit', 'quarantined', ...RETURNED, 'scrapped', 'lost_or_stolen'],
  in_transit: ['quarantined', 'in_triage', 'in_stock', ...RETURNED, 'lost_or_stolen'],
  quarantined: ['in_triage', 'in_transit', ...RETURNED, 'scrapped'],
  in_triage: ['no_fault_found', 'faulty', 'quarantined', 'in_transit'],
  no_fault_found: ['refurbished', 'in_triage', 'in_transit', ...RETURNED, 'scrapped'],
  faulty: ['repaired', 'in_transit', ...RETURNED, 'scrapped'],
  repaired: ['in_triage', 'refurbished', 'in_transit'],
  refurbished: ['in_stock', 'in_transit'],
  returned_to_map: ['in_triage', 'quarantined', 'in_transit', 'in_stock', 'scrapped'],
  returned_to_manufacturer: ['in_triage', 'quarantined', 'in_transit', 'in_stock', 'scrapped'],
  returned_to_dcc: ['in_triage', 'quarantined', 'in_transit', 'in_stock', 'scrapped'],
  scrapped: [],
  // A device reported lost can turn up again; it is quarantined until checked.
  lost_or_stolen: ['quarantined'],
};

/** A device enters the registry new in stock, or already out there (bulk import of a live estate). */
export const INITIAL_ASSET_STATUSES: readonly AssetStatus[] = ['in_stock', 'in_field', 'installed'];

export function assetTransitions(from: AssetStatus): readonly AssetStatus[] {
  return TRANSITIONS[from];
}

export function assertAssetTransition(from: AssetStatus | null, to: AssetStatus): void {
  if (from === null) {
    if (!INITIAL_ASSET_STATUSES.includes(to)) {
      throw new StatusIncompatibleError('status', `a new device starts as ${INITIAL_ASSET_STATUSES.join(', ')}, not ${to}`);
    }
    return;
  }
  if (!TRANSITIONS[from].includes(to)) {
    const allowed = TRANSITIONS[from];
    throw new StatusIncompatibleError('status', `a device ${from} cannot become ${to} (${allowed.length ? `allowed: ${allowed.join(', ')}` : `${from} is final`})`);
  }
}

export function isAssetStatus(s: string): s is AssetStatus {
  return (ASSET_STATUSES as readonly string[]).includes(s);
}
