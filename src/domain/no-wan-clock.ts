/**
 * The SECMP0032 view of a no-WAN premise: the 30 days the working group asked for a prepayment
 * customer's WAN fix (a hub change, as the CSPs advise) and the 90 days the DCC has to offer a
 * solution after an install-and-leave; and how urgently a visit is needed.
 */
export const WAN_FIX_DAYS = { prepaymentFix: 30, dccSolution: 90 } as const;
const DAY = 86_400_000;

export type ClockState = 'running' | 'due-within-7-days' | 'overdue';

export interface NoWanPremiseStatus {
  readonly wanLostAt: Date;
  readonly creditPence: number | null;
  readonly supply: 'enabled' | 'disabled' | 'armed' | null;
}

export interface VisitPriority {
  readonly daysWithoutWan: number;
  readonly fix30: { readonly due: Date; readonly state: ClockState };
  readonly fix90: { readonly due: Date; readonly state: ClockState };
  /** Higher is more urgent. */
  readonly risk: number;
  readonly why: readonly string[];
}

function clock(start: Date, days: number, now: Date): { due: Date; state: ClockState } {
  const due = new Date(start.getTime() + days * DAY);
  const left = due.getTime() - now.getTime();
  return { due, state: left < 0 ? 'overdue' : left < 7 * DAY ? 'due-within-7-days' : 'running' };
}

/**
 * Risk to the customer, in points: a supply that is off outweighs everything, then no credit (a
 * disconnection is near), then each day without WAN, then an overdue fix clock.
 */
export function visitPriority(s: NoWanPremiseStatus, now: Date): VisitPriority {
  const days = Math.max(0, Math.floor((now.getTime() - s.wanLostAt.getTime()) / DAY));
  const fix30 = clock(s.wanLostAt, WAN_FIX_DAYS.prepaymentFix, now);
  const fix90 = clock(s.wanLostAt, WAN_FIX_DAYS.dccSolution, now);
  const why: string[] = [];
  let risk = days;
  if (s.supply === 'disabled' || s.supply === 'armed') {
    risk += 1000;
    why.push(`supply ${s.supply}`);
  }
  if (s.creditPence !== null && s.creditPence <= 0) {
    risk += 500;
    why.push('no credit');
  } else if (s.creditPence === null) {
    risk += 100;
    why.push('credit unknown');
  }
  if (fix30.state === 'overdue') {
    risk += 50;
    why.push('30-day WAN fix overdue');
  }
  if (fix90.state === 'overdue') why.push('90-day DCC solution overdue');
  why.push(`${days} days without WAN`);
  return { daysWithoutWan: days, fix30, fix90, risk, why };
}
