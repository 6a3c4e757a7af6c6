import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { ConflictError } from '../../src/domain/index.ts';
import { DataDirLockedError } from '../../src/store/data-dir-lock.ts';
import { openDatabase } from '../../src/store/database.ts';
import { loadMigrations, migrate } from '../../src/store/migrate.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { BACKENDS } from '../support/backends.ts';
import { aDevice, aParty, withParties } from '../support/builders.ts';

for (const backend of BACKENDS) {
  describe(`store contract on ${backend.name}`, { skip: backend.skip ?? false }, () => {
    let store: Store;
    before(async () => {
      store = await backend.open();
    });
    after(async () => store?.close());

    it('has applied every migration, and a second run applies none', async () => {
      const report = await migrate(store.database);
      assert.deepEqual(report.applied, []);
      assert.equal(report.alreadyApplied, loadMigrations().length);
    });

    it('refuses a migration whose file changed after it was applied', async () => {
      const changed = loadMigrations().map((m) => ({ ...m, checksum: 'x' }));
      await assert.rejects(migrate(store.database, changed), /was changed after it was applied/);
    });

    it('stores and reads back a device with every field', async () => {
      const [owner] = await withParties(store, aParty({ role: 'meter_asset_provider' }));
      const d = aDevice({ ownerPartyId: owner!.id, custodianPartyId: owner!.id, smetsGeneration: 'SMETS1', type: 'GSME' });
      const at = new Date('2026-01-02T03:04:05.678Z');
      await store.transaction((tx) => tx.devices.insertMany([d], at));
      const got = await store.read.devices.get(d.eui);
      assert.deepEqual(got, { ...d, supplierPartyId: null, premiseId: null, createdAt: at, updatedAt: at });
    });

    it('parses int8 to a number on this backend, as on the other', async () => {
      const r = await sql<{ n: number; big: number }>`SELECT count(*) AS n, 9007199254740991::int8 AS big`.execute(store.database.db);
      assert.equal(typeof r.rows[0]!.n, 'number');
      assert.equal(r.rows[0]!.big, Number.MAX_SAFE_INTEGER);
      await assert.rejects(sql`SELECT 9007199254740993::int8 AS x`.execute(store.database.db), /outside the safe integer range/);
    });

    it('rolls back everything a failed transaction wrote', async () => {
      const [p] = await withParties(store, aParty());
      const d = aDevice({ supplierPartyId: p!.id });
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.devices.insertMany([d], new Date());
          await tx.devices.insertMany([d], new Date());
        }),
        (e: unknown) => e instanceof ConflictError && e.rule === 'unique',
      );
      assert.equal(await store.read.devices.get(d.eui), undefined);
    });

    it('keeps device events append-only: update and delete are refused by the database', async () => {
      const [p] = await withParties(store, aParty());
      const d = aDevice({ supplierPartyId: p!.id });
      await store.transaction(async (tx) => {
        await tx.devices.insertMany([d], new Date());
        await tx.events.appendMany([
          { deviceEui: d.eui, lifecycle: 'registry', fromStatus: null, toStatus: 'registered', actorPartyId: p!.id, occurredAt: new Date(), location: null, reason: null },
        ]);
      });
      await assert.rejects(sql`UPDATE device_events SET reason = 'x' WHERE device_eui = ${d.eui}`.execute(store.database.db), /append-only/);
      await assert.rejects(sql`DELETE FROM device_events WHERE device_eui = ${d.eui}`.execute(store.database.db), /append-only/);
      assert.equal((await store.read.events.forDevice(d.eui, { limit: 10 })).length, 1);
    });

    it('serialises concurrent transactions without losing rows', async () => {
      const [p] = await withParties(store, aParty());
      const devices = Array.from({ length: 20 }, () => aDevice({ supplierPartyId: p!.id }));
      await Promise.all(devices.map((d) => store.transaction((tx) => tx.devices.insertMany([d], new Date()))));
      const found = await store.read.devices.existing(devices.map((d) => d.eui));
      assert.equal(found.size, 20);
    });

    it('lists with filters and keyset pagination, scoped to a party', async () => {
      const [a, b] = await withParties(store, aParty(), aParty());
      const mine = Array.from({ length: 5 }, () => aDevice({ supplierPartyId: a!.id, type: 'GSME' }));
      await store.transaction((tx) => tx.devices.insertMany([...mine, aDevice({ supplierPartyId: b!.id, type: 'GSME' })], new Date()));
      const page1 = await store.read.devices.list({ visibleTo: a!.id, type: 'GSME', limit: 3 });
      const page2 = await store.read.devices.list({ visibleTo: a!.id, type: 'GSME', limit: 3, after: page1.at(-1)!.eui });
      assert.deepEqual(
        [...page1, ...page2].map((d) => d.eui),
        mine.map((d) => d.eui).sort(),
      );
    });
  });
}

describe('embedded data directory', () => {
  it('is locked against a second process and reused after close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meterops-lock-'));
    try {
      const first = await openStore({ kind: 'pglite', dataDir: dir });
      await assert.rejects(openDatabase({ kind: 'pglite', dataDir: dir }), (e: unknown) => e instanceof DataDirLockedError && e.code === 'DATA_DIR_LOCKED');
      await withParties(first.store, aParty({ id: 'kept-party' }));
      await first.store.close();
      const second = await openStore({ kind: 'pglite', dataDir: dir });
      assert.deepEqual(second.migrations.applied, []);
      assert.equal((await second.store.read.parties.get('kept-party'))?.id, 'kept-party');
      await second.store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
