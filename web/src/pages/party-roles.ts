import type { PageRoute } from './page-route.ts';

/**
 * Which party roles each page serves, as the services decide it (the server checks again: this
 * only keeps out of the menu what the server would refuse the party). A page not listed here
 * serves every party role; the person's permissions still apply (PageRoute.permission).
 * Kept in one place by path, beside the server rule each follows.
 */
const SERVES: Readonly<Record<string, readonly string[]>> = {
  // returns.ts: a Supplier or a MAP returns devices; facilities are run by these and the DCC, and triage needs one's own.
  '/triage': ['supplier', 'meter_asset_provider', 'manufacturer', 'dcc'],
  // wan-routing.ts: the visit queue is a Supplier's (or the DCC's) view, and the premise page reads it for the WAN status.
  '/supplier/visit-queue': ['supplier', 'dcc'],
  '/supplier/premises': ['supplier', 'dcc'],
  // vending.ts: only a Supplier vends.
  '/supplier/vend': ['supplier'],
  // work-orders.ts: only a Supplier creates work orders; the DCC may read them.
  '/supplier/work-orders': ['supplier', 'dcc'],
  // returns-analytics.ts: the returns report is a Supplier's, a MAP's, a manufacturer's or the DCC's.
  '/dashboards/returns': ['supplier', 'meter_asset_provider', 'manufacturer', 'dcc'],
  // returns.ts (removalNotices): a DNO's are the removals in its region; the DCC sees all.
  '/dno/removal-notices': ['network_operator', 'dcc'],
};

/** Whether the page serves a party of this role. */
export const servesPartyRole = (route: Pick<PageRoute, 'path'>, partyRole: string): boolean => SERVES[route.path]?.includes(partyRole) ?? true;
