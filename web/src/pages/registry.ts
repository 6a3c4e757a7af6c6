// Every page of the operations app, by area; each area owns its folder and its routes list.
import { adminRoutes } from './admin/routes.ts';
import { dashboardsRoutes } from './dashboards/routes.ts';
import { dnoRoutes } from './dno/routes.ts';
import type { PageRoute } from './page-route.ts';
import { securityRoutes } from './security/routes.ts';
import { supplierRoutes } from './supplier/routes.ts';
import { triageRoutes } from './triage/routes.ts';

export const ROUTES: readonly PageRoute[] = [...triageRoutes, ...supplierRoutes, ...dashboardsRoutes, ...securityRoutes, ...adminRoutes, ...dnoRoutes];
