// Issue 15, item 2: a work order belongs to one field engineer. Assigned at creation or later by an
// operator of the Supplier, to an active person of the same party with field_engineer; pulled by
// that person only (an unassigned one by the first person to pull it); listed by assignee; audited.
// Every refused input writes nothing: the order, its assignee and the audit trail are unchanged.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type Party, type PersonRole, type Principal } from '../../src/domain/index.ts';
import { addUser } from '../../src/services/users.ts';
import { cliActing } from '../../src/services/acting.ts';
import { assignWorkOrder, createWorkOrder, listWorkOrders, pullWorkOrder } from '../../src/services/work-orders.ts';
import type { ServiceDeps } from '../../src/services/deps.ts';
import type { Store } from '../../src/store/store.ts';
import { Fleet } from '../../src/world/devices/fleet.ts';
import { generateFleet } from '../../src/world/fleet-service.ts';
import { BACKENDS } from '../support/backends.ts';
import { aParty, depsFor, withParties } from '../support/builders.ts';
import type { Eui } from '../../src/domain/index.ts';

const HHT = 'F0F0F0F0F0F00001' as Eui;

for (const backend of BACKENDS) {
  describe(`work order assignment on ${backend.name}`, { skip: backend.skip ?? false }, () => {
    let store: Store;
    let deps: ServiceDeps;
    let supplier: Party;
    let other: Party;
    let premiseId: string;
    let esme: Eui;
    const people = new Map<string, Principal>();
    const as = (username: string) => people.get(username)!;
    let key: Principal;
    let now = new Date('2026-12-01T09:00:00Z');

    const person = async (party: Party, username: string, roles: PersonRole[]) => {
      const { user } = await addUser(deps, cliActing(party), { username, name: username, roles, password: 'a long test password' });
      people.set(username, { kind: 'user', id: user.id, person: username, partyId: party.id, roles });
    };
    const order = (assignee?: string) =>
      createWorkOrder(deps, supplier, 'planner', { premiseId, commands: [{ deviceEui: esme, useCase: 'ECS45' }], ...(assignee ? { assignee } : {}) });
    const stored = async (id: string) => (await store.read.workOrders.get(id))!;
    const auditOf = async (id: string) => (await store.read.audit.page(0, 10_000)).filter((e) => e.entity === `work-order/${id}`);
    const ordersNow = async () => (await store.read.workOrders.list({ supplierPartyId: supplier.id, limit: 1000 })).length;

    before(async () => {
      store = await backend.open();
      deps = depsFor(store, () => now);
      const dcc = aParty({ role: 'dcc' });
      await withParties(store, dcc);
      const seed = `assign-${backend.name}`;
      await generateFleet(deps, dcc, { premises: 8, seed });
      const fleet = new Fleet({ premises: 8, seed });
      const p = [...Array(fleet.premiseCount).keys()].map((i) => fleet.premise(i)).find((x) => x.devices.ESME)!;
      const parties = await store.read.parties.list();
      supplier = parties.find((x) => x.eui === p.supplier)!;
      other = parties.find((x) => x.role === 'supplier' && x.id !== supplier.id)!;
      premiseId = `fleet-${fleet.tag.toLowerCase()}-p${p.index}`;
      esme = p.devices.ESME!;
      await person(supplier, 'eve.fe', ['field_engineer']);
      await person(supplier, 'fay.fe', ['operator', 'field_engineer']);
      await person(supplier, 'olly.op', ['operator']);
      await person(supplier, 'gone.fe', ['field_engineer']);
      await person(other, 'otto.fe', ['field_engineer']);
      await store.transaction((tx) => tx.users.update(as('gone.fe').id, { status: 'disabled' }, now));
      key = { kind: 'api_key', id: 'key-x', person: 'hht fleet key', partyId: supplier.id, roles: ['field_engineer'] };
    });
    after(async () => store?.close());

    it('assigns at creation to a field engineer of the party, recorded on the order and in the audit trail', async () => {
      const { order: o } = await order('Eve.FE ');
      assert.equal(o.assignedTo, 'eve.fe', 'the username, trimmed and lower-cased');
      const s = await stored(o.id);
      assert.deepEqual([s.assignedTo, s.assignedBy, s.assignedAt?.toISOString()], ['eve.fe', 'planner', now.toISOString()]);
      const created = (await auditOf(o.id)).find((e) => e.action === 'work_order.created')!;
      assert.equal(JSON.parse(created.details).assignee, 'eve.fe');
      const { order: u } = await order();
      assert.equal((await stored(u.id)).assignedTo, null, 'without an assignee the order is unassigned');
    });

    const bad: Array<[string, unknown, string]> = [
      ['an unknown person', 'nobody.here', 'assignee-person'],
      ["another party's field engineer", 'otto.fe', 'assignee-person'],
      ['a person who is not a field engineer', 'olly.op', 'assignee-field-engineer'],
      ['a disabled person', 'gone.fe', 'assignee-active'],
      ['a NUL byte', 'eve\u0000.fe', 'assignee-username'],
      ['a lone surrogate', 'eve\uD800.fe', 'assignee-username'],
      ['an empty name', '  ', 'assignee-username'],
      ['a number', 42, 'assignee-username'],
    ];
    for (const [what, assignee, rule] of bad) {
      it(`refuses ${what} as the assignee, at creation and on reassignment, writing nothing`, async () => {
        const before = await ordersNow();
        await assert.rejects(
          createWorkOrder(deps, supplier, 'planner', { premiseId, commands: [{ deviceEui: esme, useCase: 'ECS45' }], assignee: assignee as string }),
          (e: unknown) => e instanceof ValidationError && e.field === 'assignee' && e.rule === rule,
        );
        assert.equal(await ordersNow(), before, 'no order was created');
        const { order: o } = await order('eve.fe');
        const trail = (await auditOf(o.id)).length;
        await assert.rejects(
          assignWorkOrder(deps, supplier, 'olly.op', o.id, assignee, as('olly.op')),
          (e: unknown) => e instanceof ValidationError && e.field === 'assignee' && e.rule === rule,
        );
        assert.equal((await stored(o.id)).assignedTo, 'eve.fe', 'the assignee is unchanged');
        assert.equal((await auditOf(o.id)).length, trail, 'nothing was audited');
      });
    }

    it('reassigns an open or pulled order by an operator, audited with the previous assignee; unassigns with null', async () => {
      const { order: o } = await order('eve.fe');
      now = new Date(now.getTime() + 60_000);
      const r = await assignWorkOrder(deps, supplier, 'olly.op', o.id, 'fay.fe', as('olly.op'));
      assert.deepEqual([r.assignedTo, r.assignedBy], ['fay.fe', 'olly.op']);
      const s = await stored(o.id);
      assert.deepEqual([s.assignedTo, s.assignedBy, s.assignedAt?.toISOString()], ['fay.fe', 'olly.op', now.toISOString()]);
      const entry = (await auditOf(o.id)).find((e) => e.action === 'work_order.assigned')!;
      assert.deepEqual(JSON.parse(entry.details), { assignee: 'fay.fe', previous: 'eve.fe', by: 'olly.op' });
      await pullWorkOrder(deps, supplier, 'fay.fe', o.id, HHT, as('fay.fe'));
      assert.equal((await stored(o.id)).state, 'pulled');
      await assignWorkOrder(deps, supplier, 'olly.op', o.id, 'eve.fe', as('olly.op'));
      assert.equal((await stored(o.id)).assignedTo, 'eve.fe', 'a pulled order is reassigned too');
      await assignWorkOrder(deps, supplier, 'olly.op', o.id, null, as('olly.op'));
      assert.equal((await stored(o.id)).assignedTo, null);
      const trail = (await auditOf(o.id)).length;
      await assignWorkOrder(deps, supplier, 'olly.op', o.id, null, as('olly.op'));
      assert.equal((await auditOf(o.id)).length, trail, 'the same assignee again changes and audits nothing');
    });

    it('refuses a field engineer who is no operator, another Supplier, and a completed or expired order', async () => {
      const { order: o } = await order('eve.fe');
      await assert.rejects(assignWorkOrder(deps, supplier, 'eve.fe', o.id, 'fay.fe', as('eve.fe')), (e: unknown) => e instanceof ForbiddenError && e.rule === 'permission-operate');
      await assert.rejects(assignWorkOrder(deps, other, 'x', o.id, 'fay.fe'), (e: unknown) => e instanceof NotFoundError && e.field === 'orderId');
      await store.transaction((tx) => tx.workOrders.setState(o.id, { state: 'completed', closedAt: now }));
      await assert.rejects(
        assignWorkOrder(deps, supplier, 'olly.op', o.id, 'fay.fe', as('olly.op')),
        (e: unknown) => e instanceof ConflictError && e.rule === 'order-completed' && e.field === 'orderId',
      );
      const { order: short } = await createWorkOrder(deps, supplier, 'planner', {
        premiseId,
        commands: [{ deviceEui: esme, useCase: 'ECS45' }],
        lifetimeHours: 1,
        assignee: 'eve.fe',
      });
      now = new Date(now.getTime() + 2 * 3_600_000);
      await assert.rejects(assignWorkOrder(deps, supplier, 'olly.op', short.id, 'fay.fe', as('olly.op')), (e: unknown) => e instanceof ConflictError && e.rule === 'order-expired');
      for (const id of [o.id, short.id]) {
        assert.equal((await stored(id)).assignedTo, 'eve.fe');
        assert.equal((await auditOf(id)).filter((e) => e.action === 'work_order.assigned').length, 0);
      }
    });

    it("refuses another engineer's pull of an assigned order; an unassigned one goes to the first person to pull it", async () => {
      const { order: o } = await order('eve.fe');
      await assert.rejects(
        pullWorkOrder(deps, supplier, 'fay.fe', o.id, HHT, as('fay.fe')),
        (e: unknown) => e instanceof ForbiddenError && e.rule === 'order-assignee' && e.field === 'orderId' && /eve\.fe/.test(e.message),
      );
      const s = await stored(o.id);
      assert.deepEqual([s.state, s.pulledBy], ['open', null], 'the refused pull changed nothing');
      const pkg = await pullWorkOrder(deps, supplier, 'eve.fe', o.id, HHT, as('eve.fe'));
      assert.equal(pkg.commands.length, 1);

      const { order: u } = await order();
      await pullWorkOrder(deps, supplier, 'fay.fe', u.id, HHT, as('fay.fe'));
      const claimed = await stored(u.id);
      assert.deepEqual([claimed.assignedTo, claimed.assignedBy], ['fay.fe', 'fay.fe']);
      const entry = (await auditOf(u.id)).find((e) => e.action === 'work_order.assigned')!;
      assert.equal(JSON.parse(entry.details).claimedByPull, true);
      await assert.rejects(pullWorkOrder(deps, supplier, 'eve.fe', u.id, HHT, as('eve.fe')), (e: unknown) => e instanceof ForbiddenError && e.rule === 'order-assignee');

      // A system's key acts for the party: it pulls an assigned order, and claims none.
      const { order: k } = await order();
      await pullWorkOrder(deps, supplier, key.person, o.id, HHT, key);
      await pullWorkOrder(deps, supplier, key.person, k.id, HHT, key);
      assert.equal((await stored(k.id)).assignedTo, null);
    });

    it('lists by assignee: me, a username, none, or several', async () => {
      const { order: mine } = await order('eve.fe');
      const { order: hers } = await order('fay.fe');
      const { order: nobody } = await order();
      const ids = async (assignee: string, p?: Principal) => (await listWorkOrders(deps, supplier, { assignee, state: 'open', limit: 200 }, p)).items.map((o) => o.id);
      const all = (await store.read.workOrders.list({ supplierPartyId: supplier.id, state: 'open', limit: 1000 })).filter((o) => o.expiresAt > now);
      const expect = (pred: (a: string | null) => boolean) =>
        all
          .filter((o) => pred(o.assignedTo))
          .map((o) => o.id)
          .sort();
      assert.deepEqual(
        (await ids('me', as('eve.fe'))).sort(),
        expect((a) => a === 'eve.fe'),
      );
      assert.ok((await ids('me', as('eve.fe'))).includes(mine.id));
      assert.deepEqual(
        (await ids('FAY.fe')).sort(),
        expect((a) => a === 'fay.fe'),
      );
      assert.ok((await ids('fay.fe')).includes(hers.id));
      assert.deepEqual(
        (await ids('none')).sort(),
        expect((a) => a === null),
      );
      assert.deepEqual(
        (await ids('me,none', as('eve.fe'))).sort(),
        expect((a) => a === null || a === 'eve.fe'),
      );
      assert.ok(!(await ids('me,none', as('eve.fe'))).includes(hers.id));
      assert.ok((await ids('me,none', as('eve.fe'))).includes(nobody.id));
      await assert.rejects(listWorkOrders(deps, supplier, { assignee: 'me' }, key), (e: unknown) => e instanceof ValidationError && e.rule === 'assignee-me');
      await assert.rejects(listWorkOrders(deps, supplier, { assignee: 'a\u0000b' }), (e: unknown) => e instanceof ValidationError && e.field === 'assignee');
      await assert.rejects(
        listWorkOrders(deps, supplier, { assignee: Array(11).fill('eve.fe').join(',') }),
        (e: unknown) => e instanceof ValidationError && e.rule === 'assignee-filter',
      );
    });
  });
}
