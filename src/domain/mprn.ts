import { ValidationError } from './errors.ts';

/**
 * A Meter Point Reference Number for gas: 6 to 10 digits. Xoserve's check-digit rule is not in the
 * public sources this project works from, so only the format is checked.
 */
export type Mprn = string & { readonly __brand: 'Mprn' };

export function parseMprn(input: string, field = 'mprn'): Mprn {
  const s = input.replaceAll(' ', '');
  if (!/^\d{6,10}$/.test(s) || /^0+$/.test(s)) {
    throw new ValidationError(field, 'mprn-format', `${field}: "${input}" is not an MPRN (6 to 10 digits, not all zero)`);
  }
  return s as Mprn;
}
