import type { HubWan } from './wan-route.ts';

/** What is known of a premise's hub WAN and its prepayment state. */
export interface PremiseWanStatus {
  readonly premiseId: string;
  readonly hubWan: HubWan;
  readonly wanLostAt: Date | null;
  readonly paymentMode: 'credit' | 'prepayment';
  readonly creditPence: number | null;
  readonly supply: 'enabled' | 'disabled' | 'armed' | null;
  readonly statusAt: Date | null;
  readonly updatedAt: Date;
}

export interface NoWanPremiseRow extends PremiseWanStatus {
  readonly postcode: string;
  readonly supplierPartyId: string | null;
  readonly distributorId: number | null;
}
