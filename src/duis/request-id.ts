import { formatEuiHyphenated, parseEui, type Eui } from '../domain/eui.ts';
import { DuisError } from './duis-error.ts';

/** A DUIS RequestID: `originator:target:counter`, EUIs hyphenated, the counter decimal below 2^64. */
export interface RequestId {
  readonly originator: Eui;
  readonly target: Eui;
  readonly counter: bigint;
}

const COUNTER_LIMIT = 1n << 64n;
const PAIR = '[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){7}';
const REQUEST_ID = new RegExp(`^(${PAIR}):(${PAIR}):(\\d{1,20})$`);

export function formatRequestId(r: RequestId): string {
  if (r.counter < 0n || r.counter >= COUNTER_LIMIT) throw new DuisError('request-id', `a RequestID counter is below 2^64; ${r.counter} is not`, { field: 'counter' });
  return `${formatEuiHyphenated(r.originator)}:${formatEuiHyphenated(r.target)}:${r.counter}`;
}

export function parseRequestId(text: string, field = 'RequestID'): RequestId {
  const m = REQUEST_ID.exec(text.trim());
  if (!m) throw new DuisError('request-id', `${field} "${text}" is not originator:target:counter (hyphenated EUIs, decimal counter)`, { field });
  const counter = BigInt(m[3]!);
  if (counter >= COUNTER_LIMIT) throw new DuisError('request-id', `${field} counter ${counter} is not below 2^64`, { field });
  return { originator: parseEui(m[1]!, field), target: parseEui(m[2]!, field), counter };
}
