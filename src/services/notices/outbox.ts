import { randomUUID } from 'node:crypto';
import { DEFAULT_WEBHOOK_RETRY, type Notice, type NoticeEventType, type RemovalNotice, type WebhookRetryPolicy } from '../../domain/index.ts';
import type { StoreTx } from '../../store/ports.ts';
import type { ServiceDeps } from '../deps.ts';

/** The job kind that makes one delivery attempt (src/jobs/platform-jobs.ts). */
export const NOTICE_DELIVERY_JOB = 'notice-delivery';

export interface NoticeDeliveryPayload {
  readonly deliveryId: number;
}

export function retryPolicyOf(deps: Pick<ServiceDeps, 'policy'>): WebhookRetryPolicy {
  return { ...DEFAULT_WEBHOOK_RETRY, ...deps.policy?.webhookRetry };
}

/** A notice's id: the webhook-id every delivery of it carries (Standard Webhooks' `msg_` style). */
export const newNoticeId = (): string => `msg_${randomUUID().replaceAll('-', '')}`;

/**
 * The outbox: notices written in the caller's transaction (the event's own), one delivery per
 * enabled endpoint of the recipient subscribed to the event type, and, where a job runtime is
 * open, the queue job of each delivery's first attempt (in the same transaction: it runs only if
 * the event committed). Where none is open, a worker's sweep queues them (`sweepNotices`).
 */
export async function writeNotices(
  deps: ServiceDeps,
  tx: StoreTx,
  items: ReadonlyArray<{ eventType: NoticeEventType; partyId: string; data: Record<string, unknown> }>,
): Promise<Notice[]> {
  if (items.length === 0) return [];
  const now = deps.clock();
  const notices: Notice[] = items.map((n) => ({ id: newNoticeId(), eventType: n.eventType, partyId: n.partyId, data: n.data, createdAt: now }));
  await tx.notices.insertNotices(notices);
  const policy = retryPolicyOf(deps);
  for (const type of new Set(notices.map((n) => n.eventType))) {
    const ofType = notices.filter((n) => n.eventType === type);
    const endpoints = await tx.notices.subscribers([...new Set(ofType.map((n) => n.partyId))], type);
    const rows = ofType.flatMap((n) =>
      endpoints
        .filter((e) => e.partyId === n.partyId)
        .map((e) => ({ noticeId: n.id, endpointId: e.id, partyId: n.partyId, maxAttempts: policy.attempts, nextAttemptAt: now, createdAt: now })),
    );
    const ids = await tx.notices.insertDeliveries(rows);
    for (const [i, id] of ids.entries()) await queueAttempt(deps, tx, id, rows[i]!.partyId, now);
  }
  return notices;
}

/** Queues a delivery's next attempt in the caller's transaction, if a job runtime is open here. */
export async function queueAttempt(deps: ServiceDeps, tx: StoreTx, deliveryId: number, partyId: string, at: Date): Promise<string | null> {
  if (!deps.jobs) return null;
  const payload: NoticeDeliveryPayload = { deliveryId };
  const start = at.getTime() > deps.clock().getTime() ? { startAfter: at } : {};
  const jobId = await deps.jobs.enqueue(tx, NOTICE_DELIVERY_JOB, payload, { partyId, ...start });
  await tx.notices.updateDelivery(deliveryId, { jobId, nextAttemptAt: at }, deps.clock());
  return jobId;
}

/**
 * Removals from premises, in the caller's transaction: each recorded as a removal notice (read by
 * the DNO at /v1/removal-notices), and, where the region's Network Operator is a party here, its
 * `device.removed` notice written to the outbox.
 */
export async function recordRemovals(deps: ServiceDeps, tx: StoreTx, removals: ReadonlyArray<Omit<RemovalNotice, 'id'> & { reason?: string }>): Promise<void> {
  if (removals.length === 0) return;
  await tx.returns.insertRemovalNotices(removals.map(({ reason: _reason, ...r }) => r));
  await writeNotices(
    deps,
    tx,
    removals
      .filter((r) => r.dnoPartyId !== null)
      .map((r) => ({
        eventType: 'device.removed' as const,
        partyId: r.dnoPartyId!,
        data: {
          deviceEui: r.deviceEui,
          premiseId: r.premiseId,
          distributorId: r.distributorId,
          removedBy: r.removedBy,
          removedAt: r.removedAt.toISOString(),
          ...(r.reason !== undefined ? { reason: r.reason } : {}),
        },
      })),
  );
}

/** The Network Operator party of each DNO region (distributor id) registered here. */
export async function dnoParties(tx: StoreTx): Promise<Map<number, string>> {
  const dnos = new Map<number, string>();
  for (const x of await tx.parties.list()) if (x.role === 'network_operator' && x.distributorId !== null && !dnos.has(x.distributorId)) dnos.set(x.distributorId, x.id);
  return dnos;
}
