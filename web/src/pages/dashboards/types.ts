// GET /v1/reports/returns (src/services/returns/returns-analytics.ts answers it), as the dashboards read it.

export interface GroupFigures {
  readonly key: string;
  readonly returns: number;
  readonly triaged: number;
  readonly nff: number;
  readonly fault: number;
  readonly inconclusive: number;
  readonly repeatTriage: number;
  readonly refurbished: number;
  readonly scrapped: number;
  readonly inStock: number;
  readonly stockRegions: number;
  readonly vanilla: number;
  readonly regionLocked: number;
  readonly regionLockedRegions: number;
  readonly nffRate: number | null;
}

export const DIMENSIONS = ['model', 'manufacturer', 'party', 'reason', 'smets_generation', 'device_type', 'found', 'age_in_service'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const DIMENSION_LABEL: Record<Dimension, string> = {
  model: 'model',
  manufacturer: 'manufacturer',
  party: 'party',
  reason: 'reason',
  smets_generation: 'SMETS generation',
  device_type: 'device type',
  found: 'found before / after installation',
  age_in_service: 'age in service',
};

export interface ReturnsReport {
  readonly excludeChangeOfSupplier: boolean;
  readonly costs: Record<string, number>;
  readonly overall: GroupFigures;
  readonly by: Record<Dimension, GroupFigures[]>;
  readonly money: {
    readonly testPence: number;
    readonly refurbishPence: number;
    readonly scrapPence: number;
    readonly logisticsPence: number;
    readonly avoidedPence: number;
    readonly avoidedPerRefurbishedHubPence: number | null;
  };
  readonly stockLocations: { readonly withVanilla: number; readonly regionLocked: number };
  readonly stockByLocation: { readonly limit: number; readonly total: number; readonly note: string; readonly locations: StockLocationFigures[] };
}

/** Devices in stock at a location (of one device type, or all): vanilla against region-locked, and the DNO regions the locked ones belong to. */
export interface StockFigures {
  readonly inStock: number;
  readonly vanilla: number;
  readonly regionLocked: number;
  readonly regionLockedRegions: number[];
}
export interface StockLocationFigures extends StockFigures {
  readonly location: string | null;
  readonly deviceTypes: Array<StockFigures & { readonly deviceType: string }>;
}

export interface ReturnOrder {
  readonly id: string;
  readonly createdAt: string;
}

export const pounds = (pence: number | null | undefined): string => (pence === null || pence === undefined ? '–' : `£${(pence / 100).toFixed(2)}`);
export const rate = (r: number | null): string => (r === null ? 'not triaged' : `${r}%`);
