import type { PageRoute } from '../page-route.ts';

/** The Security pages (web/src/pages/security/). */
export const securityRoutes: PageRoute[] = [];
