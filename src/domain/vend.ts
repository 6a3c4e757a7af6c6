import type { Eui } from './eui.ts';

/** A code vended under an idempotency key: a UTRN (credit) or a configuration code. */
export interface Vend {
  readonly id: string;
  readonly supplierPartyId: string;
  readonly idempotencyKey: string;
  readonly deviceEui: Eui;
  readonly kind: 'credit' | 'config';
  /** The request as canonical JSON: a retry must ask for the same thing. */
  readonly request: string;
  readonly counter: bigint;
  readonly code: string;
  readonly pence: number;
  readonly requestedBy: string;
  readonly createdAt: Date;
}
