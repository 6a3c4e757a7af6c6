import type { PageRoute } from '../page-route.ts';

/** The Supplier operations pages (web/src/pages/supplier/). */
export const supplierRoutes: PageRoute[] = [];
