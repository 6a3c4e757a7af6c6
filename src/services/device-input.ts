import {
  ASSET_STATUSES,
  DEVICE_TYPES,
  INVENTORY_STATUSES,
  SMETS_GENERATIONS,
  isAssetStatus,
  isDeviceType,
  isInventoryStatus,
  parseEui,
  type ErrorDetail,
  type NewDevice,
  type SmetsGeneration,
  ValidationError,
} from '../domain/index.ts';

/** One device as a client sends it (API body, CSV row, JSON line): all strings, some optional. */
export interface DeviceInput {
  readonly eui?: unknown;
  readonly type?: unknown;
  readonly smetsGeneration?: unknown;
  readonly manufacturer?: unknown;
  readonly model?: unknown;
  readonly firmwareVersion?: unknown;
  readonly inventoryStatus?: unknown;
  readonly assetStatus?: unknown;
  readonly ownerPartyId?: unknown;
  readonly supplierPartyId?: unknown;
  readonly custodianPartyId?: unknown;
}

export const DEVICE_INPUT_FIELDS = [
  'eui',
  'type',
  'smetsGeneration',
  'manufacturer',
  'model',
  'firmwareVersion',
  'inventoryStatus',
  'assetStatus',
  'ownerPartyId',
  'supplierPartyId',
  'custodianPartyId',
] as const;

export type ParsedDevice = { ok: true; device: NewDevice } | { ok: false; errors: ErrorDetail[] };

/** How a value that is not text looks, for the message. */
function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

/** Checks every field and reports every problem at once, each naming its field and rule. */
export function parseDeviceInput(input: DeviceInput): ParsedDevice {
  const errors: ErrorDetail[] = [];
  // Every field is text, as in a CSV cell: JSON Lines may carry anything, and an object or a list
  // must not be stored as "[object Object]" or joined with commas.
  const optionalText = (field: keyof DeviceInput): string | null => {
    const v = input[field];
    if (v === undefined || v === null || v === '') return null;
    if (typeof v !== 'string') {
      errors.push({ field, rule: 'text', message: `${field} must be text, not ${kindOf(v)}` });
      return null;
    }
    return v;
  };
  const req = (field: keyof DeviceInput, max = 64): string => {
    const v = input[field];
    if (v !== undefined && v !== null && typeof v !== 'string') {
      errors.push({ field, rule: 'text', message: `${field} must be text, not ${kindOf(v)}` });
      return '';
    }
    if (v === undefined || v === null || v.trim() === '') {
      errors.push({ field, rule: 'required', message: `${field} is required` });
      return '';
    }
    const s = String(v).trim();
    if (s.length > max) errors.push({ field, rule: 'max-length', message: `${field} is longer than ${max} characters` });
    return s;
  };

  let eui = '';
  try {
    eui = parseEui(req('eui'), 'eui');
  } catch (e) {
    if (typeof input.eui === 'string' && input.eui.trim() !== '' && e instanceof ValidationError) {
      errors.push({ field: 'eui', rule: 'eui-64', message: e.message });
    }
  }
  const type = req('type');
  if (type && !isDeviceType(type)) {
    errors.push({ field: 'type', rule: 'device-type', message: `type "${type}" is not one of ${DEVICE_TYPES.join(', ')}` });
  }
  const gen = optionalText('smetsGeneration') ?? 'SMETS2+';
  if (!(SMETS_GENERATIONS as readonly string[]).includes(gen)) {
    errors.push({ field: 'smetsGeneration', rule: 'smets-generation', message: `smetsGeneration "${gen}" is not one of ${SMETS_GENERATIONS.join(', ')}` });
  }
  const manufacturer = req('manufacturer');
  const model = req('model');
  const firmwareVersion = req('firmwareVersion', 32);
  const inventoryStatus = optionalText('inventoryStatus') ?? 'Pending';
  if (!isInventoryStatus(inventoryStatus)) {
    errors.push({ field: 'inventoryStatus', rule: 'inventory-status', message: `inventoryStatus "${inventoryStatus}" is not one of ${INVENTORY_STATUSES.join(', ')}` });
  }
  const assetStatus = optionalText('assetStatus') ?? 'in_stock';
  if (!isAssetStatus(assetStatus)) {
    errors.push({ field: 'assetStatus', rule: 'asset-status', message: `assetStatus "${assetStatus}" is not one of ${ASSET_STATUSES.join(', ')}` });
  }
  const ownerPartyId = optionalText('ownerPartyId');
  const supplierPartyId = optionalText('supplierPartyId');
  const custodianPartyId = optionalText('custodianPartyId');
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    device: {
      eui: eui as NewDevice['eui'],
      type: type as NewDevice['type'],
      smetsGeneration: gen as SmetsGeneration,
      manufacturer,
      model,
      firmwareVersion,
      inventoryStatus: inventoryStatus as NewDevice['inventoryStatus'],
      assetStatus: assetStatus as NewDevice['assetStatus'],
      ownerPartyId,
      supplierPartyId,
      custodianPartyId,
    },
  };
}
