// Cross-party cases of the reads of single resources (GET /v1/x/:id and what hangs off one): the
// parties the resource is visible to read it; every other party gets 404, as for a missing one.
import type { Eui } from '../../src/domain/index.ts';
import { drainAudit } from '../../src/services/audit-sequencer.ts';
import { createReturn } from '../../src/services/returns/returns.ts';
import { vend } from '../../src/services/vending.ts';
import { createWorkOrder } from '../../src/services/work-orders.ts';
import { testAuditKey } from '../support/builders.ts';
import type { Case } from './cross-party-case.ts';
import { deviceParties } from './cross-party-fleet-cases.ts';
import type { World } from './cross-party-world.ts';

const READ_ESME_A = '0F8F00000000009A' as Eui;
const HUB_A = '0F8F000000000068' as Eui;

async function aReturn(w: World): Promise<{ id: string; lineId: string }> {
  if (!w.ctx.has('read-return')) {
    const r = await createReturn(w.deps, await w.party('supplier-a'), 'planner', { lines: [{ deviceEui: READ_ESME_A, reason: 'no-fault-general' }] });
    w.ctx.set('read-return', { id: r.order.id, lineId: r.lines[0]!.id });
  }
  return w.ctx.get('read-return') as { id: string; lineId: string };
}

const OWN_OR_PLATFORM = "the party's own, and the platform's (docs/access.md)";

export const READ_CASES: readonly Case[] = [
  {
    op: 'GET /v1/parties/{id}',
    permission: 'read',
    prepare: async (w) => ({
      request: { method: 'GET', url: '/v1/parties/supplier-a' },
      rightful: w.parties,
      rule: "the party directory (names, User roles, EUIs: the User IDs SMKI publishes) is read by every party (meterops' own rule)",
    }),
  },
  {
    op: 'GET /v1/users/{id}',
    permission: 'users.read',
    prepare: async () => ({ request: { method: 'GET', url: '/v1/users/usr-demo-alice-supplier-a' }, rightful: ['supplier-a', 'dcc'], rule: OWN_OR_PLATFORM }),
  },
  {
    op: 'GET /v1/api-keys/{id}',
    permission: 'keys.read',
    prepare: async () => ({ request: { method: 'GET', url: '/v1/api-keys/key-demo-supplier-a' }, rightful: ['supplier-a', 'dcc'], rule: OWN_OR_PLATFORM }),
  },
  {
    op: 'GET /v1/devices/{eui}',
    permission: 'read',
    prepare: async (w) => ({ request: { method: 'GET', url: `/v1/devices/${w.ids.vendEsme}` }, rightful: await deviceParties(w, w.ids.vendEsme), rule: 'domain/access.ts' }),
  },
  {
    op: 'GET /v1/devices/{eui}/events',
    permission: 'read',
    prepare: async (w) => ({ request: { method: 'GET', url: `/v1/devices/${w.ids.vendEsme}/events` }, rightful: await deviceParties(w, w.ids.vendEsme), rule: 'domain/access.ts' }),
  },
  {
    op: 'GET /v1/devices/{eui}/route',
    permission: 'read',
    prepare: async (w) => ({
      request: { method: 'GET', url: `/v1/devices/${w.ids.vendEsme}/route?request=topUp` },
      rightful: await deviceParties(w, w.ids.vendEsme),
      rule: 'domain/access.ts',
    }),
  },
  {
    op: 'GET /v1/premises/{id}',
    permission: 'read',
    prepare: async (w) => {
      const p = await w.premiseOf(w.ids.vendEsme);
      return {
        request: { method: 'GET', url: `/v1/premises/${p.id}` },
        rightful: ['supplier-a', w.dnoOf(p.distributorId), 'dcc'],
        rule: "the premise's Supplier, the DNO of its region, the DCC",
      };
    },
  },
  {
    op: 'GET /v1/vends/{idempotencyKey}',
    permission: 'read',
    prepare: async (w) => {
      await vend(w.deps, await w.party('supplier-a'), 'till', 'xp-read-vend', { kind: 'credit', deviceEui: w.ids.vendEsme, value: 3, valueClass: 'pounds' });
      return {
        request: { method: 'GET', url: '/v1/vends/xp-read-vend' },
        rightful: ['supplier-a'],
        rule: "a Supplier's idempotency keys are its own: another party's lookup finds nothing (404)",
      };
    },
  },
  {
    op: 'GET /v1/work-orders/{id}',
    permission: 'read',
    prepare: async (w) => {
      const { order } = await createWorkOrder(w.deps, await w.party('supplier-a'), 'planner', {
        premiseId: w.ids.noWan[0]!.premiseId,
        commands: [{ deviceEui: w.ids.noWan[0]!.esme, useCase: 'ECS45' }],
      });
      return { request: { method: 'GET', url: `/v1/work-orders/${order.id}` }, rightful: ['supplier-a', 'dcc'], rule: "the order's Supplier, the DCC" };
    },
  },
  {
    op: 'GET /v1/jobs/{id}',
    permission: 'read',
    prepare: async (w) => {
      const responses = [{ orderId: 'cross-party-none', seq: 1, response: 'DF09', deliveredAt: '2026-12-01T10:00:00Z' }];
      const id = await w.store.transaction((tx) =>
        w.deps.jobs!.enqueue(tx, 'hht-upload', { partyId: 'supplier-a', person: 'planner', responses }, { partyId: 'supplier-a', total: 1 }),
      );
      return { request: { method: 'GET', url: `/v1/jobs/${id}` }, rightful: ['supplier-a'], rule: "the job's party only (another party's job is 404, as a missing one)" };
    },
  },
  {
    op: 'GET /v1/returns/{id}',
    permission: 'read',
    prepare: async (w) => ({ request: { method: 'GET', url: `/v1/returns/${(await aReturn(w)).id}` }, rightful: ['supplier-a', 'dcc'], rule: 'the returning party, the DCC' }),
  },
  {
    op: 'GET /v1/returns/{id}/duis',
    permission: 'read',
    prepare: async (w) => {
      const r = await createReturn(w.deps, await w.party('supplier-a'), 'planner', { lines: [{ deviceEui: HUB_A, reason: 'no-fault-general' }] });
      return {
        request: { method: 'GET', url: `/v1/returns/${r.order.id}/duis` },
        rightful: ['supplier-a'],
        rule: "the returning User sends its DUIS 8.14 request (meterops' own rule: the DCC, which sees the return, sends no DUIS request to itself)",
      };
    },
  },
  {
    op: 'GET /v1/return-lines/{id}',
    permission: 'read',
    prepare: async (w) => ({
      request: { method: 'GET', url: `/v1/return-lines/${(await aReturn(w)).lineId}` },
      rightful: ['supplier-a', 'dcc'],
      rule: 'the returning party, the custodian and every party that handled the line, the DCC',
    }),
  },
  {
    op: 'GET /v1/audit/entries/{id}/inclusion',
    permission: 'audit.read',
    prepare: async (w) => {
      await drainAudit(w.store, testAuditKey);
      const entry = (await w.store.read.audit.page(0, 100_000)).find((e) => e.actorPartyId === 'supplier-a' && e.action === 'vend.credit')!;
      return { request: { method: 'GET', url: `/v1/audit/entries/${entry.id}/inclusion` }, rightful: ['supplier-a', 'dcc'], rule: 'the acting party of the entry, the DCC' };
    },
  },
];
