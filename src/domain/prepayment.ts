import { ValidationError } from './errors.ts';

/**
 * Prepayment rules shared by every path that issues credit or commands to a meter: vends over the
 * API, top-ups carried by an HHT, configuration codes.
 */

/** A UTRN's counter steps by 2^32: the meter rebuilds the high bits from the 10 typed (GBCS UTRN). */
export const UTRN_COUNTER_STEP = 1n << 32n;

/** A UTRN carries a value of 1 to 8191 in pounds or pennies (13 bits). */
export const UTRN_MAX_VALUE = 8191;
export type TopUpClass = 'pounds' | 'pennies';

/** meterops defaults, configurable (METEROPS_VEND_MAX_PENCE, METEROPS_VEND_DAILY_CAP_PENCE). */
export const DEFAULT_VEND_MAX_PENCE = 10_000;
export const DEFAULT_VEND_DAILY_CAP_PENCE = 25_000;
export const DAILY_CAP_WINDOW_MS = 86_400_000;

export interface PrepaymentLimits {
  readonly maxPence: number;
  readonly dailyCapPence: number;
}

export function prepaymentLimits(p: { vendMaxPence?: number; vendDailyCapPence?: number } | undefined): PrepaymentLimits {
  return { maxPence: p?.vendMaxPence ?? DEFAULT_VEND_MAX_PENCE, dailyCapPence: p?.vendDailyCapPence ?? DEFAULT_VEND_DAILY_CAP_PENCE };
}

/** A top-up's value in pence, checked against the UTRN's range and the largest single top-up. */
export function topUpPence(value: unknown, valueClass: unknown, maxPence: number, field = 'value'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > UTRN_MAX_VALUE) {
    throw new ValidationError(field, 'utrn-value', `${field}: a top-up value is a whole number from 1 to ${UTRN_MAX_VALUE}`);
  }
  if (valueClass !== 'pounds' && valueClass !== 'pennies')
    throw new ValidationError(field.replace(/value$/, 'valueClass'), 'utrn-class', `${field}: valueClass is pounds or pennies`);
  const pence = valueClass === 'pounds' ? value * 100 : value;
  if (pence > maxPence) throw new ValidationError(field, 'max-vend', `${field}: a single top-up is at most ${maxPence} pence`);
  return pence;
}

/** The most credit one device gets in 24 hours, over every route. */
export function assertWithinDailyCap(device: string, alreadyPence: number, pence: number, capPence: number, field = 'value'): void {
  if (alreadyPence + pence > capPence) throw new ValidationError(field, 'daily-cap', `${device} has had ${alreadyPence} pence in 24 hours; the cap is ${capPence}`);
}

/** The counter of the next UTRN after the last one issued. */
export const nextUtrnCounter = (lastUtrn: bigint): bigint => lastUtrn + UTRN_COUNTER_STEP;

/**
 * Commands live between two UTRN counters: n more after `from` must stay below the next UTRN's
 * counter, or the next top-up would be refused as older than a command the meter has seen.
 */
export function assertCommandCountersFit(device: string, lastUtrn: bigint, from: bigint, n: number): void {
  if (from + BigInt(n) >= nextUtrnCounter(lastUtrn)) throw new ValidationError('counter', 'counters-exhausted', `command counters for ${device} are exhausted until the next UTRN`);
}
