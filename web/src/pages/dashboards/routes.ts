import type { PageRoute } from '../page-route.ts';

/** The Dashboards pages (web/src/pages/dashboards/). */
export const dashboardsRoutes: PageRoute[] = [];
