import { sql, type Insertable, type Kysely, type RawBuilder, type Selectable, type Updateable } from 'kysely';
import type { Facility, FoundWhen, RemovalNotice, ReturnDimension, ReturnEvent, ReturnGroup, ReturnLine, ReturnReason, ReturnState, TriageOutcome } from '../../domain/index.ts';
import { keysetPage } from '../keyset-page.ts';
import { incidentAttribution } from './incident-attribution.ts';
import { stockByLocation } from './stock-by-location.ts';
import type { AllowedTriage, ReturnsRepository } from '../ports.ts';
import type { DB, FacilitiesTable, RemovalNoticesTable, ReturnEventsTable, ReturnLinesTable } from '../schema.ts';

const CHUNK = 500;

const toLine = (r: Selectable<ReturnLinesTable>): ReturnLine => ({
  id: r.id,
  returnId: r.return_id,
  lineNo: r.line_no,
  deviceEui: r.device_eui,
  deviceType: r.device_type,
  manufacturer: r.manufacturer,
  model: r.model,
  smetsGeneration: r.smets_generation,
  reason: r.reason as ReturnReason,
  found: r.found as FoundWhen,
  incidentId: r.incident_id,
  changeOfSupplier: r.change_of_supplier,
  returnedBy: r.returned_by,
  removedFrom: r.removed_from,
  removedDistributor: r.removed_distributor,
  daysInService: r.days_in_service,
  state: r.state as ReturnState,
  custodianPartyId: r.custodian_party_id,
  site: r.site,
  sealsIntact: r.seals_intact,
  triageCount: r.triage_count,
  triageParties: r.triage_parties,
  lastTriagedIn: r.last_triaged_in,
  custodyPass: r.custody_pass,
  outcome: r.outcome as TriageOutcome | null,
  fault: r.fault,
  noCredential: r.no_credential,
  vanilla: r.vanilla,
  grade: r.grade,
  stockLocation: r.stock_location,
  scrapReason: r.scrap_reason,
  reinstalledAt: r.reinstalled_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const lineRow = (l: ReturnLine): Insertable<ReturnLinesTable> => ({
  id: l.id,
  return_id: l.returnId,
  line_no: l.lineNo,
  device_eui: l.deviceEui,
  device_type: l.deviceType,
  manufacturer: l.manufacturer,
  model: l.model,
  smets_generation: l.smetsGeneration,
  reason: l.reason,
  found: l.found,
  incident_id: l.incidentId,
  change_of_supplier: l.changeOfSupplier,
  returned_by: l.returnedBy,
  removed_from: l.removedFrom,
  removed_distributor: l.removedDistributor,
  days_in_service: l.daysInService,
  state: l.state,
  custodian_party_id: l.custodianPartyId,
  site: l.site,
  seals_intact: l.sealsIntact,
  triage_count: l.triageCount,
  triage_parties: l.triageParties,
  last_triaged_in: l.lastTriagedIn,
  custody_pass: l.custodyPass,
  outcome: l.outcome,
  fault: l.fault,
  no_credential: l.noCredential,
  vanilla: l.vanilla,
  grade: l.grade,
  stock_location: l.stockLocation,
  scrap_reason: l.scrapReason,
  reinstalled_at: l.reinstalledAt,
  created_at: l.createdAt,
  updated_at: l.updatedAt,
});

/** A line patch in column names (only the fields given). */
function linePatch(p: Partial<ReturnLine>): Updateable<ReturnLinesTable> {
  const full = lineRow({ ...(p as ReturnLine) });
  return Object.fromEntries(Object.entries(full).filter(([, v]) => v !== undefined)) as Updateable<ReturnLinesTable>;
}

const toFacility = (r: Selectable<FacilitiesTable>): Facility => ({
  id: r.id,
  partyId: r.party_id,
  name: r.name,
  secure: r.secure,
  smets2Triage: r.smets2_triage,
  createdAt: r.created_at,
  grant: r.secure_granted_by && r.secure_granted_at ? { by: r.secure_granted_by, at: r.secure_granted_at, basis: r.secure_grant_basis ?? '' } : null,
  revoked: r.secure_revoked_by && r.secure_revoked_at ? { by: r.secure_revoked_by, at: r.secure_revoked_at, reason: r.secure_revoke_reason ?? '' } : null,
});
const grantColumns = (f: Facility) => ({
  secure_granted_by: f.grant?.by ?? null,
  secure_granted_at: f.grant?.at ?? null,
  secure_grant_basis: f.grant?.basis ?? null,
  secure_revoked_by: f.revoked?.by ?? null,
  secure_revoked_at: f.revoked?.at ?? null,
  secure_revoke_reason: f.revoked?.reason ?? null,
});
const toEvent = (r: Selectable<ReturnEventsTable>): ReturnEvent => ({
  id: Number(r.id),
  lineId: r.line_id,
  kind: r.kind as ReturnEvent['kind'],
  partyId: r.party_id,
  at: r.at,
  details: r.details as Record<string, unknown>,
});
const toNotice = (r: Selectable<RemovalNoticesTable>): RemovalNotice => ({
  id: Number(r.id),
  premiseId: r.premise_id,
  deviceEui: r.device_eui,
  distributorId: r.distributor_id,
  dnoPartyId: r.dno_party_id,
  removedBy: r.removed_by,
  removedAt: r.removed_at,
});

const OPEN = ['in-stock', 'scrapped', 'reinstalled'];

// The groups' key column for each dimension: fixed names, never client text.
const DIM: Record<ReturnDimension, RawBuilder<unknown>> = {
  model: sql.raw("manufacturer || ' ' || model"),
  manufacturer: sql.raw('manufacturer'),
  party: sql.raw('returned_by'),
  reason: sql.raw('reason'),
  smets_generation: sql.raw('smets_generation'),
  device_type: sql.raw('device_type'),
  found: sql.raw('found'),
  // AGE_BANDS (domain/return-group.ts), by days in service at removal.
  age_in_service: sql.raw(
    "CASE WHEN days_in_service IS NULL THEN 'not installed' WHEN days_in_service < 30 THEN 'under 30 days' WHEN days_in_service < 365 THEN '30 days to 1 year' WHEN days_in_service < 1826 THEN '1 to 5 years' ELSE '5 years and over' END",
  ),
};

/** The last pass fits one of the allowed triages (generation, device type, method, role): values bound, never spliced. */
function allowedPass(rules: readonly AllowedTriage[]): RawBuilder<unknown> {
  if (!rules.length) return sql`false`;
  const one = (r: AllowedTriage) =>
    sql`(${r.generation === 'SMETS1' ? sql`smets_generation LIKE 'SMETS1%'` : sql`smets_generation NOT LIKE 'SMETS1%'`}
      ${r.deviceType ? sql`AND device_type = ${r.deviceType}` : sql``}
      ${r.method ? sql`AND last_method = ${r.method}` : sql``}
      AND last_role IN (${sql.join(r.roles.map((x) => sql`${x}`))}))`;
  return sql`(${sql.join(rules.map(one), sql` OR `)})`;
}

interface GroupRow {
  key: string;
  returns: number;
  triaged: number;
  nff: number;
  nff_not_counted: number;
  fault: number;
  inconclusive: number;
  repeat_triage: number;
  multi_party: number;
  triage_passes: number;
  refurbished: number;
  scrapped: number;
  scrapped_sb: number;
  scrapped_db: number;
  refurbished_sb: number;
  refurbished_db: number;
  in_stock: number;
  stock_regions: number;
  vanilla: number;
  region_locked: number;
  region_locked_regions: number;
}

export function returnsRepository(db: Kysely<DB>): ReturnsRepository {
  const lines = () => db.selectFrom('return_lines').selectAll();
  return {
    async insertFacility(f) {
      await db
        .insertInto('facilities')
        .values({ id: f.id, party_id: f.partyId, name: f.name, secure: f.secure, smets2_triage: f.smets2Triage, created_at: f.createdAt, ...grantColumns(f) })
        .execute();
    },
    async facilityForUpdate(id) {
      const r = await db.selectFrom('facilities').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      return r && toFacility(r);
    },
    async updateFacilityGrant(f) {
      await db
        .updateTable('facilities')
        .set({ secure: f.secure, smets2_triage: f.smets2Triage, ...grantColumns(f) })
        .where('id', '=', f.id)
        .execute();
    },
    async facility(id) {
      const r = await db.selectFrom('facilities').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toFacility(r);
    },
    async insertReturn(r, ls) {
      await db.insertInto('returns').values({ id: r.id, party_id: r.partyId, reference: r.reference, created_by: r.createdBy, created_at: r.createdAt }).execute();
      for (let i = 0; i < ls.length; i += CHUNK)
        await db
          .insertInto('return_lines')
          .values(ls.slice(i, i + CHUNK).map(lineRow))
          .execute();
    },
    async facilityPage(f, page) {
      let q = db.selectFrom('facilities').selectAll();
      if (f.partyId) q = q.where('party_id', '=', f.partyId);
      if (f.secure !== undefined) q = q.where('secure', '=', f.secure);
      if (f.smets2Triage !== undefined) q = q.where('smets2_triage', '=', f.smets2Triage);
      return keysetPage(q, { columns: ['id'], direction: 'asc' }, page, toFacility, (r) => [r.id]);
    },
    async orderPage(f, page) {
      let q = db.selectFrom('returns').selectAll();
      if (f.partyId) q = q.where('party_id', '=', f.partyId);
      if (f.reference) q = q.where('reference', '=', f.reference);
      return keysetPage(
        q,
        { columns: ['id'], direction: 'asc' },
        page,
        (r) => ({ id: r.id, partyId: r.party_id, reference: r.reference, createdBy: r.created_by, createdAt: r.created_at }),
        (r) => [r.id],
      );
    },
    async linePage(f, page) {
      let q = lines();
      const p = f.visibleTo;
      // As canSeeLine: the returning party, the custodian, or a party that has handled the line.
      if (p)
        q = q.where((eb) =>
          eb.or([
            eb('returned_by', '=', p),
            eb('custodian_party_id', '=', p),
            eb.exists(eb.selectFrom('return_events as e').select('e.id').whereRef('e.line_id', '=', 'return_lines.id').where('e.party_id', '=', p)),
          ]),
        );
      if (f.state) q = q.where('state', '=', f.state);
      if (f.returnId) q = q.where('return_id', '=', f.returnId);
      if (f.deviceEui) q = q.where('device_eui', '=', f.deviceEui);
      return keysetPage(q, { columns: ['id'], direction: 'asc' }, page, toLine, (r) => [r.id]);
    },
    async noticePage(f, page) {
      let q = db.selectFrom('removal_notices').selectAll();
      const v = f.visibleTo;
      if (v)
        q = q.where((eb) => (v.distributorId === null ? eb('removed_by', '=', v.partyId) : eb.or([eb('removed_by', '=', v.partyId), eb('distributor_id', '=', v.distributorId)])));
      if (f.distributorId !== undefined) q = q.where('distributor_id', '=', f.distributorId);
      if (f.deviceEui) q = q.where('device_eui', '=', f.deviceEui);
      return keysetPage(q, { columns: ['id'], direction: 'desc' }, page, toNotice, (r) => [r.id]);
    },
    async returnOrder(id) {
      const r = await db.selectFrom('returns').selectAll().where('id', '=', id).executeTakeFirst();
      return r && { id: r.id, partyId: r.party_id, reference: r.reference, createdBy: r.created_by, createdAt: r.created_at };
    },
    async line(id) {
      const r = await lines().where('id', '=', id).executeTakeFirst();
      return r && toLine(r);
    },
    async lineForUpdate(id) {
      const r = await lines().where('id', '=', id).forUpdate().executeTakeFirst();
      return r && toLine(r);
    },
    async linesForUpdate(ids) {
      if (!ids.length) return [];
      return (
        await lines()
          .where('id', 'in', [...ids])
          .orderBy('id')
          .forUpdate()
          .execute()
      ).map(toLine);
    },
    async saveLines(ls) {
      if (!ls.length) return;
      const a = <K extends keyof ReturnLine>(k: K) => ls.map((l) => l[k]);
      await sql`UPDATE return_lines AS r SET state = v.state, custodian_party_id = v.cust, site = v.site, seals_intact = v.seals, triage_count = v.tc, triage_parties = v.tp,
          last_triaged_in = v.lt, custody_pass = v.cp, outcome = v.outcome, fault = v.fault, no_credential = v.noc, vanilla = v.van, grade = v.grade,
          stock_location = v.loc, scrap_reason = v.scrap, reinstalled_at = v.rei, updated_at = v.upd
        FROM unnest(${a('id')}::text[], ${a('state')}::text[], ${a('custodianPartyId')}::text[], ${a('site')}::text[], ${a('sealsIntact')}::bool[], ${a('triageCount')}::int[],
          ${a('triageParties')}::int[], ${a('lastTriagedIn')}::int[], ${a('custodyPass')}::int[], ${a('outcome')}::text[], ${a('fault')}::text[], ${a('noCredential')}::text[],
          ${a('vanilla')}::bool[], ${a('grade')}::text[], ${a('stockLocation')}::text[], ${a('scrapReason')}::text[], ${a('reinstalledAt')}::text[], ${ls.map((l) => l.updatedAt.toISOString())}::timestamptz[])
          AS v(id, state, cust, site, seals, tc, tp, lt, cp, outcome, fault, noc, van, grade, loc, scrap, rei, upd)
        WHERE r.id = v.id`.execute(db);
    },
    async linesOf(returnId) {
      return (await lines().where('return_id', '=', returnId).orderBy('line_no').execute()).map(toLine);
    },
    async openLineOf(eui) {
      const r = await lines().where('device_eui', '=', eui).where('state', 'not in', OPEN).executeTakeFirst();
      return r && toLine(r);
    },
    async openLinesOf(euis) {
      if (!euis.length) return new Set();
      const rows = await db
        .selectFrom('return_lines')
        .select('device_eui')
        .where('device_eui', 'in', [...euis])
        .where('state', 'not in', OPEN)
        .execute();
      return new Set(rows.map((x) => x.device_eui));
    },
    async list(f) {
      let q = lines();
      if (f.partyId) q = q.where((eb) => eb.or([eb('returned_by', '=', f.partyId!), eb('custodian_party_id', '=', f.partyId!)]));
      if (f.state) q = q.where('state', '=', f.state);
      if (f.afterId) q = q.where('id', '>', f.afterId);
      return (await q.orderBy('id').limit(f.limit).execute()).map(toLine);
    },
    async updateLine(id, patch) {
      const set = linePatch(patch);
      if (Object.keys(set).length) await db.updateTable('return_lines').set(set).where('id', '=', id).execute();
    },
    async appendEvents(events) {
      for (let i = 0; i < events.length; i += CHUNK) {
        const part = events.slice(i, i + CHUNK);
        if (part.length)
          await db
            .insertInto('return_events')
            .values(part.map((e) => ({ line_id: e.lineId, kind: e.kind, party_id: e.partyId, at: e.at, details: JSON.stringify(e.details) })))
            .execute();
      }
    },
    async events(lineId) {
      return (await db.selectFrom('return_events').selectAll().where('line_id', '=', lineId).orderBy('id').execute()).map(toEvent);
    },
    async insertRemovalNotices(ns) {
      for (let i = 0; i < ns.length; i += CHUNK) {
        const part = ns.slice(i, i + CHUNK);
        if (part.length) {
          await db
            .insertInto('removal_notices')
            .values(
              part.map((n) => ({
                premise_id: n.premiseId,
                device_eui: n.deviceEui,
                distributor_id: n.distributorId,
                dno_party_id: n.dnoPartyId,
                removed_by: n.removedBy,
                removed_at: n.removedAt,
              })),
            )
            .execute();
        }
      }
    },
    async groups(dim, o) {
      const key = dim ? DIM[dim] : sql.raw("'all'");
      const allowed = allowedPass(o.allowedTriage);
      const r = await sql<GroupRow>`SELECT ${key} AS key,
          count(*)::int AS returns,
          count(*) FILTER (WHERE triage_count > 0)::int AS triaged,
          count(*) FILTER (WHERE outcome = 'no-fault-found' AND ${allowed})::int AS nff,
          count(*) FILTER (WHERE outcome = 'no-fault-found' AND NOT ${allowed})::int AS nff_not_counted,
          count(*) FILTER (WHERE outcome = 'fault')::int AS fault,
          count(*) FILTER (WHERE outcome = 'inconclusive')::int AS inconclusive,
          count(*) FILTER (WHERE triage_count > 1)::int AS repeat_triage,
          count(*) FILTER (WHERE triage_parties > 1)::int AS multi_party,
          COALESCE(sum(triage_count), 0)::int AS triage_passes,
          count(*) FILTER (WHERE grade IS NOT NULL AND state <> 'scrapped')::int AS refurbished,
          count(*) FILTER (WHERE state = 'scrapped')::int AS scrapped,
          count(*) FILTER (WHERE state = 'scrapped' AND device_type = 'CHF' AND model LIKE '%SB%')::int AS scrapped_sb,
          count(*) FILTER (WHERE state = 'scrapped' AND device_type = 'CHF' AND model NOT LIKE '%SB%')::int AS scrapped_db,
          count(*) FILTER (WHERE grade IS NOT NULL AND state <> 'scrapped' AND device_type = 'CHF' AND model LIKE '%SB%')::int AS refurbished_sb,
          count(*) FILTER (WHERE grade IS NOT NULL AND state <> 'scrapped' AND device_type = 'CHF' AND model NOT LIKE '%SB%')::int AS refurbished_db,
          count(*) FILTER (WHERE state = 'in-stock')::int AS in_stock,
          count(DISTINCT removed_distributor) FILTER (WHERE state = 'in-stock')::int AS stock_regions,
          count(*) FILTER (WHERE vanilla)::int AS vanilla,
          count(*) FILTER (WHERE state = 'in-stock' AND NOT vanilla)::int AS region_locked,
          count(DISTINCT removed_distributor) FILTER (WHERE state = 'in-stock' AND NOT vanilla)::int AS region_locked_regions
        FROM return_lines
        LEFT JOIN LATERAL (
          SELECT p.role AS last_role, e.details->>'method' AS last_method FROM return_events e JOIN parties p ON p.id = e.party_id
          WHERE e.line_id = return_lines.id AND e.kind = 'triage' ORDER BY e.id DESC LIMIT 1
        ) AS last_pass ON true
        WHERE true
        ${o.excludeChangeOfSupplier ? sql`AND NOT change_of_supplier` : sql``}
        ${o.partyId ? sql`AND returned_by = ${o.partyId}` : sql``}
        GROUP BY 1 ORDER BY 2 DESC, 1`.execute(db);
      return r.rows.map((x): ReturnGroup => ({
        key: String(x.key),
        returns: x.returns,
        triaged: x.triaged,
        nff: x.nff,
        nffNotCounted: x.nff_not_counted,
        fault: x.fault,
        inconclusive: x.inconclusive,
        repeatTriage: x.repeat_triage,
        multiParty: x.multi_party,
        triagePasses: x.triage_passes,
        refurbished: x.refurbished,
        scrapped: x.scrapped,
        scrappedSingleBandHubs: x.scrapped_sb,
        scrappedDualBandHubs: x.scrapped_db,
        refurbishedSingleBandHubs: x.refurbished_sb,
        refurbishedDualBandHubs: x.refurbished_db,
        inStock: x.in_stock,
        stockRegions: x.stock_regions,
        vanilla: x.vanilla,
        regionLocked: x.region_locked,
        regionLockedRegions: x.region_locked_regions,
      }));
    },
    stockByLocation: (o) => stockByLocation(db, o),
    incidentAttribution: (o) => incidentAttribution(db, o),
  };
}
