import type { PageRoute } from '../page-route.ts';
import { PremisePage } from './premise-page.tsx';
import { PremisesPage } from './premises-page.tsx';
import { VendPage } from './vend-page.tsx';
import { VisitQueuePage } from './visit-queue-page.tsx';
import { WorkOrderPage } from './work-order-page.tsx';
import { WorkOrdersPage } from './work-orders-page.tsx';

/** The Supplier operations pages (web/src/pages/supplier/). */
export const supplierRoutes: PageRoute[] = [
  { path: '/supplier/visit-queue', label: 'No-WAN visit queue', group: 'Supplier operations', component: VisitQueuePage },
  { path: '/supplier/premises', label: 'Premises', group: 'Supplier operations', component: PremisesPage },
  { path: '/supplier/premises/:id', group: 'Supplier operations', component: PremisePage },
  { path: '/supplier/vend', label: 'Vend and reprint', group: 'Supplier operations', permission: 'operate', component: VendPage },
  { path: '/supplier/work-orders', label: 'Work orders', group: 'Supplier operations', component: WorkOrdersPage },
  { path: '/supplier/work-orders/:id', group: 'Supplier operations', component: WorkOrderPage },
];
