import type { PageRoute } from '../page-route.ts';

/** The Administration pages (web/src/pages/admin/). */
export const adminRoutes: PageRoute[] = [];
