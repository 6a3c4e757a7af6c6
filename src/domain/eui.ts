import { ValidationError } from './errors.ts';

/** An EUI-64 in canonical form: 16 upper-case hex digits, no separators. */
export type Eui = string & { readonly __brand: 'Eui' };

const PLAIN = /^[0-9A-Fa-f]{16}$/;
const HYPHENATED = /^[0-9A-Fa-f]{2}(-[0-9A-Fa-f]{2}){7}$/;

/** Accepts `00DB1234567890A0` or `00-DB-12-34-56-78-90-A0` (any case). */
export function parseEui(input: string, field = 'eui'): Eui {
  const s = input.trim();
  if (PLAIN.test(s)) return s.toUpperCase() as Eui;
  if (HYPHENATED.test(s)) return s.replaceAll('-', '').toUpperCase() as Eui;
  throw new ValidationError(field, 'eui-64', `${field}: "${input}" is not an EUI-64 (16 hex digits, plain or as 8 hyphenated pairs)`);
}

export function isEui(input: string): boolean {
  const s = input.trim();
  return PLAIN.test(s) || HYPHENATED.test(s);
}

/** The hyphenated form DUIS and device labels use: `00-DB-12-34-56-78-90-A0`. */
export function formatEuiHyphenated(eui: Eui): string {
  return eui.match(/../g)!.join('-');
}

export function euiToBytes(eui: Eui): Uint8Array {
  return Uint8Array.from(Buffer.from(eui, 'hex'));
}

export function euiFromBytes(bytes: Uint8Array): Eui {
  if (bytes.length !== 8) throw new ValidationError('eui', 'eui-64', `an EUI-64 is 8 bytes, got ${bytes.length}`);
  return Buffer.from(bytes).toString('hex').toUpperCase() as Eui;
}
