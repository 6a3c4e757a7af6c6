import { isDelivered, retryDelayMs, type NoticeDelivery } from '../../domain/index.ts';
import { webhookHeaders } from '../../keys/webhook-signature.ts';
import type { ServiceDeps } from '../deps.ts';
import { queueAttempt, retryPolicyOf } from './outbox.ts';
import { secretsOf } from './webhook-endpoints.ts';

export interface AttemptResult {
  /** What the attempt did: posted (and the delivery's state after it), or skipped and why. */
  readonly outcome: 'delivered' | 'retry' | 'dead' | 'skipped';
  readonly attempt?: number;
  readonly statusCode?: number | null;
  readonly reason?: string;
}

/** The body of a notice as Standard Webhooks shapes it: the event type, when, and its data. */
export function noticeBody(n: { eventType: string; createdAt: Date; data: Record<string, unknown> }): string {
  return JSON.stringify({ type: n.eventType, timestamp: n.createdAt.toISOString(), data: n.data });
}

async function post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<{ statusCode: number | null; error: string | null }> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'meterops-webhooks/1', ...headers },
      body,
      // A redirect is not followed: the signed message goes to the registered URL only.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel();
    return { statusCode: res.status, error: isDelivered(res.status) ? null : `answered ${res.status}` };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return { statusCode: null, error: `no answer within ${timeoutMs} ms` };
    return { statusCode: null, error: `not sent: ${err.cause?.code ?? err.cause?.message ?? err.message}`.slice(0, 500) };
  }
}

/**
 * One delivery attempt (the `notice-delivery` job's run): POST the signed notice, then, in one
 * transaction, log the attempt and move the delivery on: delivered on a 2xx answer; else its next
 * attempt queued after an exponential backoff with jitter, or the dead letter once its attempts
 * are spent. A job that is no longer the delivery's (a replay or a sweep queued another) does
 * nothing. A worker that dies after the POST leaves the job to run again: the receiver sees the
 * same webhook-id twice (at least once).
 */
export async function attemptDelivery(deps: ServiceDeps, deliveryId: number, jobId: string | null, replay = false): Promise<AttemptResult> {
  const read = deps.store.read.notices;
  const stale = (d: NoticeDelivery | undefined): string | null =>
    !d
      ? 'no such delivery'
      : d.state !== 'pending'
        ? `the delivery is ${d.state}`
        : jobId !== null && d.jobId !== null && d.jobId !== jobId
          ? 'another job has this delivery'
          : null;
  const d = await read.delivery(deliveryId);
  const why = stale(d);
  if (why) return { outcome: 'skipped', reason: why };
  const [ep, notice] = await Promise.all([read.endpoint(d!.endpointId), read.notice(d!.noticeId)]);
  const policy = retryPolicyOf(deps);
  const at = deps.clock();
  const t0 = performance.now();
  let sent: { statusCode: number | null; error: string | null };
  if (!ep || !notice) sent = { statusCode: null, error: 'the endpoint or notice is gone' };
  else if (!ep.endpoint.enabled) sent = { statusCode: null, error: 'not sent: the endpoint is disabled' };
  else {
    const body = noticeBody(notice);
    const secret = secretsOf(deps).open(ep.secretSealed, ep.endpoint.id);
    sent = await post(ep.endpoint.url, webhookHeaders(secret, notice.id, at, body), body, policy.timeoutMs);
  }
  const latencyMs = Math.round(performance.now() - t0);
  return deps.store.transaction(async (tx) => {
    const now = deps.clock();
    const cur = await tx.notices.deliveryForUpdate(deliveryId);
    const late = stale(cur);
    if (late) return { outcome: 'skipped' as const, reason: late };
    const attempt = cur!.attempts + 1;
    await tx.notices.appendAttempt({ deliveryId, attempt, at, statusCode: sent.statusCode, error: sent.error, latencyMs, replay });
    if (isDelivered(sent.statusCode)) {
      await tx.notices.updateDelivery(deliveryId, { state: 'delivered', attempts: attempt, deliveredAt: now, nextAttemptAt: null, jobId: null }, now);
      return { outcome: 'delivered' as const, attempt, statusCode: sent.statusCode };
    }
    if (attempt >= cur!.maxAttempts || !ep?.endpoint.enabled) {
      await tx.notices.updateDelivery(deliveryId, { state: 'dead', attempts: attempt, nextAttemptAt: null, jobId: null }, now);
      deps.log.warn({ delivery: deliveryId, attempts: attempt, error: sent.error }, 'notice: delivery dead-lettered');
      return { outcome: 'dead' as const, attempt, statusCode: sent.statusCode };
    }
    const next = new Date(now.getTime() + retryDelayMs(attempt, policy, Math.random()));
    await tx.notices.updateDelivery(deliveryId, { attempts: attempt, nextAttemptAt: next, jobId: null }, now);
    await queueAttempt(deps, tx, deliveryId, cur!.partyId, next);
    return { outcome: 'retry' as const, attempt, statusCode: sent.statusCode };
  });
}

/**
 * Queues the pending deliveries that have no job (their event committed where no job runtime was
 * open, a CLI command for instance): run when a worker starts and once a minute on the queue's cron.
 */
export async function sweepNotices(deps: ServiceDeps, limit = 1_000): Promise<number> {
  if (!deps.jobs) return 0;
  return deps.store.transaction(async (tx) => {
    const now = deps.clock();
    const due = await tx.notices.unqueued(limit);
    for (const d of due) await queueAttempt(deps, tx, d.id, d.partyId, d.nextAttemptAt && d.nextAttemptAt > now ? d.nextAttemptAt : now);
    return due.length;
  });
}
