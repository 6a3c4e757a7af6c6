import { lazy } from 'react';
import type { PageRoute } from '../page-route.ts';

const PartiesPage = lazy(() => import('./parties-page.tsx').then((m) => ({ default: m.PartiesPage })));
const PeoplePage = lazy(() => import('./people-page.tsx').then((m) => ({ default: m.PeoplePage })));
const KeysPage = lazy(() => import('./keys-page.tsx').then((m) => ({ default: m.KeysPage })));

/** The Administration pages (web/src/pages/admin/). */
export const adminRoutes: PageRoute[] = [
  { path: '/admin/parties', label: 'Parties', group: 'Administration', permission: 'read', component: PartiesPage },
  { path: '/admin/people', label: 'People and roles', group: 'Administration', permission: 'users.read', component: PeoplePage },
  { path: '/admin/keys', label: 'API keys', group: 'Administration', permission: 'keys.read', component: KeysPage },
];
