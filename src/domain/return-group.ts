/** The returns analytics' dimensions and one group's counts. */
export type ReturnDimension = 'model' | 'manufacturer' | 'party' | 'reason' | 'smets_generation' | 'device_type' | 'found' | 'age_in_service';

/**
 * Bands of days in service (meterops' own; the 5-year edge is the triage paper's: "triage was mostly
 * carried out on meters that were returned upon installation, not meters that were five-plus years old").
 */
export const AGE_BANDS = ['not installed', 'under 30 days', '30 days to 1 year', '1 to 5 years', '5 years and over'] as const;

/** CH and meter returned together (one incident), attributed by triage outcome. */
export interface IncidentAttribution {
  readonly incidents: number;
  readonly hub: number;
  readonly meter: number;
  readonly both: number;
  /** Every line triaged No-Fault-Found. */
  readonly neither: number;
  /** A line not yet triaged, or inconclusive. */
  readonly unknown: number;
}

export interface ReturnGroup {
  readonly key: string;
  readonly returns: number;
  readonly triaged: number;
  /** No-Fault-Found lines whose last pass was by a party governance lets triage the device. */
  readonly nff: number;
  /** No-Fault-Found outcomes of a pass by a party governance does not let triage the device: not counted as NFF. */
  readonly nffNotCounted: number;
  readonly fault: number;
  readonly inconclusive: number;
  /** Lines triaged more than once, and by more than one party. */
  readonly repeatTriage: number;
  readonly multiParty: number;
  readonly triagePasses: number;
  readonly refurbished: number;
  readonly scrapped: number;
  readonly scrappedSingleBandHubs: number;
  readonly scrappedDualBandHubs: number;
  readonly refurbishedSingleBandHubs: number;
  readonly refurbishedDualBandHubs: number;
  readonly inStock: number;
  /** Regions the stock came from: the stock locations it needs if each region's stays apart. */
  readonly stockRegions: number;
  readonly vanilla: number;
  /** In stock still holding a region's NO credential, by region. */
  readonly regionLocked: number;
  readonly regionLockedRegions: number;
}

/** Devices in stock at one stock location, by device type: vanilla (any region) against region-locked. */
export interface StockAtLocation {
  readonly deviceType: string;
  readonly inStock: number;
  readonly vanilla: number;
  readonly regionLocked: number;
  /** The DNO regions (distributor ids) whose Network Operator credential the region-locked devices still hold. */
  readonly regionLockedRegions: readonly number[];
}

/** One stock location (as recorded at refurbishment; null when none was): its totals and its device types. */
export interface StockLocationFigures extends Omit<StockAtLocation, 'deviceType'> {
  readonly location: string | null;
  readonly deviceTypes: readonly StockAtLocation[];
}
