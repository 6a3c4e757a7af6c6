import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { sql } from 'kysely';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/domain/index.ts';
import { releaseHeldRequests, submitCommandRequest } from '../../src/services/anomaly-detection.ts';
import { pruneAudit, verifyAudit } from '../../src/services/audit.ts';
import { drainAudit } from '../../src/services/audit-sequencer.ts';
import type { ServiceDeps } from '../../src/services/deps.ts';
import { closeDuty, exemptDuty, listDuties, obligationsReport, recordArrangement, recordVulnerability } from '../../src/services/obligations.ts';
import { registerDevices } from '../../src/services/register-devices.ts';
import { recordAwareness } from '../../src/services/vulnerability-awareness.ts';
import { BACKENDS } from '../support/backends.ts';
import { aDeviceInput, aParty, depsFor, testAuditKey, withParties } from '../support/builders.ts';

for (const backend of BACKENDS) {
  describe(`obligations, anomaly holds and audit on ${backend.name}`, { skip: backend.skip ?? false }, () => {
    const start = new Date('2026-11-01T09:00:00Z');
    /** Anomaly settings with the given disable-supply limit an hour (the other types at 5). */
    const disableSupplyLimit = (max: number) => ({
      limits: {
        disable_supply: { max, windowMinutes: 60 },
        credential_replacement: { max: 5, windowMinutes: 60 },
        utrn_vend: { max: 5, windowMinutes: 60 },
        hht_work_order: { max: 5, windowMinutes: 60 },
      },
      alertWithinMinutes: 30,
    });
    /**
     * Each test's own database: the DCC, two Suppliers and the SSC; 5 SMETS2+ hubs (CHF, GPF) of
     * Supplier A registered by the DCC, 4 SMETS1 hubs of Supplier A, 5 SMETS2+ meters of Supplier B,
     * all of model HubX by one maker. `vulnerable` also records the vulnerability of the first test.
     */
    async function world(t: TestContext, opts: { vulnerable?: boolean } = {}) {
      const store = await backend.open();
      t.after(() => store.close());
      const w = { clock: start };
      const deps: ServiceDeps = depsFor(store, () => w.clock);
      const dcc = aParty({ id: `dcc-${backend.name}`, role: 'dcc' });
      const supA = aParty({ role: 'supplier' });
      const supB = aParty({ role: 'supplier' });
      const ssc = aParty({ role: 'security_sub_committee' });
      const maker = `Maker-${backend.name}`;
      await withParties(store, dcc, supA, supB, ssc);
      const devices = (type: string, smets: string, n: number) =>
        Array.from({ length: n }, (_, i) => ({ row: i, input: aDeviceInput({ type, smetsGeneration: smets, manufacturer: maker, model: 'HubX', firmwareVersion: '1.0' }) }));
      await registerDevices(
        deps,
        dcc,
        [...devices('CHF', 'SMETS2+', 3), ...devices('GPF', 'SMETS2+', 2)].map((r, i) => ({ ...r, row: i, input: { ...r.input, supplierPartyId: supA.id } })),
      );
      await registerDevices(deps, supA, devices('CHF', 'SMETS1', 4));
      await registerDevices(deps, supB, devices('ESME', 'SMETS2+', 5));
      const record = async () => {
        await recordArrangement(deps, supB, maker, true);
        return recordVulnerability(deps, supA, {
          title: 'ZigBee key reuse',
          manufacturer: maker,
          models: ['HubX'],
          component: 'smart_metering_system',
          deviceTypes: ['CHF', 'GPF', 'ESME'],
          awareAt: w.clock,
        });
      };
      if (opts.vulnerable) await record();
      return { store, deps, w, dcc, supA, supB, ssc, maker, record };
    }

    // G3.17 (MP087, Annex A): "Where a User becomes aware of any material security vulnerability ... it shall comply with the requirements of Section G3.18."
    it('creates the duties of a device vulnerability on the party that became aware, from its own awareness: SMETS2+ hubs on the DCC, SMETS1 hubs and meters on their suppliers', async (t) => {
      const { deps, w, dcc, supA, supB, record } = await world(t);
      const clock = w.clock;
      const r = await record();
      assert.equal(r.affectedDevices, 14);
      // Only Supplier A became aware: the DCC and Supplier B owe nothing yet.
      assert.deepEqual([...new Set(r.duties.map((d) => d.partyId))], [supA.id]);
      assert.equal((await listDuties(deps, supB)).items.length, 0, 'Supplier B owes nothing until it becomes aware');
      assert.equal((await listDuties(deps, dcc, { vulnerabilityId: r.vulnerability.id })).items.length, 4, 'the DCC sees only Supplier A’s four duties');
      // meterops notifies Supplier B a day later and the DCC two days later: each one's duties arise then.
      const dayB = new Date(clock.getTime() + 86_400_000);
      w.clock = new Date(clock.getTime() + 3 * 86_400_000);
      const b = await recordAwareness(deps, supA, r.vulnerability.id, { partyId: supB.id, basis: 'notified', awareAt: dayB });
      const d = await recordAwareness(deps, dcc, r.vulnerability.id, { basis: 'acknowledged', awareAt: new Date(clock.getTime() + 2 * 86_400_000) });
      const count = (duties: readonly { deviceCount: number }[]) => duties[0]?.deviceCount;
      assert.deepEqual([count(d.duties), count(r.duties), count(b.duties)], [5, 4, 5]);
      assert.equal(b.duties.filter((x) => x.duty === 'establish_arrangements').length, 0, 'supplier B has arrangements (G3.20)');
      assert.equal(r.duties.filter((x) => x.partyId === supA.id && x.duty === 'establish_arrangements').length, 1);
      const ssc = r.duties.find((x) => x.partyId === supA.id && x.duty === 'notify_ssc')!;
      assert.equal(ssc.deadline.getTime() - clock.getTime(), 2 * 86_400_000);
      // Supplier B's SSC notice is due 2 days from its own awareness (a day after A's), not from the recording.
      assert.equal(b.duties.find((x) => x.duty === 'notify_ssc')!.deadline.toISOString(), new Date(dayB.getTime() + 2 * 86_400_000).toISOString());
      assert.equal(b.awareness.basis, 'notified');
      assert.equal(b.awareness.recordedBy, supA.id);
    });

    it('closes a duty only with evidence, exempts only the manufacturer notice, and never twice', async (t) => {
      const { deps, supA, supB, ssc } = await world(t, { vulnerable: true });
      const duties = (await listDuties(deps, supA)).items;
      const sscDuty = duties.find((d) => d.duty === 'notify_ssc')!;
      await assert.rejects(closeDuty(deps, supA, sscDuty.id, '  '), (e: unknown) => e instanceof ValidationError && e.field === 'evidence');
      // Another party's duty answers exactly as a missing one (404, no disclosure).
      await assert.rejects(closeDuty(deps, supB, sscDuty.id, 'x'), (e: unknown) => e instanceof NotFoundError && e.message === `duty ${sscDuty.id} not found`);
      const done = await closeDuty(deps, supA, sscDuty.id, {
        evidence: 'Emailed SSC secretariat 2026-11-01 10:12, ref SSC-4711',
        steps: 'Rotate the ZigBee network keys of the affected hubs',
        completeBy: new Date('2026-12-01T00:00:00Z'),
      });
      assert.equal(done.state, 'done');
      assert.deepEqual([done.sscSteps, done.stepsCompleteBy?.toISOString()], ['Rotate the ZigBee network keys of the affected hubs', '2026-12-01T00:00:00.000Z']);
      await assert.rejects(closeDuty(deps, supA, sscDuty.id, 'again'), ConflictError);
      const rectify = duties.find((d) => d.duty === 'rectify_or_mitigate')!;
      await assert.rejects(exemptDuty(deps, supA, rectify.id, 'n/a'), (e: unknown) => e instanceof ValidationError && e.rule === 'exemption-clause');
      const notify = duties.find((d) => d.duty === 'notify_manufacturer')!;
      assert.match((await exemptDuty(deps, supA, notify.id, 'manufacturer advisory MA-2026-11 already published')).exemptReason!, /^G3\.19: manufacturer advisory/);
      // The SSC sees the notice addressed to it, with its evidence.
      const notices = (await listDuties(deps, ssc)).items;
      assert.ok(
        notices.some((n) => n.id === sscDuty.id && n.evidence?.includes('SSC-4711')),
        'SSC sees the notice',
      );
    });

    it('reports overdue duties once their deadline passes', async (t) => {
      const { deps, w, supA, supB, record } = await world(t);
      const v = await record();
      await recordAwareness(deps, supA, v.vulnerability.id, { partyId: supB.id, basis: 'notified', awareAt: start });
      w.clock = new Date(start.getTime() + 3 * 86_400_000);
      const overdue = (await listDuties(deps, supB, { overdue: true })).items;
      assert.ok(
        overdue.some((d) => d.duty === 'notify_ssc'),
        'the SSC notice is overdue after 2 days',
      );
      assert.ok(!overdue.some((d) => d.duty === 'rectify_or_mitigate'), 'rectification has 90 days');
      const report = await obligationsReport(deps, supB);
      assert.equal(report.overdue, overdue.length);
      assert.equal(report.devicesCovered, 5);
    });

    it('records a User Systems vulnerability against the reporting User, and refuses unknown models and parties', async (t) => {
      const { deps, w, supA, supB, ssc, maker } = await world(t);
      const clock = w.clock;
      const r = await recordVulnerability(deps, supB, {
        title: 'Head-end RCE',
        manufacturer: 'SoftCo',
        component: 'user_systems_software',
        awareAt: clock,
        manufacturerAware: true,
      });
      assert.ok(
        r.duties.every((d) => d.partyId === supB.id),
        'on the aware User',
      );
      assert.equal(r.duties.find((d) => d.duty === 'notify_manufacturer')!.state, 'exempt');
      await assert.rejects(
        recordVulnerability(deps, supA, { title: 't', manufacturer: maker, models: ['NoSuch'], component: 'smart_metering_system', deviceTypes: ['CHF'], awareAt: clock }),
        (e: unknown) => e instanceof ValidationError && e.rule === 'known-model',
      );
      await assert.rejects(
        recordVulnerability(deps, supA, { title: 't', manufacturer: 'Nobody Ltd', component: 'smart_metering_system', deviceTypes: ['CHF'], awareAt: clock }),
        (e: unknown) => e instanceof ValidationError && e.rule === 'known-manufacturer',
      );
      await assert.rejects(recordVulnerability(deps, ssc, { title: 't', manufacturer: maker, component: 'user_systems_hardware', awareAt: clock }), ForbiddenError);
    });

    it('holds a flood of disable-supply requests past the limit, alerts the party and the DCC, and needs a second person to release', async (t) => {
      const { store, deps, dcc, supA, supB } = await world(t);
      const settings = disableSupplyLimit(50);
      // Requests go to registered meters their sender supplies: one ESME of each Supplier.
      const [meterA, meterB] = [aDeviceInput(), aDeviceInput()];
      await registerDevices(deps, supA, [{ row: 0, input: meterA }]);
      await registerDevices(deps, supB, [{ row: 0, input: meterB }]);
      const statuses: string[] = [];
      for (let i = 0; i < 200; i++)
        statuses.push((await submitCommandRequest(deps, supA, 'alice', { commandType: 'disable_supply', target: String(meterA.eui) }, settings)).status);
      assert.equal(statuses.filter((s) => s === 'sent').length, 50);
      assert.equal(statuses.filter((s) => s === 'held').length, 150);
      assert.ok(
        statuses.slice(50).every((s) => s === 'held'),
        'everything after the limit is held, not sent',
      );
      const alerts = await store.read.commandRequests.alerts(supA.id);
      assert.equal(alerts.length, 1);
      assert.deepEqual(alerts[0]!.notified, [supA.id, dcc.id]);
      assert.equal(alerts[0]!.dueBy.getTime() - alerts[0]!.raisedAt.getTime(), 30 * 60_000);
      // Other types and other parties are not held.
      assert.equal((await submitCommandRequest(deps, supB, 'carol', { commandType: 'disable_supply', target: String(meterB.eui) }, settings)).status, 'sent');
      await assert.rejects(releaseHeldRequests(deps, supA, 'alice', 'disable_supply'), (e: unknown) => e instanceof ForbiddenError && e.rule === 'two-person-release');
      assert.equal(await releaseHeldRequests(deps, supA, 'bob', 'disable_supply'), 150);
      await assert.rejects(releaseHeldRequests(deps, supA, 'bob', 'disable_supply'), (e: unknown) => e instanceof ValidationError && e.rule === 'nothing-held');
      await assert.rejects(
        submitCommandRequest(deps, supA, 'alice', { commandType: 'format_all_meters', target: 'X' }),
        (e: unknown) => e instanceof ValidationError && e.field === 'commandType',
      );
    });

    it('decides concurrent requests one at a time: exactly the limit is sent, one alert, and a released retry passes once', async (t) => {
      const { store, deps, supA } = await world(t);
      const settings = disableSupplyLimit(10);
      const meters = Array.from({ length: 40 }, () => aDeviceInput());
      await registerDevices(
        deps,
        supA,
        meters.map((input, row) => ({ row, input })),
      );
      // 40 at once (on PostgreSQL each on its own connection): without the lock, several would see
      // the window under its limit at the same moment and more than 10 would pass.
      const results = await Promise.all(meters.map((m) => submitCommandRequest(deps, supA, 'alice', { commandType: 'disable_supply', target: String(m.eui) }, settings)));
      assert.equal(results.length, 40);
      assert.equal(results.filter((r) => r.status === 'sent').length, 10);
      assert.equal(results.filter((r) => r.status === 'held').length, 30);
      assert.equal(new Set(results.map((r) => r.id)).size, 40, 'each request recorded with its own id');
      assert.equal((await store.read.commandRequests.alerts(supA.id)).length, 1, 'one alert for the first excess');
      assert.equal(await releaseHeldRequests(deps, supA, 'bob', 'disable_supply'), 30);
      const heldAt = results.findIndex((r) => r.status === 'held');
      const heldTarget = String(meters[heldAt]!.eui);
      const retry = await submitCommandRequest(deps, supA, 'alice', { commandType: 'disable_supply', target: heldTarget }, settings);
      assert.equal(retry.status, 'released');
      assert.equal(retry.id, results[heldAt]!.id, 'the retry answers the id of the request that was released');
      const stored = await sql<{ status: string }>`SELECT status FROM command_requests WHERE id = ${retry.id}`.execute(store.database.db);
      assert.equal(stored.rows[0]?.status, 'sent', 'and that request is now sent');
      // Used up: the next request to that meter is over the limit again, and held.
      assert.equal((await submitCommandRequest(deps, supA, 'alice', { commandType: 'disable_supply', target: heldTarget }, settings)).status, 'held');
    });

    it('keeps a Merkle-logged audit trail whose verifier names the edited or deleted entry', async (t) => {
      const { store, deps, supA } = await world(t, { vulnerable: true });
      // Twelve meters of Supplier A in one registration: each request to its own one, so no two entries are alike.
      const meters = Array.from({ length: 12 }, () => aDeviceInput());
      await registerDevices(
        deps,
        supA,
        meters.map((input, row) => ({ row, input })),
      );
      for (const m of meters) await submitCommandRequest(deps, supA, 'alice', { commandType: 'disable_supply', target: String(m.eui) });
      await drainAudit(store, testAuditKey);
      const ok = await verifyAudit(store, [testAuditKey.publicKey]);
      assert.equal(ok.valid, true);
      // Four registrations (the fourth: the meters the requests go to), an arrangement, a vulnerability and twelve requests.
      assert.equal(ok.entries, 18);
      const db = store.database.db;
      await assert.rejects(sql`UPDATE audit_log SET details = '{}' WHERE id = (SELECT min(id) FROM audit_log)`.execute(db), /append-only/);
      // A DBA with the trigger disabled edits one entry: the verifier finds it.
      const victim = (await sql<{ id: number }>`SELECT id FROM audit_log ORDER BY id OFFSET 10 LIMIT 1`.execute(db)).rows[0]!.id;
      await sql.raw('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only').execute(db);
      await sql`UPDATE audit_log SET details = ${'{"evidence":"forged"}'} WHERE id = ${victim}`.execute(db);
      let v = await verifyAudit(store, [testAuditKey.publicKey]);
      assert.deepEqual(v.firstBroken?.id, victim);
      assert.match(v.firstBroken!.reason, /edited/);
      // Putting back some other text does not repair it (the deletion case is in the retention test).
      await sql`UPDATE audit_log SET details = (SELECT details FROM audit_log WHERE id = ${victim - 1}) WHERE id = ${victim}`.execute(db);
      await sql.raw('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only').execute(db);
      v = await verifyAudit(store, [testAuditKey.publicKey]);
      assert.equal(v.firstBroken?.id, victim, 'still broken: the restored text is not the original');
    });

    it('applies retention and still verifies what remains from the anchor', async () => {
      const fresh = await backend.open();
      const dcc = aParty({ role: 'dcc' });
      const supA = aParty({ role: 'supplier' });
      let clock = start;
      try {
        const d = depsFor(fresh, () => clock);
        await withParties(fresh, dcc, supA);
        for (let i = 0; i < 5; i++) await recordArrangement(d, supA, `M${i}`, false);
        clock = new Date(clock.getTime() + 400 * 86_400_000);
        await recordArrangement(d, supA, 'Later', false);
        await assert.rejects(pruneAudit(d, supA, 365), ForbiddenError);
        assert.equal(await pruneAudit(d, dcc, 365), 5);
        const v = await verifyAudit(fresh, [testAuditKey.publicKey]);
        assert.deepEqual([v.valid, v.entries], [true, 2]);
        const victim = (await sql<{ id: number }>`SELECT min(id) AS id FROM audit_log`.execute(fresh.database.db)).rows[0]!.id;
        await sql.raw('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only').execute(fresh.database.db);
        await sql`DELETE FROM audit_log WHERE id = ${victim}`.execute(fresh.database.db);
        assert.match((await verifyAudit(fresh, [testAuditKey.publicKey])).firstBroken!.reason, /missing/);
      } finally {
        await fresh.close();
      }
    });
  });
}
