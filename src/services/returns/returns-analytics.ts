import { csvCell, DEFAULT_RETURN_COSTS, ForbiddenError, ValidationError, type Party, type ReturnCosts } from '../../domain/index.ts';
import type { IncidentAttribution, ReturnDimension, ReturnGroup, StockLocationFigures } from '../../domain/index.ts';
import type { ServiceDeps } from '../deps.ts';
import { DEFAULT_GOVERNANCE, type Governance } from '../../domain/governance.ts';
import type { AllowedTriage } from '../../store/ports.ts';

export const RETURN_DIMENSIONS: readonly ReturnDimension[] = ['model', 'manufacturer', 'party', 'reason', 'smets_generation', 'device_type', 'found', 'age_in_service'];

/** How many stock locations the report lists (meterops' own default and bound): the fullest first. */
export const STOCK_LOCATIONS_DEFAULT = 50;
export const STOCK_LOCATIONS_MAX = 500;

export interface GroupFigures extends ReturnGroup {
  /** NFF among triaged lines, in percent (null when none was triaged). */
  readonly nffRate: number | null;
}

export interface ReturnsReport {
  readonly excludeChangeOfSupplier: boolean;
  readonly costs: ReturnCosts;
  readonly overall: GroupFigures;
  readonly by: Readonly<Record<ReturnDimension, readonly GroupFigures[]>>;
  readonly money: {
    readonly testPence: number;
    readonly refurbishPence: number;
    readonly scrapPence: number;
    readonly logisticsPence: number;
    /** Hubs refurbished instead of scrapped: the replacement avoided, less refurbishment. */
    readonly avoidedPence: number;
    readonly avoidedPerRefurbishedHubPence: number | null;
  };
  /** Stock locations the stock in hand needs: one per asset type if vanilla, one per type and region if region-locked. */
  readonly stockLocations: {
    readonly withVanilla: number;
    readonly regionLocked: number;
    /** The same per manufacturer's model (a variant), where the paper's "over 100" comes from: "a multi-source strategy and the different meter variants". */
    readonly byVariant: { readonly withVanilla: number; readonly regionLocked: number };
  };
  /** A CH and a meter returned together (one return from one premise): which was faulty, by triage outcome. */
  readonly incidents: IncidentAttribution;
  /** The devices in stock at each stock location, vanilla against region-locked: the `limit` fullest of `total` locations. */
  readonly stockByLocation: { readonly limit: number; readonly total: number; readonly note: string; readonly locations: readonly StockLocationFigures[] };
}

/** NFF rate over triaged lines; an NFF by a party not allowed to triage the device is triaged, not NFF. */
const rate = (g: ReturnGroup): GroupFigures => ({ ...g, nffRate: g.triaged ? Math.round((g.nff / g.triaged) * 1000) / 10 : null });
const EMPTY: ReturnGroup = {
  key: 'all',
  returns: 0,
  triaged: 0,
  nff: 0,
  nffNotCounted: 0,
  fault: 0,
  inconclusive: 0,
  repeatTriage: 0,
  multiParty: 0,
  triagePasses: 0,
  refurbished: 0,
  scrapped: 0,
  scrappedSingleBandHubs: 0,
  scrappedDualBandHubs: 0,
  refurbishedSingleBandHubs: 0,
  refurbishedDualBandHubs: 0,
  inStock: 0,
  stockRegions: 0,
  vanilla: 0,
  regionLocked: 0,
  regionLockedRegions: 0,
};

/**
 * Who governance lets triage what, as the store's filter: a No-Fault-Found outcome counts as NFF only
 * when the line's last pass was by such a party (a bronze pass by a Supplier on a SMETS2 device is
 * not, by default: "under current governance for SMETS2, performing triage by anyone other than
 * manufacturers, would not be possible").
 */
export function allowedTriage(g: Governance): AllowedTriage[] {
  return [{ generation: 'SMETS2', roles: g.triage.smets2 }, { generation: 'SMETS1', roles: g.triage.smets1 }, ...g.triage.extensions];
}

/**
 * The working group's business case, from the returns meterops holds: counts and NFF rates overall
 * and by model, manufacturer, party, reason and SMETS generation, with or without change-of-supplier
 * returns; repeat triage; what testing, refurbishing, scrapping and carriage cost, and what
 * refurbishing hubs avoided; the stock locations vanilla credentials need against region-locked.
 */
export async function returnsReport(deps: ServiceDeps, actor: Party, opts: { excludeChangeOfSupplier?: boolean; stockLocationLimit?: number } = {}): Promise<ReturnsReport> {
  if (!['supplier', 'meter_asset_provider', 'manufacturer', 'dcc'].includes(actor.role)) throw new ForbiddenError('returns-report', `a ${actor.role} has no returns report`);
  const limit = opts.stockLocationLimit ?? STOCK_LOCATIONS_DEFAULT;
  if (!Number.isInteger(limit) || limit < 1 || limit > STOCK_LOCATIONS_MAX)
    throw new ValidationError('stockLocationLimit', 'stock-location-limit', `stockLocationLimit is a whole number from 1 to ${STOCK_LOCATIONS_MAX}`);
  const costs: ReturnCosts = { ...DEFAULT_RETURN_COSTS, ...deps.policy?.returnCosts };
  const scope = {
    excludeChangeOfSupplier: opts.excludeChangeOfSupplier === true,
    ...(actor.role === 'dcc' ? {} : { partyId: actor.id }),
    allowedTriage: allowedTriage(deps.policy?.governance ?? DEFAULT_GOVERNANCE),
  };
  const read = deps.store.read.returns;
  const overall = (await read.groups(null, scope))[0] ?? EMPTY;
  const stock = await read.stockByLocation({ ...scope, limit });
  const by = Object.fromEntries(await Promise.all(RETURN_DIMENSIONS.map(async (d) => [d, (await read.groups(d, scope)).map(rate)] as const))) as Record<
    ReturnDimension,
    GroupFigures[]
  >;
  // A hub model's name says its band (SB: single band; the rest dual band).
  const refurbishedSb = overall.refurbishedSingleBandHubs;
  const refurbishedDb = overall.refurbishedDualBandHubs;
  const refurbishedHubs = refurbishedSb + refurbishedDb;
  const avoided = refurbishedSb * (costs.scrappedSingleBandHubPence - costs.refurbishedHubPence) + refurbishedDb * (costs.scrappedDualBandHubPence - costs.refurbishedHubPence);
  return {
    excludeChangeOfSupplier: scope.excludeChangeOfSupplier,
    costs,
    overall: rate(overall),
    by,
    money: {
      testPence: overall.triagePasses * costs.nffTestPence,
      refurbishPence: overall.refurbished * costs.refurbishedHubPence,
      scrapPence: overall.scrappedSingleBandHubs * costs.scrappedSingleBandHubPence + overall.scrappedDualBandHubs * costs.scrappedDualBandHubPence,
      logisticsPence: overall.returns * costs.logisticsPence,
      avoidedPence: avoided,
      avoidedPerRefurbishedHubPence: refurbishedHubs ? Math.round(avoided / refurbishedHubs) : null,
    },
    stockLocations: {
      withVanilla: by.device_type.filter((g) => g.inStock > 0).length,
      regionLocked: by.device_type.reduce((n, g) => n + g.stockRegions, 0),
      byVariant: { withVanilla: by.model.filter((g) => g.inStock > 0).length, regionLocked: by.model.reduce((n, g) => n + g.stockRegions, 0) },
    },
    incidents: await read.incidentAttribution(scope),
    stockByLocation: {
      limit,
      total: stock.total,
      note: `the ${limit} locations holding the most devices (stockLocationLimit, meterops' default ${STOCK_LOCATIONS_DEFAULT}, at most ${STOCK_LOCATIONS_MAX}); a region-locked device's region is the DNO region it was removed from`,
      locations: stock.locations,
    },
  };
}

/** The report as CSV: one row per group of every dimension. */
export function returnsReportCsv(r: ReturnsReport): string {
  const head = 'dimension,key,returns,triaged,nff,fault,inconclusive,nff_rate_pct,repeat_triage,multi_party,refurbished,scrapped,vanilla,region_locked,nff_not_counted';
  const row = (dim: string, g: GroupFigures) =>
    [
      dim,
      csvCell(g.key),
      g.returns,
      g.triaged,
      g.nff,
      g.fault,
      g.inconclusive,
      g.nffRate ?? '',
      g.repeatTriage,
      g.multiParty,
      g.refurbished,
      g.scrapped,
      g.vanilla,
      g.regionLocked,
      g.nffNotCounted,
    ].join(',');
  return [head, row('overall', r.overall), ...RETURN_DIMENSIONS.flatMap((d) => r.by[d].map((g) => row(d, g)))].join('\n') + '\n';
}
