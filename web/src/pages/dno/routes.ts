import type { PageRoute } from '../page-route.ts';
import { RemovalNoticesPage } from './removal-notices-page.tsx';

/** The Network operator pages (web/src/pages/dno/). */
export const dnoRoutes: PageRoute[] = [{ path: '/dno/removal-notices', label: 'Removal notices', group: 'Network operator', permission: 'read', component: RemovalNoticesPage }];
