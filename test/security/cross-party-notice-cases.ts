// Cross-party cases of the notice routes: a party's webhook endpoints and deliveries are its own
// (docs/notices.md); every other party, the platform's included, gets 404, as for a missing one.
import type { Case } from './cross-party-case.ts';
import { createEndpoint } from '../../src/services/notices/webhook-endpoints.ts';
import { writeNotices } from '../../src/services/notices/outbox.ts';
import type { World } from './cross-party-world.ts';

const OWN = "a party's webhooks and their deliveries are its own alone (docs/notices.md)";

/** An endpoint of supplier-a's (`name`: one each for the cases that disable one and that deliver to one). */
async function anEndpoint(w: World, name = 'notice-endpoint'): Promise<string> {
  if (!w.ctx.has(name)) {
    const r = await createEndpoint(w.deps, await w.party('supplier-a'), { url: 'http://127.0.0.1:9/hook', eventTypes: ['device.removed'] });
    w.ctx.set(name, r.endpoint.id);
  }
  return w.ctx.get(name) as string;
}

/** A delivery of supplier-a's, dead-lettered (so that a replay is accepted). */
async function aDeadDelivery(w: World): Promise<number> {
  if (!w.ctx.has('notice-delivery')) {
    const endpointId = await anEndpoint(w, 'notice-delivery-endpoint');
    const id = await w.store.transaction(async (tx) => {
      const [n] = await writeNotices(w.deps, tx, [{ eventType: 'device.removed', partyId: 'supplier-a', data: { deviceEui: 'none' } }]);
      const d = (await tx.notices.deliveryPage({ noticeId: n!.id, endpointId }, { limit: 1 })).items[0]!;
      await tx.notices.updateDelivery(d.id, { state: 'dead', attempts: d.maxAttempts, jobId: null }, w.clock.now);
      return d.id;
    });
    w.ctx.set('notice-delivery', id);
  }
  return w.ctx.get('notice-delivery') as number;
}

export const NOTICE_READ_CASES: readonly Case[] = [
  {
    op: 'GET /v1/webhooks/{id}',
    permission: 'read',
    prepare: async (w) => ({ request: { method: 'GET', url: `/v1/webhooks/${await anEndpoint(w)}` }, rightful: ['supplier-a'], rule: OWN }),
  },
  {
    op: 'GET /v1/notice-deliveries/{id}',
    permission: 'read',
    prepare: async (w) => ({ request: { method: 'GET', url: `/v1/notice-deliveries/${await aDeadDelivery(w)}` }, rightful: ['supplier-a'], rule: OWN }),
  },
];

export const NOTICE_CASES: readonly Case[] = [
  {
    op: 'PATCH /v1/webhooks/{id}',
    permission: 'keys.manage',
    prepare: async (w) => ({ request: { method: 'PATCH', url: `/v1/webhooks/${await anEndpoint(w)}`, payload: { enabled: false } }, rightful: ['supplier-a'], rule: OWN }),
  },
  {
    op: 'POST /v1/notice-deliveries/{id}/replay',
    permission: 'operate',
    prepare: async (w) => ({ request: { method: 'POST', url: `/v1/notice-deliveries/${await aDeadDelivery(w)}/replay` }, rightful: ['supplier-a'], rule: OWN }),
  },
];
