import { arrangementGaps, G320_CLAUSE, type ArrangementGaps, type Party } from '../domain/index.ts';
import { requireSecUser } from './awareness-duties.ts';
import type { ServiceDeps } from './deps.ts';

export interface ArrangementGapsReport {
  readonly clause: string;
  readonly users: readonly ArrangementGaps[];
}

/**
 * G3.20(b), checked before any vulnerability exists: per User, the manufacturers of the devices it
 * is the Responsible Supplier for (SMETS2+ CHFs and GPFs excluded, they are the DCC's) with which
 * it has recorded no arrangement. A User sees its own; the DCC and the SSC every User's.
 */
export async function arrangementGapsReport(deps: ServiceDeps, actor: Party): Promise<ArrangementGapsReport> {
  const all = actor.role === 'dcc' || actor.role === 'security_sub_committee';
  if (!all) requireSecUser(actor, 'arrangement-gaps', 'see their G3.20 arrangement gaps');
  const scope = all ? undefined : actor.id;
  const [fleet, arrangements] = await Promise.all([deps.store.read.obligations.fleetManufacturers(scope), deps.store.read.obligations.arrangementsOf(scope)]);
  const parties = all ? [...new Set(fleet.map((r) => r.partyId))].sort() : [actor.id];
  return { clause: G320_CLAUSE, users: arrangementGaps(parties, fleet, arrangements) };
}
