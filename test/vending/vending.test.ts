import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type Party } from '../../src/domain/index.ts';
import type { Esme } from '../../src/world/devices/esme.ts';
import { Fleet } from '../../src/world/devices/fleet.ts';
import { parseUtrn } from '../../src/gbcs/utrn.ts';
import { generateFleet } from '../../src/world/fleet-service.ts';
import { reprint, vend } from '../../src/services/vending.ts';
import { createWorkOrder } from '../../src/services/work-orders.ts';
import type { ServiceDeps } from '../../src/services/deps.ts';
import type { Store } from '../../src/store/store.ts';
import { BACKENDS } from '../support/backends.ts';
import { aParty, depsFor, withConfigurationCodes, withParties, worldOf } from '../support/builders.ts';

const STEP = 1n << 32n;

for (const backend of BACKENDS) {
  describe(`UTRN vending on ${backend.name}`, { skip: backend.skip ?? false }, () => {
    let store: Store;
    let deps: ServiceDeps;
    let fleet: Fleet;
    let supplier: Party;
    let other: Party;
    const now = new Date();
    before(async () => {
      store = await backend.open();
      deps = depsFor(store, () => now);
      const dcc = aParty({ role: 'dcc' });
      await withParties(store, dcc);
      const seed = `vend-${backend.name}`;
      await generateFleet(deps, dcc, { premises: 30, seed });
      fleet = new Fleet({ premises: 30, seed });
      const parties = await store.read.parties.list();
      supplier = parties.find((p) => p.eui === fleet.parties.suppliers[0]!.eui)!;
      other = parties.find((p) => p.eui === fleet.parties.suppliers[1]!.eui)!;
    });
    after(async () => store?.close());

    const premiseOf = (s: Party) => {
      for (let i = 0; i < fleet.premiseCount; i++) if (fleet.premise(i).supplier === s.eui) return fleet.premise(i);
      throw new Error('no premise');
    };

    it('vends UTRNs the meter accepts, raising the counter by exactly 2^32 each', async () => {
      const esmeEui = premiseOf(supplier).devices.ESME!;
      const a = await vend(deps, supplier, 'till-1', 'order-1', { kind: 'credit', deviceEui: esmeEui, value: 10, valueClass: 'pounds' });
      const b = await vend(deps, supplier, 'till-1', 'order-2', { kind: 'credit', deviceEui: esmeEui, value: 250, valueClass: 'pennies' });
      assert.deepEqual([a.created, b.created, a.vend.counter, b.vend.counter], [true, true, STEP, 2n * STEP]);
      assert.equal(parseUtrn(b.vend.code).counterLow10, 2);
      const esme = fleet.device(esmeEui) as Esme;
      assert.equal(esme.enterCode(a.vend.code, now).accepted, true);
      assert.equal(esme.enterCode(b.vend.code, now).accepted, true);
      assert.equal(esme.creditPence, 1250);
    });

    it('returns the same code for a retry and a reprint, and refuses the key for another request', async () => {
      const esmeEui = premiseOf(supplier).devices.ESME!;
      const first = await vend(deps, supplier, 'web', 'retry-1', { kind: 'credit', deviceEui: esmeEui, value: 5, valueClass: 'pounds' });
      const again = await vend(deps, supplier, 'web', 'retry-1', { kind: 'credit', deviceEui: esmeEui, value: 5, valueClass: 'pounds' });
      assert.deepEqual([again.created, again.vend.code], [false, first.vend.code]);
      assert.equal((await reprint(deps, supplier, 'retry-1')).code, first.vend.code);
      await assert.rejects(
        vend(deps, supplier, 'web', 'retry-1', { kind: 'credit', deviceEui: esmeEui, value: 6, valueClass: 'pounds' }),
        (e: unknown) => e instanceof ConflictError && e.rule === 'idempotency-key-reused',
      );
      // An unknown reprint key is a missing resource (404), as another Supplier's key is.
      await assert.rejects(reprint(deps, supplier, 'never-used'), (e: unknown) => e instanceof NotFoundError && e.field === 'idempotencyKey');
    });

    it('refuses a configuration code while governance.routes.configurationCodes is off (the default), and writes nothing', async () => {
      // IssueSEC0009 asks for "no change to installed meters": codes are only where the deployment turns them on.
      const esmeEui = premiseOf(supplier).devices.ESME!;
      const count = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM vends`.execute(store.database.db)).rows[0]!.n;
      const before = await count();
      await assert.rejects(
        vend(deps, supplier, 'agent', 'cfg-off', { kind: 'config', deviceEui: esmeEui, action: 'enableSupply' }),
        (e: unknown) => e instanceof ForbiddenError && e.rule === 'configuration-codes-off' && e.field === 'kind' && /governance\.routes\.configurationCodes/.test(e.message),
      );
      assert.equal(await count(), before);
      await assert.rejects(reprint(deps, supplier, 'cfg-off'), (e: unknown) => e instanceof NotFoundError);
    });

    it('vends a configuration code the meter applies once, where the deployment turns codes on', async () => {
      const esmeEui = premiseOf(supplier).devices.ESME!;
      const esme = fleet.device(esmeEui) as Esme;
      esme.loadSwitch = 'disabled';
      const codesOn = depsFor(store, () => now, { world: worldOf(deps), policy: { governance: withConfigurationCodes() } });
      const c = await vend(codesOn, supplier, 'agent', 'cfg-1', { kind: 'config', deviceEui: esmeEui, action: 'enableSupply' });
      assert.equal(c.vend.pence, 0);
      assert.equal(esme.enterCode(c.vend.code, now).accepted, true);
      assert.equal(esme.loadSwitch, 'enabled');
      assert.equal(esme.enterCode(c.vend.code, now).accepted, false);
    });

    it('refuses over the single-vend maximum, over the daily cap, and for a device it does not supply', async () => {
      const esmeEui = premiseOf(supplier).devices.GSME ?? premiseOf(supplier).devices.ESME!;
      await assert.rejects(
        vend(deps, supplier, 'x', 'big', { kind: 'credit', deviceEui: esmeEui, value: 150, valueClass: 'pounds' }),
        (e: unknown) => e instanceof ValidationError && e.rule === 'max-vend',
      );
      for (let i = 0; i < 2; i++) await vend(deps, supplier, 'x', `cap-${i}`, { kind: 'credit', deviceEui: esmeEui, value: 100, valueClass: 'pounds' });
      await assert.rejects(
        vend(deps, supplier, 'x', 'cap-2', { kind: 'credit', deviceEui: esmeEui, value: 60, valueClass: 'pounds' }),
        (e: unknown) => e instanceof ValidationError && e.rule === 'daily-cap',
      );
      // Another Supplier's meter answers exactly as a missing one.
      const theirs = premiseOf(supplier).devices.ESME!;
      await assert.rejects(
        vend(deps, other, 'x', 'theirs', { kind: 'credit', deviceEui: theirs, value: 1, valueClass: 'pounds' }),
        (e: unknown) => e instanceof NotFoundError && e.message === `device ${theirs} not found`,
      );
      await assert.rejects(
        vend(deps, supplier, 'x', 'bad key!', { kind: 'credit', deviceEui: esmeEui, value: 1, valueClass: 'pounds' }),
        (e: unknown) => e instanceof ValidationError && e.field === 'idempotencyKey',
      );
    });

    it('holds an HHT top-up to the configured maximum, and to the 24-hour cap over vends and work orders alike', async () => {
      const capped = depsFor(store, () => now, { world: worldOf(deps), policy: { vendMaxPence: 2_000, vendDailyCapPence: 3_000 } });
      // A premise of this Supplier that no other test vends to.
      const mine = Array.from({ length: fleet.premiseCount }, (_, i) => fleet.premise(i)).filter((x) => x.supplier === supplier.eui);
      const p = mine[mine.length - 1]!;
      assert.notEqual(p.index, premiseOf(supplier).index);
      const premiseId = `fleet-${fleet.tag.toLowerCase()}-p${p.index}`;
      const esmeEui = p.devices.ESME!;
      const orders = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM work_orders WHERE premise_id = ${premiseId}`.execute(store.database.db)).rows[0]!.n);
      const before = await orders();
      await assert.rejects(
        createWorkOrder(capped, supplier, 'planner', { premiseId, commands: [{ deviceEui: esmeEui, useCase: 'CS01a', value: 25, valueClass: 'pounds' }] }),
        (e: unknown) => e instanceof ValidationError && e.rule === 'max-vend' && e.field === 'commands[0].value' && /at most 2000 pence/.test(e.message),
      );
      // 24 hours of credit counts every route: £20 vended at the till, then an HHT top-up of £11 breaks the £30 cap.
      await vend(capped, supplier, 'till', 'before-hht', { kind: 'credit', deviceEui: esmeEui, value: 20, valueClass: 'pounds' });
      await assert.rejects(
        createWorkOrder(capped, supplier, 'planner', { premiseId, commands: [{ deviceEui: esmeEui, useCase: 'CS01a', value: 11, valueClass: 'pounds' }] }),
        (e: unknown) => e instanceof ValidationError && e.rule === 'daily-cap' && /had 2000 pence in 24 hours; the cap is 3000/.test(e.message),
      );
      assert.equal(await orders(), before, 'no work order written for a refused top-up');
      const ok = await createWorkOrder(capped, supplier, 'planner', { premiseId, commands: [{ deviceEui: esmeEui, useCase: 'CS01a', value: 9, valueClass: 'pounds' }] });
      assert.equal(ok.commands[0]!.pence, 900);
      // and the £9 the HHT carries counts against the next vend: 2000 + 900 + 200 > 3000.
      await assert.rejects(
        vend(capped, supplier, 'till', 'after-hht', { kind: 'credit', deviceEui: esmeEui, value: 2, valueClass: 'pounds' }),
        (e: unknown) => e instanceof ValidationError && e.rule === 'daily-cap' && /had 2900 pence/.test(e.message),
      );
    });

    it('gives exactly one code per key under 1,000 concurrent requests over 100 keys', async () => {
      const p = fleet.premise(premiseOf(other).index);
      const eui = p.devices.ESME!;
      const results = await Promise.all(
        Array.from({ length: 1_000 }, (_, i) => vend(deps, other, 'burst', `burst-${i % 100}`, { kind: 'credit', deviceEui: eui, value: 1, valueClass: 'pennies' })),
      );
      const byKey = new Map<string, Set<string>>();
      for (const r of results) byKey.set(r.vend.idempotencyKey, (byKey.get(r.vend.idempotencyKey) ?? new Set()).add(r.vend.code));
      assert.equal(byKey.size, 100);
      assert.ok(
        [...byKey.values()].every((codes) => codes.size === 1),
        'one code per key',
      );
      const rows = await sql<{ n: number; max: string }>`SELECT count(*) AS n, max(counter)::text AS max FROM vends WHERE device_eui = ${eui}`.execute(store.database.db);
      assert.equal(rows.rows[0]!.n, 100);
      assert.equal(BigInt(rows.rows[0]!.max), 100n * STEP);
    });
  });
}
