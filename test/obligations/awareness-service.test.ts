// SEC Section G awareness per party (G3.17), the materiality judgement, G3.18(c)'s steps and
// completion time, and the standing G3.20(b) arrangement check, on each backend. Sentences quoted
// are MP087's Annex A (the corrected SEC Section G text).
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { sql } from 'kysely';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/domain/index.ts';
import { arrangementGapsReport } from '../../src/services/arrangement-gaps.ts';
import type { ServiceDeps } from '../../src/services/deps.ts';
import { closeDuty, listDuties, listVulnerabilities, recordArrangement, recordVulnerability } from '../../src/services/obligations.ts';
import { registerDevices } from '../../src/services/register-devices.ts';
import { judgeMateriality, recordAwareness, type AwarenessInput } from '../../src/services/vulnerability-awareness.ts';
import { BACKENDS } from '../support/backends.ts';
import { aDeviceInput, aParty, depsFor, withParties } from '../support/builders.ts';

const coded = (type: new (...a: never[]) => Error, rule: string) => (e: unknown) => e instanceof type && (e as unknown as { rule: string }).rule === rule;

for (const backend of BACKENDS) {
  describe(`SEC Section G awareness, materiality and arrangements on ${backend.name}`, { skip: backend.skip ?? false }, () => {
    const start = new Date('2026-11-01T09:00:00Z');

    /** The DCC, two Suppliers, the SSC, a MAP-less fleet: 2 SMETS2+ CHFs, 3 SMETS1 CHFs of A; 4 ESMEs of B; 1 GSME of B by another maker. */
    async function world(t: TestContext) {
      const store = await backend.open();
      t.after(() => store.close());
      const w = { clock: start };
      const deps: ServiceDeps = depsFor(store, () => w.clock);
      const dcc = aParty({ role: 'dcc' });
      const supA = aParty({ role: 'supplier' });
      const supB = aParty({ role: 'supplier' });
      const ssc = aParty({ role: 'security_sub_committee' });
      await withParties(store, dcc, supA, supB, ssc);
      const maker = `Aware-${backend.name}`;
      const rows = (type: string, smets: string, n: number, manufacturer = maker) =>
        Array.from({ length: n }, (_, row) => ({ row, input: aDeviceInput({ type, smetsGeneration: smets, manufacturer, model: 'M1', firmwareVersion: '1.0' }) }));
      await registerDevices(
        deps,
        dcc,
        rows('CHF', 'SMETS2+', 2).map((r) => ({ ...r, input: { ...r.input, supplierPartyId: supA.id } })),
      );
      await registerDevices(deps, supA, rows('CHF', 'SMETS1', 3));
      await registerDevices(deps, supB, rows('ESME', 'SMETS2+', 4));
      await registerDevices(deps, supB, rows('GSME', 'SMETS2+', 1, 'OtherGas'));
      const vuln = (actor = supA, extra: object = {}) =>
        recordVulnerability(deps, actor, { title: 'Key reuse', manufacturer: maker, component: 'smart_metering_system', deviceTypes: ['CHF', 'ESME'], awareAt: w.clock, ...extra });
      const counts = async () => {
        const r = await sql<{
          a: number;
          d: number;
          l: number;
        }>`SELECT (SELECT count(*)::int FROM vulnerability_awareness) AS a, (SELECT count(*)::int FROM duties) AS d, (SELECT count(*)::int FROM audit_log) AS l`.execute(
          store.database.db,
        );
        return r.rows[0]!;
      };
      return { store, deps, w, dcc, supA, supB, ssc, maker, vuln, counts };
    }

    it('refuses every bad awareness with a coded error and writes nothing', async (t) => {
      const { deps, w, dcc, supA, supB, ssc, vuln, counts } = await world(t);
      const v = (await vuln()).vulnerability.id;
      const before = await counts();
      const future = new Date(w.clock.getTime() + 60_000);
      const cases: Array<[string, Parameters<typeof recordAwareness>[1], string, AwarenessInput, (e: unknown) => boolean]> = [
        ['a made-up basis', supB, v, { basis: 'rumour' }, coded(ValidationError, 'awareness-basis')],
        ['"recorded" (only recording is)', supB, v, { basis: 'recorded' }, coded(ValidationError, 'awareness-basis')],
        ['acknowledging for another party', supB, v, { basis: 'acknowledged', partyId: dcc.id }, coded(ForbiddenError, 'acknowledge-own')],
        ['a notice to nobody', supA, v, { basis: 'notified' }, coded(ValidationError, 'required')],
        ['a notice to oneself', supA, v, { basis: 'notified', partyId: supA.id }, coded(ValidationError, 'notify-other')],
        [
          'judging for the notified party',
          supA,
          v,
          { basis: 'notified', partyId: supB.id, materiality: { material: true, reason: 'r' } },
          coded(ValidationError, 'aware-party-judges'),
        ],
        ['a notice to an unknown party', supA, v, { basis: 'notified', partyId: 'no-such-party' }, (e) => e instanceof NotFoundError],
        ['a notice to the SSC', supA, v, { basis: 'notified', partyId: ssc.id }, coded(ValidationError, 'sec-user')],
        ['a notice from a party not aware', supB, v, { basis: 'notified', partyId: dcc.id }, coded(ForbiddenError, 'notifier-aware')],
        [
          'a notice before the notifier knew',
          supA,
          v,
          { basis: 'notified', partyId: supB.id, awareAt: new Date(start.getTime() - 1) },
          coded(ValidationError, 'after-notifier-aware'),
        ],
        ['a time in the future', supB, v, { basis: 'acknowledged', awareAt: future }, coded(ValidationError, 'not-in-future')],
        ['an unknown vulnerability', supB, 'vuln-nope', { basis: 'acknowledged' }, (e) => e instanceof NotFoundError],
        ['the recorder again', supA, v, { basis: 'acknowledged' }, coded(ConflictError, 'already-aware')],
        ['the SSC', ssc, v, { basis: 'acknowledged' }, coded(ForbiddenError, 'record-awareness')],
        ['a judgement without a reason', supB, v, { basis: 'acknowledged', materiality: { material: true, reason: '' } }, coded(ValidationError, 'required')],
      ];
      for (const [what, actor, id, input, check] of cases) await assert.rejects(recordAwareness(deps, actor, id, input), check, what);
      assert.deepEqual(await counts(), before, 'no awareness, duty or audit entry written');
      // Once aware, the same party is refused a second time with the time it has been aware since.
      await recordAwareness(deps, supA, v, { basis: 'notified', partyId: supB.id });
      await assert.rejects(
        recordAwareness(deps, supB, v, { basis: 'acknowledged' }),
        (e: unknown) => e instanceof ConflictError && e.message === `${supB.id} has been aware of ${v} since ${start.toISOString()} (notified)`,
      );
    });

    it('shows a notified party the vulnerability and its own duties; the notifier sees none of them', async (t) => {
      const { deps, w, supA, supB, vuln } = await world(t);
      const v = (await vuln()).vulnerability.id;
      assert.deepEqual((await listVulnerabilities(deps, supB)).items, [], 'not aware: not shown');
      w.clock = new Date(start.getTime() + 3_600_000);
      const r = await recordAwareness(deps, supA, v, { basis: 'notified', partyId: supB.id });
      assert.equal(r.awareness.awareAt.toISOString(), w.clock.toISOString(), 'the delivery time, now, when none is given');
      assert.deepEqual(
        (await listVulnerabilities(deps, supB)).items.map((x) => x.id),
        [v],
      );
      assert.equal((await listDuties(deps, supB, { vulnerabilityId: v })).items.length, 4);
      assert.ok(
        (await listDuties(deps, supA)).items.every((d) => d.partyId === supA.id),
        'A sees only its own',
      );
    });

    it('records the materiality judgement: not material at recording creates no duty; judged later, exempts the open ones; once only', async (t) => {
      const { deps, dcc, supA, supB, vuln, counts } = await world(t);
      const empty = await counts();
      await assert.rejects(vuln(supA, { materiality: { material: false, reason: '' } }), (e: unknown) => e instanceof ValidationError && e.field === 'materiality.reason');
      assert.deepEqual(await counts(), empty, 'a recording with a bad judgement writes nothing');
      // G3.17: "Where a User becomes aware of any material security vulnerability": not material, no duty.
      const notMaterial = await vuln(supA, { materiality: { material: false, reason: 'only lab units run this firmware' } });
      assert.equal(notMaterial.duties.length, 0);
      assert.deepEqual(
        { ...notMaterial.awareness.materiality, judgedAt: notMaterial.awareness.materiality?.judgedAt.toISOString() },
        { material: false, reason: 'only lab units run this firmware', judgedBy: supA.id, judgedPerson: null, judgedAt: start.toISOString() },
      );
      await assert.rejects(judgeMateriality(deps, supA, notMaterial.vulnerability.id, { material: true, reason: 'changed mind' }), coded(ConflictError, 'already-judged'));
      // Unjudged at recording: the duties stand; judged not material, the open ones become exempt.
      const v = (await vuln()).vulnerability.id;
      await recordAwareness(deps, supA, v, { basis: 'notified', partyId: supB.id });
      await assert.rejects(judgeMateriality(deps, dcc, v, { material: false, reason: 'r' }), coded(ConflictError, 'aware-first'));
      await assert.rejects(judgeMateriality(deps, supB, v, { material: false, reason: ' ' }), coded(ValidationError, 'required'));
      await assert.rejects(judgeMateriality(deps, supB, 'vuln-nope', { material: false, reason: 'r' }), (e: unknown) => e instanceof NotFoundError);
      const before = await counts();
      const j = await judgeMateriality(deps, supB, v, { material: false, reason: 'the affected meters are all in our test house' }, {
        kind: 'user',
        id: 'u1',
        person: 'bob',
        partyId: supB.id,
        roles: ['approver', 'operator'],
      } as never);
      assert.equal(j.exempted, 4);
      assert.equal(j.awareness.materiality?.judgedPerson, 'bob');
      const after = await listDuties(deps, supB, { vulnerabilityId: v });
      assert.ok(
        after.items.every((d) => d.state === 'exempt' && d.exemptReason!.startsWith(`G3.17: judged not material by bob of ${supB.id}`)),
        'every open duty exempt, citing the judgement',
      );
      assert.equal((await counts()).l, before.l + 1, 'one audit entry');
      assert.equal((await listDuties(deps, supA, { vulnerabilityId: v, state: 'open' })).items.length, 4, "A's own judgement is A's: its duties stand");
    });

    it("closes the SSC notice only with G3.18(c)'s steps and completion time", async (t) => {
      // G3.18(c): "ensure that the Security Sub-Committee is promptly notified of the steps being taken ... and the time within which those steps are intended to be completed."
      const { deps, supA, vuln } = await world(t);
      const r = await vuln();
      const ssc = r.duties.find((d) => d.duty === 'notify_ssc')!;
      const rectify = r.duties.find((d) => d.duty === 'rectify_or_mitigate')!;
      const completeBy = new Date('2027-01-31T00:00:00Z');
      await assert.rejects(closeDuty(deps, supA, ssc.id, 'emailed the SSC'), (e: unknown) => e instanceof ValidationError && e.field === 'steps' && e.rule === 'required');
      await assert.rejects(
        closeDuty(deps, supA, ssc.id, { evidence: 'e', steps: 'patch' }),
        (e: unknown) => e instanceof ValidationError && e.field === 'completeBy' && e.rule === 'required',
      );
      await assert.rejects(closeDuty(deps, supA, ssc.id, { evidence: 'e', steps: 'patch', completeBy: new Date('x') }), coded(ValidationError, 'date-time'));
      await assert.rejects(closeDuty(deps, supA, ssc.id, { evidence: 'e', steps: 'patch', completeBy: new Date('2026-10-01T00:00:00Z') }), coded(ValidationError, 'after-duty'));
      await assert.rejects(closeDuty(deps, supA, rectify.id, { evidence: 'e', steps: 'patch', completeBy }), coded(ValidationError, 'ssc-notice-only'));
      assert.ok(
        (await listDuties(deps, supA, { state: 'open' })).items.some((d) => d.id === ssc.id && d.sscSteps === null),
        'still open, nothing written',
      );
      const done = await closeDuty(deps, supA, ssc.id, { evidence: 'SSC ref 12', steps: 'firmware 1.1 to every affected hub', completeBy });
      assert.deepEqual([done.state, done.sscSteps, done.stepsCompleteBy?.toISOString()], ['done', 'firmware 1.1 to every affected hub', '2027-01-31T00:00:00.000Z']);
      assert.equal((await closeDuty(deps, supA, rectify.id, 'hubs patched')).sscSteps, null);
    });

    it('reports, before any vulnerability, the fleet manufacturers each User has no G3.20(b) arrangement with', async (t) => {
      // G3.20: "Each User shall, wherever it is practicable to do so, establish with ... (b) ... any Smart Metering
      // System (excluding a Communications Hub Function or Gas Proxy Function which forms part of a SMETS2+ Device)
      // for which it is the Responsible Supplier, arrangements designed to ensure that the User will be notified".
      const { store, deps, dcc, supA, supB, ssc, maker } = await world(t);
      const m = aParty({ role: 'manufacturer' });
      await withParties(store, m);
      await recordArrangement(deps, supB, 'OtherGas', false);
      assert.equal((await sql<{ n: number }>`SELECT count(*)::int AS n FROM vulnerabilities`.execute(store.database.db)).rows[0]!.n, 0, 'no vulnerability exists');
      // From the world as built: A's SMETS2+ hubs are excluded, its three SMETS1 hubs count; B: four ESMEs of the maker, one GSME of OtherGas.
      const expected = [
        { partyId: supA.id, missing: [{ manufacturer: maker, devices: 3 }], covered: [] },
        { partyId: supB.id, missing: [{ manufacturer: maker, devices: 4 }], covered: [{ manufacturer: 'OtherGas', devices: 1 }] },
      ].sort((a, b) => (a.partyId < b.partyId ? -1 : 1));
      assert.deepEqual((await arrangementGapsReport(deps, dcc)).users, expected);
      assert.deepEqual((await arrangementGapsReport(deps, ssc)).users, expected);
      assert.deepEqual(
        (await arrangementGapsReport(deps, supB)).users,
        expected.filter((u) => u.partyId === supB.id),
      );
      await assert.rejects(arrangementGapsReport(deps, m), coded(ForbiddenError, 'arrangement-gaps'));
      await recordArrangement(deps, supA, maker, true);
      assert.deepEqual((await arrangementGapsReport(deps, supA)).users, [{ partyId: supA.id, missing: [], covered: [{ manufacturer: maker, devices: 3 }] }]);
      await assert.rejects(recordArrangement(deps, supA, '  ', false), (e: unknown) => e instanceof ValidationError && e.field === 'manufacturer');
      await assert.rejects(recordArrangement(deps, supA, maker, 'yes' as unknown as boolean), coded(ValidationError, 'boolean'));
    });
  });
}
