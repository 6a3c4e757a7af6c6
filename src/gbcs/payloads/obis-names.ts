import { SUB_GHZ_CONFIGURATION } from './chf-configuration-schema.ts';
import { CCS01_REGISTER_DEVICE, CCS03_RESTORE_PARAMETER, CHF_CURRENT_CONNECTED_DEVICE_LOG, CHF_DEVICE_LOG, CHF_HISTORIC_CONNECTED_DEVICE_LOG } from './device-log-schemas.ts';
import type { DataSchema } from './dlms-data.ts';

/** A COSEM attribute or method: class, instance (OBIS, as text) and attribute or method id. */
export interface ObjectRef {
  readonly classId: number;
  readonly obis: string;
  readonly member: number;
}

/**
 * Names of COSEM objects by OBIS code: the ones gbcs-payloads.md names, and the standard OBIS
 * value groups of the DLMS Blue Book where a GBCS object follows them. GB-specific objects
 * (0-0:94.44.x.x) are not named here: their table is in GBCS, not in the local material.
 */
export const OBIS_NAMES: ReadonlyMap<string, string> = new Map([
  ['0-0:10.0.106.255', 'Disconnect control script table'],
  ['0-0:96.3.10.255', 'Disconnect control'],
  ['0-0:19.40.0.255', 'Token gateway'],
  ['0-0:1.0.0.255', 'Clock'],
  ['0-0:13.0.0.255', 'Activity calendar'],
  ['0-0:19.0.0.255', 'Account'],
  ['1-0:1.8.0.255', 'Active energy import (total)'],
  ['1-0:2.8.0.255', 'Active energy export (total)'],
  ['1-0:1.6.0.255', 'Maximum demand, active import'],
  ['1-0:2.6.0.255', 'Maximum demand, active export'],
]);

/** Blue Book value groups shared by many instances: the name of the group. */
const GROUPS: ReadonlyArray<[RegExp, string]> = [
  [/^0-\d+:11\.0\.\d+\.255$/, 'Special days table'],
  [/^0-\d+:12\.0\.\d+\.255$/, 'Schedule'],
  [/^0-0:15\.0\.\d+\.255$/, 'Single action schedule'],
  [/^0-0:16\.\d+\.\d+\.255$/, 'Register monitor'],
  [/^0-0:17\.0\.\d+\.255$/, 'Limiter'],
  [/^0-0:19\.10\.\d+\.255$/, 'Credit'],
  [/^0-0:19\.20\.\d+\.255$/, 'Charge'],
  [/^0-0:43\.2\.\d+\.255$/, 'Data protection'],
  [/^0-\d+:99\.98\.\d+\.255$/, 'Event log'],
  [/^0-0:99\.1\.\d+\.255$/, 'Load profile'],
  [/^0-\d+:96\.3\.10\.255$/, 'Disconnect control'],
];

// Each OBIS code's text is made once: a payload names the same few objects again and again, and
// a string made once also keeps its hash for the lookups below.
const OBIS_TEXTS = new Map<number, string>();

/** The six bytes at `at` as OBIS text, `0-0:94.44.2.0`. */
export function obisAt(b: Uint8Array, at: number): string {
  const key = ((b[at]! * 256 + b[at + 1]!) * 256 + b[at + 2]!) * 2 ** 24 + ((b[at + 3]! << 16) | (b[at + 4]! << 8) | b[at + 5]!);
  let text = OBIS_TEXTS.get(key);
  if (text === undefined) OBIS_TEXTS.set(key, (text = `${b[at]}-${b[at + 1]}:${b[at + 2]}.${b[at + 3]}.${b[at + 4]}.${b[at + 5]}`));
  return text;
}

// '' marks an OBIS code looked up and found unnamed, so each code costs one lookup.
const NAMED = new Map<string, string>();

export function objectName(_classId: number, obis: string): string | undefined {
  const known = NAMED.get(obis);
  if (known !== undefined) return known || undefined;
  let name = OBIS_NAMES.get(obis);
  if (!name)
    for (const [re, group] of GROUPS)
      if (re.test(obis)) {
        name = `${group} ${obis}`;
        break;
      }
  NAMED.set(obis, name ?? '');
  return name;
}

/** Event and security logs: each entry is the event's time, its event code, then any data it carries. */
const EVENT_LOG: DataSchema = {
  name: 'buffer',
  each: {
    name: 'event',
    row: (n) => [{ name: 'event time', as: 'utc' }, { name: 'event code' }, ...Array.from({ length: Math.max(0, n - 2) }, (_, i) => ({ name: `event data ${i + 1}` }))],
  },
};

/*
 * The ESME's instantaneous TOU matrices (GBCS ECS17d and ECS17e, DUIS SR 4.1.2 and 4.1.3), named
 * as the DCC's DUIS response schema names them (mmc-5.4.xsd): ReadInstantaneousImportTOUMatricesRsp
 * has a TariffTOURegisterCollection of up to 48 TOUPrimaryRegisterValue, then up to 4
 * TOUSecondRegisterValue (a twin element meter's second element): the value is a structure of one
 * array per element, in that order. ReadInstantaneousImportTOUWithBlocksMatricesRsp has a
 * TariffBlockTOURegisterCollection of 4 TariffBlock of 8 RegisterMatrixTOUValue and 8
 * CounterMatrixTOUValue each (64 values); in which order the 64 come (block by block, registers
 * before counters or not) the schema does not say, so they are named by position only.
 */
const ELEMENTS: readonly DataSchema[] = [
  { name: 'primary element', each: { name: 'TOUPrimaryRegisterValue' } },
  { name: 'secondary element', each: { name: 'TOUSecondRegisterValue' } },
];
const TOU_REGISTER_MATRIX: DataSchema = { name: 'TariffTOURegisterCollection', row: (n) => ELEMENTS.slice(0, n) };
const TARIFF_BLOCK_VALUES: readonly DataSchema[] = [{ name: 'TariffBlock values', each: { name: 'RegisterMatrixTOUValue or CounterMatrixTOUValue' } }];
const TOU_BLOCK_REGISTER_MATRIX: DataSchema = { name: 'TariffBlockTOURegisterCollection', row: (n) => TARIFF_BLOCK_VALUES.slice(0, n) };

/*
 * Values of GB objects (0-0:94.44.x.x) named as the DUIS response of their use case names them,
 * element by element in the schema's order (mmc-5.4.xsd): SR 4.1.1 ReadInstantaneousImportRegistersRsp
 * (ActiveImportRegister, ReactiveImportRegister, then for a twin element meter
 * SecondaryActiveImportRegister), SR 4.16 ReadActivePowerImportRsp (ActivePowerImport as value
 * and unit, then PrimaryActivePowerImportValue), SR 4.3 ReadInstantaneousPrepayValuesRsp (six
 * integers) and SR 4.15 ReadLoadLimitDataRsp (LoadLimitSupplyState, Disable or Unchanged: the
 * one element of that response the Limiter and register values beside it leave, and two-valued
 * like the boolean; which boolean value is which DUIS does not say).
 */
// dlms-data.ts's SCALER_UNIT, made here too: dlms-data.ts imports this module, so importing a value back would be a cycle.
const SCALER_UNIT: DataSchema = { name: 'scaler_unit', members: [{ name: 'scaler' }, { name: 'unit' }] };
const IMPORT_REGISTERS: readonly DataSchema[] = [
  { name: 'ActiveImportRegister' },
  SCALER_UNIT,
  { name: 'ReactiveImportRegister' },
  SCALER_UNIT,
  { name: 'SecondaryActiveImportRegister' },
];
const INSTANTANEOUS_IMPORT_REGISTERS: DataSchema = { name: 'instantaneous import registers', row: (n) => IMPORT_REGISTERS.slice(0, n === 4 || n === 5 ? n : 0) };
const ACTIVE_POWER_IMPORT: DataSchema = { name: 'active power import', members: [{ name: 'ActivePowerImport' }, SCALER_UNIT, { name: 'PrimaryActivePowerImportValue' }] };
const INSTANTANEOUS_PREPAY_VALUES: DataSchema = {
  name: 'instantaneous prepay values',
  members: ['EmergencyCreditBalance', 'AccumulatedDebtRegister', 'PaymentDebtRegister', 'TimeDebtRegister1', 'TimeDebtRegister2', 'MeterBalance'].map((name) => ({ name })),
};
const LOAD_LIMIT_SUPPLY_STATE: DataSchema = { name: 'LoadLimitSupplyState' };
/** A GB-class (9000) value the DUIS response of its use case does not single out: read, and left not named with why. */
function gbObjectNotNamed(why: string): DataSchema {
  return { name: 'value', unknown: `class 9000 is GB-specific (its attributes are in GBCS, not in the local material) and the DUIS response ${why}` };
}

const SCHEMAS: ReadonlyMap<string, DataSchema> = new Map([
  ...['0-0:99.98.0.255', '0-0:99.98.1.255', '0-0:99.98.4.255', '0-17:99.98.2.255', '0-0:99.98.20.255'].map((o) => [`7/${o}/a2`, EVENT_LOG] as const),
  ['1/0-0:94.44.34.1/a2', TOU_REGISTER_MATRIX],
  ['1/0-0:94.44.34.2/a2', TOU_BLOCK_REGISTER_MATRIX],
  ['1/0-0:94.44.10.0/a2', SUB_GHZ_CONFIGURATION],
  ['1/0-0:94.44.34.10/a2', INSTANTANEOUS_IMPORT_REGISTERS],
  ['1/0-0:94.44.34.20/a2', ACTIVE_POWER_IMPORT],
  ['1/0-0:94.44.34.30/a2', INSTANTANEOUS_PREPAY_VALUES],
  ['9000/0-0:94.44.0.3/a2', LOAD_LIMIT_SUPPLY_STATE],
  ['9000/0-0:94.44.2.0/a2', gbObjectNotNamed('ReadTariffPrimaryElementRsp (SR 4.11.1) has no boolean element')],
  ['9000/0-0:94.44.2.10/a2', gbObjectNotNamed('ReadPrepaymentConfigurationRsp (SR 4.13) has several integers and does not say which this is')],
  ['9000/0-0:94.44.2.20/a2', gbObjectNotNamed('ReadPrepaymentConfigurationRsp (SR 4.13) has several integers and does not say which this is')],
  // The CHF's ZigBee network control objects (class 104): the device logs of DUIS SR 8.9, 8.11 and 8.12.1 (device-log-schemas.ts).
  ['104/0-0:30.3.0.255/a4', CHF_DEVICE_LOG],
  // CCS01 sets it to the template's JoinTimePeriod (AddDeviceToCHFWhitelist) right after register_device.
  ['104/0-0:30.3.0.255/a3', { name: 'JoinTimePeriod' }],
  ['104/0-0:30.3.0.255/m1', CCS01_REGISTER_DEVICE],
  ['104/0-0:30.3.0.255/m5', CCS03_RESTORE_PARAMETER],
  ['104/0-0:30.3.0.255/r4', CHF_CURRENT_CONNECTED_DEVICE_LOG],
  ['104/0-0:30.3.1.255/r4', CHF_HISTORIC_CONNECTED_DEVICE_LOG],
]);

/**
 * A schema an object fixes for one attribute, method parameter or method return value beyond what
 * its class fixes.
 */
export function objectSchema(ref: ObjectRef, what: 'attribute' | 'method' | 'return'): DataSchema | undefined {
  // Only profile buffers, Data objects (class 1), GB objects (class 9000) and ZigBee network control (class 104) have object schemas: skip building the key for anything else.
  if (ref.classId === 9000) return what === 'attribute' ? SCHEMAS.get(`9000/${ref.obis}/a${ref.member}`) : undefined;
  if (ref.classId === 104) return SCHEMAS.get(`104/${ref.obis}/${what === 'attribute' ? 'a' : what === 'method' ? 'm' : 'r'}${ref.member}`);
  if ((ref.classId !== 7 && ref.classId !== 1) || what !== 'attribute') return undefined;
  return SCHEMAS.get(`${ref.classId}/${ref.obis}/a${ref.member}`);
}
