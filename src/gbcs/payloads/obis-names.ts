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

const SCHEMAS: ReadonlyMap<string, DataSchema> = new Map([
  ...['0-0:99.98.0.255', '0-0:99.98.1.255', '0-0:99.98.4.255', '0-17:99.98.2.255', '0-0:99.98.20.255'].map((o) => [`7/${o}/a2`, EVENT_LOG] as const),
  ['1/0-0:94.44.34.1/a2', TOU_REGISTER_MATRIX],
  ['1/0-0:94.44.34.2/a2', TOU_BLOCK_REGISTER_MATRIX],
]);

/** A schema an object fixes for one attribute or method beyond what its class fixes. */
export function objectSchema(ref: ObjectRef, what: 'attribute' | 'method'): DataSchema | undefined {
  // Only profile buffers and the TOU matrices (class 1) have object schemas: skip building the key for anything else.
  if ((ref.classId !== 7 && ref.classId !== 1) || what !== 'attribute') return undefined;
  return SCHEMAS.get(`${ref.classId}/${ref.obis}/a${ref.member}`);
}
