import { lazy } from 'react';
import type { PageRoute } from '../page-route.ts';

// ECharts is large: the dashboards load it in their own chunk, only when one is opened.
const ReturnsDashboard = lazy(() => import('./returns-dashboard.tsx'));
const ResponseTimesDashboard = lazy(() => import('./response-times-dashboard.tsx'));
const NoWanOptionsDashboard = lazy(() => import('./no-wan-options-dashboard.tsx'));

/** The Dashboards pages (web/src/pages/dashboards/). */
export const dashboardsRoutes: PageRoute[] = [
  { path: '/dashboards/returns', label: 'Returns and NFF', group: 'Dashboards', component: ReturnsDashboard },
  { path: '/dashboards/response-times', label: 'Response times', group: 'Dashboards', component: ResponseTimesDashboard },
  { path: '/dashboards/no-wan-options', label: 'No-WAN options', group: 'Dashboards', component: NoWanOptionsDashboard },
];
