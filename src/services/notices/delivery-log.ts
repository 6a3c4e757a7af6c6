import {
  ConflictError,
  DELIVERY_STATES,
  NotFoundError,
  ValidationError,
  pageRequest,
  toPage,
  type DeliveryState,
  type Notice,
  type NoticeAttempt,
  type NoticeDelivery,
  type Page,
  type PageQuery,
  type Party,
  type Principal,
} from '../../domain/index.ts';
import type { StoreTx } from '../../store/ports.ts';
import { mayAct } from '../acting.ts';
import { audit } from '../audit.ts';
import type { ServiceDeps } from '../deps.ts';
import { NOTICE_DELIVERY_JOB, type NoticeDeliveryPayload } from './outbox.ts';

async function deliveryInScope(tx: StoreTx, actor: Party, id: number, forUpdate = false): Promise<NoticeDelivery> {
  const d = Number.isSafeInteger(id) && id > 0 ? await (forUpdate ? tx.notices.deliveryForUpdate(id) : tx.notices.delivery(id)) : undefined;
  // Another party's delivery answers exactly as a missing one.
  if (!d || d.partyId !== actor.id) throw new NotFoundError('delivery', String(id), 'deliveryId');
  return d;
}

export type DeliveryListQuery = { state?: string; endpointId?: string; noticeId?: string } & PageQuery;

/** The party's deliveries, newest first (docs/lists.md). */
export async function listDeliveries(deps: ServiceDeps, actor: Party, q: DeliveryListQuery = {}): Promise<Page<NoticeDelivery>> {
  const page = pageRequest(q, ['number']);
  if (q.state !== undefined && !(DELIVERY_STATES as readonly string[]).includes(q.state))
    throw new ValidationError('state', 'delivery-state', `state is one of ${DELIVERY_STATES.join(', ')}`);
  return toPage(
    await deps.store.read.notices.deliveryPage(
      {
        partyId: actor.id,
        ...(q.state ? { state: q.state as DeliveryState } : {}),
        ...(q.endpointId ? { endpointId: q.endpointId } : {}),
        ...(q.noticeId ? { noticeId: q.noticeId } : {}),
      },
      page,
    ),
  );
}

/** One delivery with its notice and every attempt (when, status code or error, latency). */
export async function showDelivery(deps: ServiceDeps, actor: Party, id: number): Promise<{ delivery: NoticeDelivery; notice: Notice; attempts: NoticeAttempt[] }> {
  const delivery = await deliveryInScope(deps.store.read, actor, id);
  const [notice, attempts] = await Promise.all([deps.store.read.notices.notice(delivery.noticeId), deps.store.read.notices.attempts(id)]);
  return { delivery, notice: notice!, attempts };
}

/**
 * A manual replay: one more attempt of a delivered or dead-lettered delivery, with the same
 * webhook-id (the receiver may know it already: that is its idempotency key) and a fresh timestamp
 * and signature. A pending delivery has its attempts queued already and is not replayed.
 */
export async function replayDelivery(deps: ServiceDeps, actor: Party, id: number, principal?: Principal): Promise<NoticeDelivery> {
  mayAct(principal);
  return deps.store.transaction(async (tx) => {
    const d = await deliveryInScope(tx, actor, id, true);
    if (d.state === 'pending')
      throw new ConflictError('delivery-pending', `delivery ${id} is pending (attempt ${d.attempts} of ${d.maxAttempts} made): its next attempt is queued`, 'deliveryId');
    const now = deps.clock();
    await tx.notices.updateDelivery(id, { state: 'pending', maxAttempts: d.attempts + 1, nextAttemptAt: now, jobId: null, deliveredAt: null }, now);
    if (deps.jobs) {
      const payload: NoticeDeliveryPayload & { replay: true } = { deliveryId: id, replay: true };
      const jobId = await deps.jobs.enqueue(tx, NOTICE_DELIVERY_JOB, payload, { partyId: actor.id });
      await tx.notices.updateDelivery(id, { jobId }, now);
    }
    await audit(tx, now, actor.id, 'webhook.replayed', `delivery/${id}`, { notice: d.noticeId, endpoint: d.endpointId, after: d.state });
    return (await tx.notices.delivery(id))!;
  });
}
