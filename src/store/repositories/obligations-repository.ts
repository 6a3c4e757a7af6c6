import { sql, type Kysely, type Selectable } from 'kysely';
import type {
  AffectedDevice,
  Awareness,
  AwarenessBasis,
  DeviceType,
  Duty,
  DutyRecord,
  DutyState,
  SmetsGeneration,
  Vulnerability,
  VulnerabilityComponent,
} from '../../domain/index.ts';
import { dateKey, keysetPage } from '../keyset-page.ts';
import type { ObligationsRepository } from '../ports.ts';
import type { DB, DutiesTable, VulnerabilitiesTable, VulnerabilityAwarenessTable } from '../schema.ts';

const toVulnerability = (r: Selectable<VulnerabilitiesTable>): Vulnerability => ({
  id: r.id,
  title: r.title,
  manufacturer: r.manufacturer,
  models: JSON.parse(r.models),
  firmwareVersions: JSON.parse(r.firmware_versions),
  component: r.component as VulnerabilityComponent,
  deviceTypes: JSON.parse(r.device_types),
  awarePartyId: r.aware_party_id,
  awareAt: r.aware_at,
  manufacturerAware: r.manufacturer_aware,
  description: r.description,
  recordedAt: r.recorded_at,
});

const toDuty = (r: Selectable<DutiesTable>): DutyRecord => ({
  id: r.id,
  vulnerabilityId: r.vulnerability_id,
  partyId: r.party_id,
  duty: r.duty as Duty,
  clause: r.clause,
  deviceCount: r.device_count,
  state: r.state as DutyState,
  deadline: r.deadline,
  evidence: r.evidence,
  exemptReason: r.exempt_reason,
  closedBy: r.closed_by,
  closedAt: r.closed_at,
  createdAt: r.created_at,
  sscSteps: r.ssc_steps,
  stepsCompleteBy: r.steps_complete_by,
});

const toAwareness = (r: Selectable<VulnerabilityAwarenessTable>): Awareness => ({
  vulnerabilityId: r.vulnerability_id,
  partyId: r.party_id,
  awareAt: r.aware_at,
  basis: r.basis as AwarenessBasis,
  recordedBy: r.recorded_by,
  recordedAt: r.recorded_at,
  materiality:
    r.material === null || r.judged_at === null
      ? null
      : { material: r.material, reason: r.materiality_reason ?? '', judgedBy: r.party_id, judgedPerson: r.judged_person, judgedAt: r.judged_at },
});

export function obligationsRepository(db: Kysely<DB>): ObligationsRepository {
  return {
    async insertVulnerability(v) {
      await db
        .insertInto('vulnerabilities')
        .values({
          id: v.id,
          title: v.title,
          manufacturer: v.manufacturer,
          models: JSON.stringify(v.models),
          firmware_versions: JSON.stringify(v.firmwareVersions),
          component: v.component,
          device_types: JSON.stringify(v.deviceTypes),
          aware_party_id: v.awarePartyId,
          aware_at: v.awareAt,
          manufacturer_aware: v.manufacturerAware,
          description: v.description,
          recorded_at: v.recordedAt,
        })
        .execute();
    },
    async vulnerability(id) {
      const r = await db.selectFrom('vulnerabilities').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toVulnerability(r);
    },
    async vulnerabilityPage(f, page) {
      let q = db.selectFrom('vulnerabilities').selectAll();
      const p = f.visibleTo;
      // The User that recorded it, and every party it put a duty on.
      if (p)
        q = q.where((eb) =>
          eb.or([
            eb('aware_party_id', '=', p),
            eb.exists(eb.selectFrom('vulnerability_awareness as a').select('a.party_id').whereRef('a.vulnerability_id', '=', 'vulnerabilities.id').where('a.party_id', '=', p)),
            eb.exists(eb.selectFrom('duties as d').select('d.id').whereRef('d.vulnerability_id', '=', 'vulnerabilities.id').where('d.party_id', '=', p)),
          ]),
        );
      if (f.manufacturer) q = q.where('manufacturer', '=', f.manufacturer);
      if (f.component) q = q.where('component', '=', f.component);
      return keysetPage(q, { columns: ['id'], direction: 'asc' }, page, toVulnerability, (r) => [r.id]);
    },
    async affectedDevices(s) {
      let q = db.selectFrom('devices').select(['device_type', 'smets_generation', 'supplier_party_id']).where('manufacturer', '=', s.manufacturer);
      if (s.models.length) q = q.where('model', 'in', [...s.models]);
      if (s.firmwareVersions.length) q = q.where('firmware_version', 'in', [...s.firmwareVersions]);
      if (s.deviceTypes.length) q = q.where('device_type', 'in', [...s.deviceTypes]);
      const rows = await q.execute();
      return rows.map((r): AffectedDevice => ({ type: r.device_type as DeviceType, smetsGeneration: r.smets_generation as SmetsGeneration, supplierPartyId: r.supplier_party_id }));
    },
    async knownModels(manufacturer) {
      const r = await sql<{ model: string }>`SELECT DISTINCT model FROM devices WHERE manufacturer = ${manufacturer} ORDER BY model`.execute(db);
      return r.rows.map((x) => x.model);
    },
    async arrangements(manufacturer) {
      const rows = await db.selectFrom('manufacturer_arrangements').select(['party_id', 'g321_exemption']).where('manufacturer', '=', manufacturer).execute();
      return new Map(rows.map((r) => [r.party_id, { g321Exemption: r.g321_exemption }]));
    },
    async upsertArrangement(partyId, manufacturer, at, g321) {
      await db
        .insertInto('manufacturer_arrangements')
        .values({ party_id: partyId, manufacturer, established_at: at, g321_exemption: g321 })
        .onConflict((oc) => oc.columns(['party_id', 'manufacturer']).doUpdateSet({ established_at: at, g321_exemption: g321 }))
        .execute();
    },
    async insertDuties(ds) {
      if (!ds.length) return;
      await db
        .insertInto('duties')
        .values(
          ds.map((d) => ({
            id: d.id,
            vulnerability_id: d.vulnerabilityId,
            party_id: d.partyId,
            duty: d.duty,
            clause: d.clause,
            device_count: d.deviceCount,
            state: d.state,
            deadline: d.deadline,
            evidence: d.evidence,
            exempt_reason: d.exemptReason,
            closed_by: d.closedBy,
            closed_at: d.closedAt,
            created_at: d.createdAt,
            ssc_steps: d.sscSteps,
            steps_complete_by: d.stepsCompleteBy,
          })),
        )
        .execute();
    },
    async duty(id) {
      const r = await db.selectFrom('duties').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      return r && toDuty(r);
    },
    async closeDuty(id, p) {
      await db
        .updateTable('duties')
        .set({
          state: p.state,
          evidence: p.evidence,
          exempt_reason: p.exemptReason,
          closed_by: p.closedBy,
          closed_at: p.closedAt,
          ssc_steps: p.sscSteps ?? null,
          steps_complete_by: p.stepsCompleteBy ?? null,
        })
        .where('id', '=', id)
        .execute();
    },
    async exemptOpenDuties(vulnerabilityId, partyId, p) {
      const r = await db
        .updateTable('duties')
        .set({ state: 'exempt', exempt_reason: p.exemptReason, closed_by: p.closedBy, closed_at: p.closedAt })
        .where('vulnerability_id', '=', vulnerabilityId)
        .where('party_id', '=', partyId)
        .where('state', '=', 'open')
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    async insertAwareness(a) {
      await db
        .insertInto('vulnerability_awareness')
        .values({
          vulnerability_id: a.vulnerabilityId,
          party_id: a.partyId,
          aware_at: a.awareAt,
          basis: a.basis,
          recorded_by: a.recordedBy,
          recorded_at: a.recordedAt,
          material: a.materiality?.material ?? null,
          materiality_reason: a.materiality?.reason ?? null,
          judged_person: a.materiality?.judgedPerson ?? null,
          judged_at: a.materiality?.judgedAt ?? null,
        })
        .execute();
    },
    async awareness(vulnerabilityId, partyId) {
      const r = await db
        .selectFrom('vulnerability_awareness')
        .selectAll()
        .where('vulnerability_id', '=', vulnerabilityId)
        .where('party_id', '=', partyId)
        .forUpdate()
        .executeTakeFirst();
      return r && toAwareness(r);
    },
    async setMateriality(vulnerabilityId, partyId, j) {
      await db
        .updateTable('vulnerability_awareness')
        .set({ material: j.material, materiality_reason: j.reason, judged_person: j.judgedPerson, judged_at: j.judgedAt })
        .where('vulnerability_id', '=', vulnerabilityId)
        .where('party_id', '=', partyId)
        .execute();
    },
    async fleetManufacturers(partyId) {
      let q = db
        .selectFrom('devices')
        .select(['supplier_party_id', 'manufacturer', 'device_type', 'smets_generation', sql<number>`count(*)::int`.as('n')])
        .where('supplier_party_id', 'is not', null);
      if (partyId) q = q.where('supplier_party_id', '=', partyId);
      const rows = await q.groupBy(['supplier_party_id', 'manufacturer', 'device_type', 'smets_generation']).execute();
      return rows.map((r) => ({
        partyId: r.supplier_party_id!,
        manufacturer: r.manufacturer,
        type: r.device_type as DeviceType,
        smetsGeneration: r.smets_generation as SmetsGeneration,
        devices: Number(r.n),
      }));
    },
    async arrangementsOf(partyId) {
      let q = db.selectFrom('manufacturer_arrangements').selectAll();
      if (partyId) q = q.where('party_id', '=', partyId);
      const rows = await q.orderBy('party_id').orderBy('manufacturer').execute();
      return rows.map((r) => ({ partyId: r.party_id, manufacturer: r.manufacturer, establishedAt: r.established_at, g321Exemption: r.g321_exemption }));
    },
    async dutyPage(f, page) {
      let q = db.selectFrom('duties').selectAll();
      if (f.partyId) q = q.where('party_id', '=', f.partyId);
      if (f.duty) q = q.where('duty', '=', f.duty);
      if (f.state) q = q.where('state', '=', f.state);
      if (f.vulnerabilityId) q = q.where('vulnerability_id', '=', f.vulnerabilityId);
      if (f.overdueAt) q = q.where('state', '=', 'open').where('deadline', '<', f.overdueAt);
      // Soonest deadline first, as the list has always been.
      return keysetPage(q, { columns: ['deadline', 'id'], direction: 'asc' }, page, toDuty, (r) => [dateKey(r.deadline), r.id]);
    },
    async duties(f) {
      let q = db.selectFrom('duties').selectAll();
      if (f.partyId) q = q.where('party_id', '=', f.partyId);
      if (f.duty) q = q.where('duty', '=', f.duty);
      if (f.state) q = q.where('state', '=', f.state);
      if (f.vulnerabilityId) q = q.where('vulnerability_id', '=', f.vulnerabilityId);
      if (f.overdueAt) q = q.where('state', '=', 'open').where('deadline', '<', f.overdueAt);
      return (await q.orderBy('deadline').orderBy('id').execute()).map(toDuty);
    },
  };
}
