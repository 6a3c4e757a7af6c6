import { lazy } from 'react';
import type { PageRoute } from '../page-route.ts';

const VulnerabilitiesPage = lazy(() => import('./vulnerabilities-page.tsx').then((m) => ({ default: m.VulnerabilitiesPage })));
const HeldRequestsPage = lazy(() => import('./held-requests-page.tsx').then((m) => ({ default: m.HeldRequestsPage })));
const AuditPage = lazy(() => import('./audit-page.tsx').then((m) => ({ default: m.AuditPage })));

/** The Security pages (web/src/pages/security/). */
export const securityRoutes: PageRoute[] = [
  { path: '/security/vulnerabilities', label: 'Vulnerabilities and duties', group: 'Security', permission: 'read', component: VulnerabilitiesPage },
  { path: '/security/held-requests', label: 'Held requests', group: 'Security', permission: 'read', component: HeldRequestsPage },
  { path: '/security/audit', label: 'Audit log and proofs', group: 'Security', permission: 'audit.read', component: AuditPage },
];
