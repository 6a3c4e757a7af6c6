import type { AssetStatus } from './asset-status.ts';
import type { DeviceType, SmetsGeneration } from './device-types.ts';
import type { Eui } from './eui.ts';
import type { InventoryStatus } from './inventory-status.ts';

export interface DeviceModel {
  readonly manufacturer: string;
  readonly model: string;
  readonly firmwareVersion: string;
  readonly smetsGeneration: SmetsGeneration;
}

/** What the caller supplies to register a device; statuses default to a new device in stock. */
export interface NewDevice extends DeviceModel {
  readonly eui: Eui;
  readonly type: DeviceType;
  readonly inventoryStatus: InventoryStatus;
  readonly assetStatus: AssetStatus;
  /** The Meter Asset Provider (or the DCC, for hubs) that owns the asset. */
  readonly ownerPartyId: string | null;
  /** The supplier of record. */
  readonly supplierPartyId: string | null;
  /** Who physically holds it now. */
  readonly custodianPartyId: string | null;
}

export interface Device extends NewDevice {
  readonly premiseId: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}
