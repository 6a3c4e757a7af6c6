import { sql, type Kysely, type Selectable } from 'kysely';
import type { AssetStatus, Device, DeviceType, Eui, InventoryStatus, SmetsGeneration } from '../../domain/index.ts';
import { keysetPage } from '../keyset-page.ts';
import type { DeviceRepository } from '../ports.ts';
import type { DB, DevicesTable } from '../schema.ts';

function toDevice(r: Selectable<DevicesTable>): Device {
  return {
    eui: r.eui as Eui,
    type: r.device_type as DeviceType,
    smetsGeneration: r.smets_generation as SmetsGeneration,
    manufacturer: r.manufacturer,
    model: r.model,
    firmwareVersion: r.firmware_version,
    inventoryStatus: r.inventory_status as InventoryStatus,
    assetStatus: r.asset_status as AssetStatus,
    ownerPartyId: r.owner_party_id,
    supplierPartyId: r.supplier_party_id,
    custodianPartyId: r.custodian_party_id,
    premiseId: r.premise_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function deviceRepository(db: Kysely<DB>): DeviceRepository {
  return {
    async get(eui) {
      const row = await db.selectFrom('devices').selectAll().where('eui', '=', eui).executeTakeFirst();
      return row && toDevice(row);
    },
    async getForUpdate(eui) {
      const row = await db.selectFrom('devices').selectAll().where('eui', '=', eui).forUpdate().executeTakeFirst();
      return row && toDevice(row);
    },
    async existing(euis) {
      if (euis.length === 0) return new Set();
      const rows = await sql<{ eui: string }>`
        SELECT eui FROM devices WHERE eui = ANY(${[...euis]}::text[])`.execute(db);
      return new Set(rows.rows.map((r) => r.eui as Eui));
    },
    async insertMany(devices, at, registrationId = null) {
      if (devices.length === 0) return;
      // One statement per batch: unnest turns column arrays into rows, far cheaper than a VALUES list.
      const col = <K extends keyof (typeof devices)[number]>(k: K) => devices.map((d) => d[k]);
      await sql`
        INSERT INTO devices (eui, device_type, smets_generation, manufacturer, model, firmware_version,
          inventory_status, asset_status, owner_party_id, supplier_party_id, custodian_party_id,
          registration_id, created_at, updated_at)
        SELECT u.*, ${registrationId}::bigint, ${at}::timestamptz, ${at}::timestamptz FROM unnest(
          ${col('eui')}::text[], ${col('type')}::text[], ${col('smetsGeneration')}::text[],
          ${col('manufacturer')}::text[], ${col('model')}::text[], ${col('firmwareVersion')}::text[],
          ${col('inventoryStatus')}::text[], ${col('assetStatus')}::text[], ${col('ownerPartyId')}::text[],
          ${col('supplierPartyId')}::text[], ${col('custodianPartyId')}::text[]) AS u`.execute(db);
    },
    async assignPremises(pairs, at) {
      if (pairs.length === 0) return;
      await sql`
        UPDATE devices d SET premise_id = u.premise_id, updated_at = ${at}::timestamptz
        FROM unnest(${pairs.map((p) => p.eui)}::text[], ${pairs.map((p) => p.premiseId)}::text[]) AS u(eui, premise_id)
        WHERE d.eui = u.eui`.execute(db);
    },
    async getManyForUpdate(euis) {
      if (!euis.length) return [];
      const rows = await db
        .selectFrom('devices')
        .selectAll()
        .where('eui', 'in', [...euis])
        .orderBy('eui')
        .forUpdate()
        .execute();
      return rows.map(toDevice);
    },
    async setAssetMany(rows, at) {
      if (!rows.length) return;
      await sql`UPDATE devices AS d SET asset_status = v.a, custodian_party_id = v.c, supplier_party_id = v.s, premise_id = v.p, updated_at = ${at}
        FROM unnest(${rows.map((r) => r.eui)}::text[], ${rows.map((r) => r.assetStatus)}::text[], ${rows.map((r) => r.custodianPartyId)}::text[], ${rows.map((r) => r.supplierPartyId)}::text[],
          ${rows.map((r) => r.premiseId)}::text[]) AS v(e, a, c, s, p)
        WHERE d.eui = v.e`.execute(db);
    },
    async update(eui, patch, at) {
      await db
        .updateTable('devices')
        .set({
          ...(patch.inventoryStatus !== undefined ? { inventory_status: patch.inventoryStatus } : {}),
          ...(patch.assetStatus !== undefined ? { asset_status: patch.assetStatus } : {}),
          ...(patch.custodianPartyId !== undefined ? { custodian_party_id: patch.custodianPartyId } : {}),
          ...(patch.supplierPartyId !== undefined ? { supplier_party_id: patch.supplierPartyId } : {}),
          ...(patch.premiseId !== undefined ? { premise_id: patch.premiseId } : {}),
          updated_at: at,
        })
        .where('eui', '=', eui)
        .execute();
    },
    async page(f, page) {
      let q = db.selectFrom('devices').selectAll();
      if (f.visibleTo !== undefined) {
        const p = f.visibleTo;
        q = q.where((eb) => eb.or([eb('supplier_party_id', '=', p), eb('owner_party_id', '=', p), eb('custodian_party_id', '=', p)]));
      }
      if (f.type) q = q.where('device_type', '=', f.type);
      if (f.inventoryStatus) q = q.where('inventory_status', '=', f.inventoryStatus);
      if (f.assetStatus) q = q.where('asset_status', '=', f.assetStatus);
      if (f.manufacturer) q = q.where('manufacturer', '=', f.manufacturer);
      if (f.model) q = q.where('model', '=', f.model);
      if (f.premiseId) q = q.where('premise_id', '=', f.premiseId);
      return keysetPage(q, { columns: ['eui'], direction: 'asc' }, page, toDevice, (r) => [r.eui]);
    },
    async list(f) {
      let q = db.selectFrom('devices').selectAll();
      if (f.visibleTo !== undefined) {
        const p = f.visibleTo;
        q = q.where((eb) => eb.or([eb('supplier_party_id', '=', p), eb('owner_party_id', '=', p), eb('custodian_party_id', '=', p)]));
      }
      if (f.type) q = q.where('device_type', '=', f.type);
      if (f.inventoryStatus) q = q.where('inventory_status', '=', f.inventoryStatus);
      if (f.assetStatus) q = q.where('asset_status', '=', f.assetStatus);
      if (f.after) q = q.where('eui', '>', f.after);
      const rows = await q.orderBy('eui').limit(f.limit).execute();
      return rows.map(toDevice);
    },
  };
}
