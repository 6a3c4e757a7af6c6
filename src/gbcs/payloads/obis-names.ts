import type { DataSchema } from './dlms-data.ts';

/** A COSEM attribute or method: class, instance (OBIS, as text) and attribute or method id. */
export interface ObjectRef {
  readonly classId: number;
  readonly obis: string;
  readonly member: number;
}

/** Names of the COSEM objects GBCS ESMEs expose, by OBIS code. */
export const OBIS_NAMES: ReadonlyMap<string, string> = new Map([
  ['0-0:10.0.106.255', 'Disconnect control script table'],
  ['0-0:96.3.10.255', 'Disconnect control'],
  ['0-0:19.40.0.255', 'Token gateway'],
]);

export function objectName(_classId: number, obis: string): string | undefined {
  return OBIS_NAMES.get(obis);
}

/** Event and security logs: each entry is the event's time, its event code, then any data it carries. */
const EVENT_LOG: DataSchema = { name: 'buffer', each: { name: 'event', row: (n) => [{ name: 'event time', as: 'utc' }, { name: 'event code' }, ...Array.from({ length: Math.max(0, n - 2) }, (_, i) => ({ name: `event data ${i + 1}` }))] } };

const SCHEMAS: ReadonlyMap<string, DataSchema> = new Map([
  ...['0-0:99.98.0.255', '0-0:99.98.1.255', '0-0:99.98.4.255', '0-17:99.98.2.255', '0-0:99.98.20.255'].map((o) => [`7/${o}/a2`, EVENT_LOG] as const),
]);

/** A schema an object fixes for one attribute or method beyond what its class fixes. */
export function objectSchema(ref: ObjectRef, what: 'attribute' | 'method'): DataSchema | undefined {
  return SCHEMAS.get(`${ref.classId}/${ref.obis}/${what === 'method' ? 'm' : 'a'}${ref.member}`);
}
