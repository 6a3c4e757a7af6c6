import type { PageRoute } from '../page-route.ts';
import { TriageBenchPage } from './triage-bench-page.tsx';

/** The Triage pages (web/src/pages/triage/). */
export const triageRoutes: PageRoute[] = [
  { path: '/triage', label: 'Triage bench', group: 'Triage', permission: 'operate', component: TriageBenchPage },
  { path: '/triage/:eui', group: 'Triage', component: TriageBenchPage },
];
