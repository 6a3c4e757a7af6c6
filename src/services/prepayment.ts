import { assertWithinDailyCap, DAILY_CAP_WINDOW_MS, nextUtrnCounter, prepaymentLimits, topUpPence, type Eui } from '../domain/index.ts';
import type { StoreTx } from '../store/ports.ts';
import type { ServiceDeps } from './deps.ts';

/** A top-up's value in pence against the configured largest single top-up. */
export function checkTopUp(deps: ServiceDeps, value: unknown, valueClass: unknown, field = 'value'): number {
  return topUpPence(value, valueClass, prepaymentLimits(deps.policy).maxPence, field);
}

/**
 * The counter for a new UTRN or configuration code from this Supplier to this device: the 24-hour
 * cap checked over every route (vends and HHT top-ups), then the counter locked and raised by 2^32.
 * The caller records it (`tx.vends.setCounter`) once the code is issued, so that a request held by
 * the volume check spends nothing. Commands share the allocator (`tx.vends.allocateCommandCounters`)
 * and stay below the next UTRN.
 */
export async function nextCodeCounter(tx: StoreTx, deps: ServiceDeps, supplierPartyId: string, device: Eui, pence: number, now: Date, field = 'value'): Promise<bigint> {
  if (pence > 0) {
    const today = await tx.vends.penceSince(device, new Date(now.getTime() - DAILY_CAP_WINDOW_MS));
    assertWithinDailyCap(device, today, pence, prepaymentLimits(deps.policy).dailyCapPence, field);
  }
  return nextUtrnCounter(await tx.vends.lockCounter(supplierPartyId, device));
}
