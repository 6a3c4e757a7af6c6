/** The SMETS device types meterops tracks (GBCS/SMETS names). */
export const DEVICE_TYPES = ['ESME', 'GSME', 'CHF', 'GPF', 'PPMID', 'IHD', 'CAD', 'HCALCS'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

export const SMETS_GENERATIONS = ['SMETS1', 'SMETS2+'] as const;
export type SmetsGeneration = (typeof SMETS_GENERATIONS)[number];

/** A Communications Hub is the CHF with its GPF; the DCC's status rules treat both as "CH". */
export function isCommsHub(type: DeviceType): boolean {
  return type === 'CHF' || type === 'GPF';
}

export function isMeter(type: DeviceType): boolean {
  return type === 'ESME' || type === 'GSME';
}

export function isDeviceType(s: string): s is DeviceType {
  return (DEVICE_TYPES as readonly string[]).includes(s);
}
