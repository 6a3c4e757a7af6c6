import type { PageRoute } from '../page-route.ts';

/** The Triage pages (web/src/pages/triage/). */
export const triageRoutes: PageRoute[] = [];
