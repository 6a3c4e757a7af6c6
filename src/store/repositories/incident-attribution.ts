import { sql, type Kysely } from 'kysely';
import type { IncidentAttribution } from '../../domain/index.ts';
import type { DB } from '../schema.ts';

/**
 * Incidents in which a Communications Hub and a meter came back together (one return from one
 * premise), attributed by triage outcome: the hub was faulty, the meter, both, neither (every line
 * triaged, no fault found), or not yet known (a line not triaged, or inconclusive).
 */
export async function incidentAttribution(db: Kysely<DB>, o: { excludeChangeOfSupplier: boolean; partyId?: string }): Promise<IncidentAttribution> {
  const r = await sql<{ attributed: keyof IncidentAttribution; n: number }>`WITH incident AS (
        SELECT incident_id,
          bool_or(device_type = 'CHF' AND outcome = 'fault') AS hub_fault,
          bool_or(device_type <> 'CHF' AND outcome = 'fault') AS meter_fault,
          -- bool_and skips NULLs: a line not yet triaged must make the incident unknown, not NFF.
          bool_and(COALESCE(outcome = 'no-fault-found', false)) AS all_nff
        FROM return_lines
        WHERE true
        ${o.excludeChangeOfSupplier ? sql`AND NOT change_of_supplier` : sql``}
        ${o.partyId ? sql`AND returned_by = ${o.partyId}` : sql``}
        GROUP BY incident_id
        HAVING bool_or(device_type = 'CHF') AND bool_or(device_type <> 'CHF')
      )
      SELECT CASE WHEN hub_fault AND meter_fault THEN 'both' WHEN hub_fault THEN 'hub' WHEN meter_fault THEN 'meter' WHEN all_nff THEN 'neither' ELSE 'unknown' END AS attributed,
        count(*)::int AS n
      FROM incident GROUP BY 1`.execute(db);
  const out = { incidents: 0, hub: 0, meter: 0, both: 0, neither: 0, unknown: 0 };
  for (const row of r.rows) {
    out[row.attributed] = row.n;
    out.incidents += row.n;
  }
  return out;
}
