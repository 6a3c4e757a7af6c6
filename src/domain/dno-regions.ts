import { ValidationError } from './errors.ts';

/**
 * The 14 licensed distribution areas of Great Britain, by the distributor id that opens every
 * MPAN core, with the GSP group each belongs to. Ids 24 and above belong to independent
 * distribution network operators (IDNOs), whose networks sit inside a host area that the MPAN
 * core alone does not reveal.
 */
export interface DnoRegion {
  readonly distributorId: number;
  readonly name: string;
  readonly gspGroup: string;
  readonly operator: string;
}

export const DNO_REGIONS: readonly DnoRegion[] = Object.freeze([
  { distributorId: 10, name: 'Eastern', gspGroup: '_A', operator: 'UK Power Networks (Eastern)' },
  { distributorId: 11, name: 'East Midlands', gspGroup: '_B', operator: 'National Grid Electricity Distribution (East Midlands)' },
  { distributorId: 12, name: 'London', gspGroup: '_C', operator: 'UK Power Networks (London)' },
  { distributorId: 13, name: 'Merseyside and North Wales', gspGroup: '_D', operator: 'SP Energy Networks (Manweb)' },
  { distributorId: 14, name: 'Midlands', gspGroup: '_E', operator: 'National Grid Electricity Distribution (West Midlands)' },
  { distributorId: 15, name: 'Northern', gspGroup: '_F', operator: 'Northern Powergrid (Northeast)' },
  { distributorId: 16, name: 'North Western', gspGroup: '_G', operator: 'Electricity North West' },
  { distributorId: 17, name: 'North Scotland', gspGroup: '_P', operator: 'SSE Networks (North of Scotland)' },
  { distributorId: 18, name: 'South Scotland', gspGroup: '_N', operator: 'SP Energy Networks (Distribution)' },
  { distributorId: 19, name: 'South Eastern', gspGroup: '_J', operator: 'UK Power Networks (South Eastern)' },
  { distributorId: 20, name: 'Southern', gspGroup: '_H', operator: 'SSE Networks (Southern)' },
  { distributorId: 21, name: 'South Wales', gspGroup: '_K', operator: 'National Grid Electricity Distribution (South Wales)' },
  { distributorId: 22, name: 'South Western', gspGroup: '_L', operator: 'National Grid Electricity Distribution (South West)' },
  { distributorId: 23, name: 'Yorkshire', gspGroup: '_M', operator: 'Northern Powergrid (Yorkshire)' },
]);

export const FIRST_IDNO_DISTRIBUTOR_ID = 24;

export type DistributorKind = 'dno' | 'idno';

export interface Distributor {
  readonly distributorId: number;
  readonly kind: DistributorKind;
  /** The licensed area for a DNO; undefined for an IDNO (its host area is not in the MPAN core). */
  readonly region: DnoRegion | undefined;
}

/** Looks up a distributor id; ids below 10 are not issued and are refused. */
export function distributorFor(distributorId: number, field = 'distributorId'): Distributor {
  if (!Number.isInteger(distributorId) || distributorId < 10 || distributorId > 99) {
    throw new ValidationError(field, 'known-distributor-id', `${field}: distributor id ${distributorId} is unknown (10-23 are the 14 DNO areas, 24-99 independent networks)`);
  }
  const region = DNO_REGIONS.find((r) => r.distributorId === distributorId);
  return { distributorId, kind: region ? 'dno' : 'idno', region };
}

/**
 * Whether an MPAN's distributor is licensed to distribute: the 14 DNO areas (Ofgem, "The GB
 * electricity distribution network": 14 licensed DNOs; their MPAN ids 10-23 as the table of
 * Wikipedia's "Distribution network operator" lists them) always; an independent network (24-99)
 * only when the deployment lists its id (Elexon's Market Domain Data assigns IDNO ids as Ofgem
 * licenses them, so the list is configuration, not code: METEROPS_IDNO_DISTRIBUTOR_IDS).
 */
export function assertLicensedDistributor(distributorId: number, licensedIdnoIds: readonly number[], field = 'mpan'): Distributor {
  const d = distributorFor(distributorId, field);
  if (d.kind === 'idno' && !licensedIdnoIds.includes(distributorId)) {
    throw new ValidationError(
      field,
      'licensed-distributor',
      `${field}: distributor id ${distributorId} is not a licensed distributor here (10-23 are the 14 DNO areas; an independent network's id must be listed in METEROPS_IDNO_DISTRIBUTOR_IDS)`,
    );
  }
  return d;
}

export function regionByGspGroup(gspGroup: string): DnoRegion | undefined {
  return DNO_REGIONS.find((r) => r.gspGroup === gspGroup);
}
