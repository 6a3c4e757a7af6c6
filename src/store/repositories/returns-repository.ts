import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Facility, RemovalNotice, ReturnEvent, ReturnLine } from '../../domain/index.ts';
import type { ReturnDimension, ReturnGroup, ReturnsRepository } from '../ports.ts';
import type { DB } from '../schema.ts';

type Row = Record<string, unknown>;
const CHUNK = 500;

// Line columns, domain name -> column.
const LINE_COLUMNS: Record<string, string> = {
  id: 'id', returnId: 'return_id', lineNo: 'line_no', deviceEui: 'device_eui', deviceType: 'device_type', manufacturer: 'manufacturer', model: 'model',
  smetsGeneration: 'smets_generation', reason: 'reason', found: 'found', incidentId: 'incident_id', changeOfSupplier: 'change_of_supplier', returnedBy: 'returned_by',
  removedFrom: 'removed_from', removedDistributor: 'removed_distributor', daysInService: 'days_in_service', state: 'state', custodianPartyId: 'custodian_party_id',
  site: 'site', sealsIntact: 'seals_intact', triageCount: 'triage_count', triageParties: 'triage_parties', lastTriagedIn: 'last_triaged_in', custodyPass: 'custody_pass',
  outcome: 'outcome', fault: 'fault', noCredential: 'no_credential', vanilla: 'vanilla', grade: 'grade', stockLocation: 'stock_location', scrapReason: 'scrap_reason',
  reinstalledAt: 'reinstalled_at', createdAt: 'created_at', updatedAt: 'updated_at',
};
const toLine = (r: Row): ReturnLine => Object.fromEntries(Object.entries(LINE_COLUMNS).map(([k, c]) => [k, r[c]])) as unknown as ReturnLine;
const toFacility = (r: Row): Facility => ({ id: r.id as string, partyId: r.party_id as string, name: r.name as string, secure: r.secure as boolean, smets2Triage: r.smets2_triage as boolean, createdAt: r.created_at as Date });

// The groups' key column for each dimension: fixed names, never client text.
const DIM: Record<ReturnDimension, RawBuilder<unknown>> = {
  model: sql.raw("manufacturer || ' ' || model"), manufacturer: sql.raw('manufacturer'), party: sql.raw('returned_by'), reason: sql.raw('reason'),
  smets_generation: sql.raw('smets_generation'), device_type: sql.raw('device_type'),
};

export function returnsRepository(db: Kysely<DB>): ReturnsRepository {
  const lines = async (q: RawBuilder<Row>) => (await q.execute(db)).rows.map(toLine);
  return {
    async insertFacility(f) {
      await sql`INSERT INTO facilities (id, party_id, name, secure, smets2_triage, created_at) VALUES (${f.id}, ${f.partyId}, ${f.name}, ${f.secure}, ${f.smets2Triage}, ${f.createdAt})`.execute(db);
    },
    async facility(id) {
      const r = (await sql<Row>`SELECT * FROM facilities WHERE id = ${id}`.execute(db)).rows[0];
      return r && toFacility(r);
    },
    async insertReturn(r, ls) {
      await sql`INSERT INTO returns (id, party_id, reference, created_by, created_at) VALUES (${r.id}, ${r.partyId}, ${r.reference}, ${r.createdBy}, ${r.createdAt})`.execute(db);
      const cols = Object.values(LINE_COLUMNS);
      for (let i = 0; i < ls.length; i += CHUNK) {
        const values = ls.slice(i, i + CHUNK).map((l) => sql`(${sql.join(Object.keys(LINE_COLUMNS).map((k) => (l as unknown as Row)[k]))})`);
        await sql`INSERT INTO return_lines (${sql.raw(cols.join(', '))}) VALUES ${sql.join(values)}`.execute(db);
      }
    },
    async returnOrder(id) {
      const r = (await sql<Row>`SELECT * FROM returns WHERE id = ${id}`.execute(db)).rows[0];
      return r && { id: r.id as string, partyId: r.party_id as string, reference: r.reference as string | null, createdBy: r.created_by as string, createdAt: r.created_at as Date };
    },
    async line(id) {
      return (await lines(sql<Row>`SELECT * FROM return_lines WHERE id = ${id}`))[0];
    },
    async lineForUpdate(id) {
      return (await lines(sql<Row>`SELECT * FROM return_lines WHERE id = ${id} FOR UPDATE`))[0];
    },
    linesForUpdate(ids) {
      return lines(sql<Row>`SELECT * FROM return_lines WHERE id = ANY(${[...ids]}::text[]) ORDER BY id FOR UPDATE`);
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
    linesOf(returnId) {
      return lines(sql<Row>`SELECT * FROM return_lines WHERE return_id = ${returnId} ORDER BY line_no`);
    },
    async openLineOf(eui) {
      return (await lines(sql<Row>`SELECT * FROM return_lines WHERE device_eui = ${eui} AND state NOT IN ('in-stock', 'scrapped', 'reinstalled')`))[0];
    },
    async openLinesOf(euis) {
      if (!euis.length) return new Set();
      const r = await sql<{ e: string }>`SELECT device_eui AS e FROM return_lines WHERE device_eui = ANY(${[...euis]}::text[]) AND state NOT IN ('in-stock', 'scrapped', 'reinstalled')`.execute(db);
      return new Set(r.rows.map((x) => x.e));
    },
    list(f) {
      return lines(sql<Row>`SELECT * FROM return_lines WHERE true
        ${f.partyId ? sql`AND (returned_by = ${f.partyId} OR custodian_party_id = ${f.partyId})` : sql``}
        ${f.state ? sql`AND state = ${f.state}` : sql``}
        ${f.afterId ? sql`AND id > ${f.afterId}` : sql``}
        ORDER BY id LIMIT ${f.limit}`);
    },
    async updateLine(id, patch) {
      const sets = Object.entries(patch).map(([k, v]) => sql`${sql.ref(LINE_COLUMNS[k]!)} = ${v}`);
      if (sets.length) await sql`UPDATE return_lines SET ${sql.join(sets)} WHERE id = ${id}`.execute(db);
    },
    async appendEvents(events) {
      for (let i = 0; i < events.length; i += CHUNK) {
        const values = events.slice(i, i + CHUNK).map((e) => sql`(${e.lineId}, ${e.kind}, ${e.partyId}, ${e.at}, ${JSON.stringify(e.details)}::jsonb)`);
        if (values.length) await sql`INSERT INTO return_events (line_id, kind, party_id, at, details) VALUES ${sql.join(values)}`.execute(db);
      }
    },
    async events(lineId) {
      const rows = (await sql<Row>`SELECT * FROM return_events WHERE line_id = ${lineId} ORDER BY id`.execute(db)).rows;
      return rows.map((r): ReturnEvent => ({ id: Number(r.id), lineId: r.line_id as string, kind: r.kind as ReturnEvent['kind'], partyId: r.party_id as string, at: r.at as Date, details: r.details as Record<string, unknown> }));
    },
    async insertRemovalNotices(ns) {
      for (let i = 0; i < ns.length; i += CHUNK) {
        const values = ns.slice(i, i + CHUNK).map((n) => sql`(${n.premiseId}, ${n.deviceEui}, ${n.distributorId}, ${n.dnoPartyId}, ${n.removedBy}, ${n.removedAt})`);
        if (values.length) await sql`INSERT INTO removal_notices (premise_id, device_eui, distributor_id, dno_party_id, removed_by, removed_at) VALUES ${sql.join(values)}`.execute(db);
      }
    },
    async removalNotices(distributorId, limit) {
      const rows = (await sql<Row>`SELECT * FROM removal_notices WHERE distributor_id = ${distributorId} ORDER BY id DESC LIMIT ${limit}`.execute(db)).rows;
      return rows.map((r): RemovalNotice => ({ id: Number(r.id), premiseId: r.premise_id as string, deviceEui: r.device_eui as string, distributorId: r.distributor_id as number, dnoPartyId: r.dno_party_id as string | null, removedBy: r.removed_by as string, removedAt: r.removed_at as Date }));
    },
    async groups(dim, o) {
      const key = dim ? DIM[dim] : sql.raw("'all'");
      const r = await sql<Row>`SELECT ${key} AS key,
          count(*)::int AS returns,
          count(*) FILTER (WHERE triage_count > 0)::int AS triaged,
          count(*) FILTER (WHERE outcome = 'no-fault-found')::int AS nff,
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
        FROM return_lines WHERE true
        ${o.excludeChangeOfSupplier ? sql`AND NOT change_of_supplier` : sql``}
        ${o.partyId ? sql`AND returned_by = ${o.partyId}` : sql``}
        GROUP BY 1 ORDER BY 2 DESC, 1`.execute(db);
      return r.rows.map((x): ReturnGroup => ({
        key: String(x.key), returns: x.returns as number, triaged: x.triaged as number, nff: x.nff as number, fault: x.fault as number, inconclusive: x.inconclusive as number,
        repeatTriage: x.repeat_triage as number, multiParty: x.multi_party as number, triagePasses: x.triage_passes as number, refurbished: x.refurbished as number, scrapped: x.scrapped as number,
        scrappedSingleBandHubs: x.scrapped_sb as number, scrappedDualBandHubs: x.scrapped_db as number,
        refurbishedSingleBandHubs: x.refurbished_sb as number, refurbishedDualBandHubs: x.refurbished_db as number, inStock: x.in_stock as number, stockRegions: x.stock_regions as number, vanilla: x.vanilla as number, regionLocked: x.region_locked as number,
        regionLockedRegions: x.region_locked_regions as number,
      }));
    },
  };
}
