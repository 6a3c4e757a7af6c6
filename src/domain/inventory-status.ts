import { StatusIncompatibleError } from './errors.ts';
import { isCommsHub, type DeviceType } from './device-types.ts';
import type { PartyRole } from './parties.ts';

/** The DCC's Smart Metering Inventory (SMI) status of a device. */
export const INVENTORY_STATUSES = [
  'Pending',
  'Whitelisted',
  'InstalledNotCommissioned',
  'Commissioned',
  'Decommissioned',
  'Withdrawn',
  'Suspended',
  'Recovery',
  'Recovered',
] as const;
export type InventoryStatus = (typeof INVENTORY_STATUSES)[number];

/**
 * The moves the SMI allows. Users' own requests (DUIS 8.4 Update Inventory, 8.14 CH status update)
 * are further limited by USER_SETTABLE; everything else is the DCC acting on a service request
 * (commissioning, decommissioning, suspension after a firmware mismatch, recovery).
 */
const TRANSITIONS: Readonly<Record<InventoryStatus, readonly InventoryStatus[]>> = {
  Pending: ['Whitelisted', 'InstalledNotCommissioned', 'Withdrawn', 'Decommissioned'],
  Whitelisted: ['InstalledNotCommissioned', 'Commissioned', 'Pending', 'Decommissioned', 'Withdrawn'],
  InstalledNotCommissioned: ['Commissioned', 'Pending', 'Decommissioned', 'Withdrawn'],
  Commissioned: ['Decommissioned', 'Suspended', 'Recovery', 'Withdrawn', 'InstalledNotCommissioned'],
  Suspended: ['Commissioned', 'Decommissioned'],
  Recovery: ['Recovered', 'Decommissioned'],
  Recovered: ['Commissioned', 'Decommissioned'],
  Decommissioned: ['Pending'],
  Withdrawn: ['Pending', 'InstalledNotCommissioned'],
};

/** SEC/DUIS: the statuses a User may request. Meters: Pending, InstalledNotCommissioned. CH: Commissioned, Withdrawn, InstalledNotCommissioned. */
export function userSettableStatuses(type: DeviceType): readonly InventoryStatus[] {
  return isCommsHub(type) ? ['Commissioned', 'Withdrawn', 'InstalledNotCommissioned'] : ['Pending', 'InstalledNotCommissioned'];
}

export function inventoryTransitions(from: InventoryStatus): readonly InventoryStatus[] {
  return TRANSITIONS[from];
}

/**
 * Checks one inventory move and throws the DCC's E5 when it does not fit. `actorRole` 'dcc' may
 * make any move in the table; any other party only to the statuses it may set for that device type.
 */
export function assertInventoryTransition(type: DeviceType, from: InventoryStatus | null, to: InventoryStatus, actorRole: PartyRole): void {
  if (from === null) {
    if (to !== 'Pending' && actorRole !== 'dcc') {
      throw new StatusIncompatibleError('status', `E5: a new ${type} enters the inventory as Pending, not ${to}`);
    }
    return;
  }
  if (!TRANSITIONS[from].includes(to)) {
    throw new StatusIncompatibleError('status', `E5: a ${type} in status ${from} cannot move to ${to} (allowed from ${from}: ${TRANSITIONS[from].join(', ')})`);
  }
  if (actorRole !== 'dcc' && !userSettableStatuses(type).includes(to)) {
    throw new StatusIncompatibleError('status', `E5: a DCC User may set a ${type} only to ${userSettableStatuses(type).join(' or ')}; ${to} is set by the DCC`);
  }
}

export function isInventoryStatus(s: string): s is InventoryStatus {
  return (INVENTORY_STATUSES as readonly string[]).includes(s);
}
