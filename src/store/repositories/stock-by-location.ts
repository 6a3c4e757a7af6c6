import { sql, type Kysely } from 'kysely';
import type { StockAtLocation, StockLocationFigures } from '../../domain/index.ts';
import type { DB } from '../schema.ts';

interface Row {
  location: string | null;
  device_type: string;
  in_stock: number;
  vanilla: number;
  region_locked: number;
  regions: unknown;
  total: number;
}

const regionsOf = (v: unknown): number[] => (Array.isArray(v) ? v.map(Number) : []);
const union = (xs: ReadonlyArray<readonly number[]>): number[] => [...new Set(xs.flat())].sort((a, b) => a - b);

/**
 * The devices in stock (state in-stock), by stock location and device type, vanilla against
 * region-locked: the `limit` locations holding the most devices (then by name), and how many
 * locations there are in all. The region of a region-locked device is the DNO region it was
 * removed from (its Network Operator cell still names that region's operator).
 */
export async function stockByLocation(
  db: Kysely<DB>,
  o: { excludeChangeOfSupplier: boolean; partyId?: string; limit: number },
): Promise<{ locations: StockLocationFigures[]; total: number }> {
  const r = await sql<Row>`WITH stock AS (
        SELECT stock_location AS location, device_type, vanilla, removed_distributor FROM return_lines
        WHERE state = 'in-stock'
        ${o.excludeChangeOfSupplier ? sql`AND NOT change_of_supplier` : sql``}
        ${o.partyId ? sql`AND returned_by = ${o.partyId}` : sql``}
      ),
      top AS (SELECT location, count(*) AS n FROM stock GROUP BY location ORDER BY n DESC, location NULLS LAST LIMIT ${o.limit})
      SELECT s.location, s.device_type,
        count(*)::int AS in_stock,
        count(*) FILTER (WHERE s.vanilla)::int AS vanilla,
        count(*) FILTER (WHERE NOT s.vanilla)::int AS region_locked,
        COALESCE(array_agg(DISTINCT s.removed_distributor) FILTER (WHERE NOT s.vanilla AND s.removed_distributor IS NOT NULL), '{}') AS regions,
        (SELECT count(*) FROM (SELECT DISTINCT location FROM stock) d)::int AS total
      FROM stock s JOIN top t ON t.location IS NOT DISTINCT FROM s.location
      GROUP BY s.location, s.device_type, t.n
      ORDER BY t.n DESC, s.location NULLS LAST, s.device_type`.execute(db);
  const locations: StockLocationFigures[] = [];
  for (const x of r.rows) {
    const type: StockAtLocation = {
      deviceType: x.device_type,
      inStock: x.in_stock,
      vanilla: x.vanilla,
      regionLocked: x.region_locked,
      regionLockedRegions: regionsOf(x.regions).sort((a, b) => a - b),
    };
    const last = locations.at(-1);
    if (last && last.location === x.location) {
      locations[locations.length - 1] = {
        ...last,
        inStock: last.inStock + type.inStock,
        vanilla: last.vanilla + type.vanilla,
        regionLocked: last.regionLocked + type.regionLocked,
        regionLockedRegions: union([last.regionLockedRegions, type.regionLockedRegions]),
        deviceTypes: [...last.deviceTypes, type],
      };
    } else
      locations.push({
        location: x.location,
        inStock: type.inStock,
        vanilla: type.vanilla,
        regionLocked: type.regionLocked,
        regionLockedRegions: type.regionLockedRegions,
        deviceTypes: [type],
      });
  }
  return { locations, total: r.rows[0]?.total ?? 0 };
}
