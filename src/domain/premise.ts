import { ValidationError } from './errors.ts';
import type { Eui } from './eui.ts';
import type { MpanCore } from './mpan.ts';
import type { Mprn } from './mprn.ts';

export interface Premise {
  readonly id: string;
  readonly mpan: MpanCore | null;
  readonly mprn: Mprn | null;
  readonly postcode: string;
  /** From the MPAN core; null for a gas-only premise. */
  readonly distributorId: number | null;
  readonly supplierPartyId: string | null;
  readonly createdAt: Date;
}

/** A device installed at a premise and, for HAN devices, the hub that serves it. */
export interface Installation {
  readonly premiseId: string;
  readonly deviceEui: Eui;
  /** The CHF whose device log holds this device; null for the CHF itself. */
  readonly hubEui: Eui | null;
  readonly installedAt: Date;
}

// Royal Mail format: outward code (2-4 chars) and inward code (digit + 2 letters).
const POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$/;

export function parsePostcode(input: string, field = 'postcode'): string {
  const m = POSTCODE.exec(input.trim().toUpperCase());
  if (!m) throw new ValidationError(field, 'uk-postcode', `${field}: "${input}" is not a UK postcode`);
  return `${m[1]} ${m[2]}`;
}
