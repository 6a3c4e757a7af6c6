import type { DeviceType, SmetsGeneration } from '../../domain/device-types.ts';

/** A fault a returned device can have, with its chance and what a triage bench sees. */
export interface FaultSpec {
  readonly fault:
    | 'sm-wan-fault'
    | 'smhan-interface-fault'
    | 'aerial-fault'
    | 'led-fault'
    | 'damaged-connector'
    | 'environmental-conditions-exceeded'
    | 'manufacturing-defect'
    | 'illegal-interference-broken-seals';
  /** Relative weight among this model's faults (the NFF rate sets how often there is a fault at all). */
  readonly weight: number;
  readonly observations: readonly string[];
}

/** What a model is and how it behaves; the UTRN settings are the meterops defaults of gbcs.md section 5. */
export interface DeviceModelSpec {
  readonly type: DeviceType;
  readonly manufacturer: string;
  readonly model: string;
  readonly firmwareVersion: string;
  readonly smetsGeneration: SmetsGeneration;
  /** Some models cannot be factory reset (seed 000): they are scrapped instead. */
  readonly factoryReset: boolean;
  /** How many recent UTRN counters the device remembers. */
  readonly utrnMemory: number;
  /** Consecutive wrong keypad entries that lock the keypad, and for how long. */
  readonly lockoutAfter: number;
  readonly lockoutMinutes: number;
  /** Credit above which a top-up is refused (0x8F5B), in pence. */
  readonly maxCreditPence: number;
  /** Share of returned devices of this model with no fault. */
  readonly nffRate: number;
  readonly faults: readonly FaultSpec[];
  /** GSME only: energy budget in wake units, and the cost of one wake. */
  readonly batteryWakes?: number;
}

const COMMON_FAULTS: readonly FaultSpec[] = [
  { fault: 'smhan-interface-fault', weight: 3, observations: ['HAN join fails', 'no ZigBee beacon seen'] },
  { fault: 'led-fault', weight: 1, observations: ['status LED dark with power applied'] },
  { fault: 'damaged-connector', weight: 2, observations: ['terminal block cracked', 'intermittent contact'] },
  { fault: 'environmental-conditions-exceeded', weight: 1, observations: ['moisture ingress', 'internal temperature log over limit'] },
  { fault: 'manufacturing-defect', weight: 1, observations: ['self-test error code E17'] },
  { fault: 'illegal-interference-broken-seals', weight: 1, observations: ['tamper seal broken', 'case opened'] },
];
const HUB_FAULTS: readonly FaultSpec[] = [
  { fault: 'sm-wan-fault', weight: 5, observations: ['no cellular registration', 'modem does not answer AT'] },
  { fault: 'aerial-fault', weight: 2, observations: ['RSSI below -110 dBm at test site'] },
  ...COMMON_FAULTS,
];

const base = { utrnMemory: 10, lockoutAfter: 5, lockoutMinutes: 60, maxCreditPence: 25_000, nffRate: 0.7 } as const;

/** The demo catalogue: one model of each type, plus a hub that cannot be factory reset. */
export const DEVICE_MODELS: readonly DeviceModelSpec[] = [
  { ...base, type: 'ESME', manufacturer: 'Acme Metering', model: 'E470', firmwareVersion: '3.1.0', smetsGeneration: 'SMETS2+', factoryReset: true, faults: COMMON_FAULTS },
  {
    ...base,
    type: 'GSME',
    manufacturer: 'Acme Metering',
    model: 'G4',
    firmwareVersion: '2.0.7',
    smetsGeneration: 'SMETS2+',
    factoryReset: true,
    faults: COMMON_FAULTS,
    batteryWakes: 50_000,
  },
  { ...base, type: 'CHF', manufacturer: 'Acme Hubs', model: 'CH-DB1', firmwareVersion: '1.4.2', smetsGeneration: 'SMETS2+', factoryReset: true, faults: HUB_FAULTS },
  {
    ...base,
    type: 'CHF',
    manufacturer: 'Northwind',
    model: 'NW-SB2',
    firmwareVersion: '5.0.1',
    smetsGeneration: 'SMETS2+',
    factoryReset: false,
    faults: HUB_FAULTS,
    nffRate: 0.65,
  },
  { ...base, type: 'GPF', manufacturer: 'Acme Hubs', model: 'CH-DB1', firmwareVersion: '1.4.2', smetsGeneration: 'SMETS2+', factoryReset: true, faults: HUB_FAULTS },
  { ...base, type: 'PPMID', manufacturer: 'Acme Displays', model: 'P1', firmwareVersion: '1.0.3', smetsGeneration: 'SMETS2+', factoryReset: true, faults: COMMON_FAULTS },
];

export function modelFor(type: DeviceModelSpec['type'], model?: string): DeviceModelSpec {
  const m = DEVICE_MODELS.find((x) => x.type === type && (model === undefined || x.model === model));
  if (!m) throw new Error(`no simulated model ${model ?? ''} of type ${type}`);
  return m;
}
