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

const optionalText = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : String(v));

/** Checks every field and reports every problem at once, each naming its field and rule. */
export function parseDeviceInput(input: DeviceInput): ParsedDevice {
  const errors: ErrorDetail[] = [];
  const req = (field: keyof DeviceInput, max = 64): string => {
    const v = input[field];
    if (v === undefined || v === null || String(v).trim() === '') {
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
    if (input.eui !== undefined && input.eui !== '' && e instanceof ValidationError) {
      errors.push({ field: 'eui', rule: 'eui-64', message: e.message });
    }
  }
  const type = req('type');
  if (type && !isDeviceType(type)) {
    errors.push({ field: 'type', rule: 'device-type', message: `type "${type}" is not one of ${DEVICE_TYPES.join(', ')}` });
  }
  const gen = optionalText(input.smetsGeneration) ?? 'SMETS2+';
  if (!(SMETS_GENERATIONS as readonly string[]).includes(gen)) {
    errors.push({ field: 'smetsGeneration', rule: 'smets-generation', message: `smetsGeneration "${gen}" is not one of ${SMETS_GENERATIONS.join(', ')}` });
  }
  const manufacturer = req('manufacturer');
  const model = req('model');
  const firmwareVersion = req('firmwareVersion', 32);
  const inventoryStatus = optionalText(input.inventoryStatus) ?? 'Pending';
  if (!isInventoryStatus(inventoryStatus)) {
    errors.push({ field: 'inventoryStatus', rule: 'inventory-status', message: `inventoryStatus "${inventoryStatus}" is not one of ${INVENTORY_STATUSES.join(', ')}` });
  }
  const assetStatus = optionalText(input.assetStatus) ?? 'in_stock';
  if (!isAssetStatus(assetStatus)) {
    errors.push({ field: 'assetStatus', rule: 'asset-status', message: `assetStatus "${assetStatus}" is not one of ${ASSET_STATUSES.join(', ')}` });
  }
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
      ownerPartyId: optionalText(input.ownerPartyId),
      supplierPartyId: optionalText(input.supplierPartyId),
      custodianPartyId: optionalText(input.custodianPartyId),
    },
  };
}
