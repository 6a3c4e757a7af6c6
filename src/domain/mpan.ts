import { ValidationError } from './errors.ts';
import { distributorFor, type Distributor } from './dno-regions.ts';

/** A 13-digit MPAN core whose check digit and distributor id have been verified. */
export type MpanCore = string & { readonly __brand: 'MpanCore' };

// The MRA check-digit weights: each of the first 12 digits times its prime, summed, mod 11, mod 10.
const PRIMES = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43] as const;

export function mpanCheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * PRIMES[i]!;
  return (sum % 11) % 10;
}

export function parseMpanCore(input: string, field = 'mpan'): MpanCore {
  const s = input.replaceAll(' ', '');
  if (!/^\d{13}$/.test(s)) {
    throw new ValidationError(field, 'mpan-core-format', `${field}: "${input}" is not an MPAN core (13 digits)`);
  }
  const expected = mpanCheckDigit(s.slice(0, 12));
  if (Number(s[12]) !== expected) {
    throw new ValidationError(field, 'mpan-check-digit', `${field}: MPAN core ${s} has check digit ${s[12]}, expected ${expected}`);
  }
  distributorFor(Number(s.slice(0, 2)), field);
  return s as MpanCore;
}

export function mpanDistributor(mpan: MpanCore): Distributor {
  return distributorFor(Number(mpan.slice(0, 2)));
}

/** Builds a valid core from a distributor id and a 10-digit unique part (fleet generation, tests). */
export function makeMpanCore(distributorId: number, unique: number): MpanCore {
  distributorFor(distributorId);
  const first12 = String(distributorId).padStart(2, '0') + String(unique).padStart(10, '0').slice(-10);
  return (first12 + String(mpanCheckDigit(first12))) as MpanCore;
}
