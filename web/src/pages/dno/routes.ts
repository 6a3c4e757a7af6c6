import type { PageRoute } from '../page-route.ts';

/** The Network operator pages (web/src/pages/dno/). */
export const dnoRoutes: PageRoute[] = [];
