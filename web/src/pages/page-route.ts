import type { ComponentType } from 'react';

/** A page of the operations app: its hash path (wouter pattern), its place in the navigation. */
export interface PageRoute {
  readonly path: string;
  /** The navigation label; a route without one is reached from other pages only (e.g. a detail page). */
  readonly label?: string;
  readonly group: 'Triage' | 'Supplier operations' | 'Dashboards' | 'Security' | 'Administration' | 'Network operator';
  /** Shown in the navigation only to whom holds it (the server checks again: this only tidies the menu). */
  readonly permission?: string;
  readonly component: ComponentType<{ params: Record<string, string | undefined> }>;
}
