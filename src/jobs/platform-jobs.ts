import { NotFoundError, WORK_ORDER_LIMITS } from '../domain/index.ts';
import { drainAudit } from '../services/audit-sequencer.ts';
import type { ServiceDeps } from '../services/deps.ts';
import { uploadResponses } from '../services/hht-upload.ts';
import type { HhtUploadPayload } from '../services/jobs.ts';
import type { JobKind } from '../services/ports/job-queue.ts';
import { attemptDelivery, sweepNotices } from '../services/notices/deliver-notice.ts';
import { NOTICE_DELIVERY_JOB, retryPolicyOf, type NoticeDeliveryPayload } from '../services/notices/outbox.ts';

/** The platform's own job kinds (the composition root adds the wired-in world's). */
export function platformJobKinds(deps: ServiceDeps): JobKind[] {
  const hhtUpload: JobKind<HhtUploadPayload> = {
    name: 'hht-upload',
    // 100,000 responses at the API's measured verify rate take minutes; an hour is the lease.
    expireInSeconds: 3_600,
    retryLimit: 2,
    handler: async (run) => {
      const p = run.payload;
      const record = await deps.store.read.parties.record(p.partyId);
      if (!record) throw new NotFoundError('party', p.partyId, 'partyId');
      const actor = { id: record.id, name: record.name, role: record.role, eui: record.eui, distributorId: record.distributorId };
      const counts = { recorded: 0, duplicate: 0, rejected: 0 };
      const rejected: Array<{ orderId: string; seq: number; reason: string }> = [];
      // One upload's worth per transaction. A rerun (a retry, or after a dead worker) is safe: what
      // an earlier run recorded counts as duplicate, as for an HHT that uploads twice.
      for (let i = 0; i < p.responses.length; i += WORK_ORDER_LIMITS.responsesPerUpload) {
        const results = await uploadResponses(deps, actor, p.person, p.responses.slice(i, i + WORK_ORDER_LIMITS.responsesPerUpload));
        for (const r of results) {
          counts[r.status]++;
          if (r.status === 'rejected' && rejected.length < 1_000) rejected.push({ orderId: r.orderId, seq: r.seq, reason: r.reason });
        }
        await run.progress(Math.min(i + WORK_ORDER_LIMITS.responsesPerUpload, p.responses.length), p.responses.length);
      }
      return { ...counts, rejected };
    },
  };
  // The sequencer's recurring job: a backstop pass once a minute (pg-boss's cron) beside the 200 ms
  // loop in serve and worker, which is what keeps the ≤ 1 s bound (docs/jobs.md).
  const auditSequence: JobKind<Record<string, never>> = {
    name: 'audit-sequence',
    expireInSeconds: 300,
    retryLimit: 0,
    handler: async () => ({ integrated: await drainAudit(deps.store, deps.auditKey, deps.clock) }),
  };
  // One webhook delivery attempt. The lease is twice the attempt's timeout and 5 s (the POST is
  // bounded by the timeout, the rest is two short transactions); a worker that dies mid-attempt
  // leaves the job to be run again once it ends (the same webhook-id: at least once).
  const noticeDelivery: JobKind<NoticeDeliveryPayload & { replay?: boolean }> = {
    name: NOTICE_DELIVERY_JOB,
    expireInSeconds: 2 * Math.ceil(retryPolicyOf(deps).timeoutMs / 1000) + 5,
    retryLimit: 2,
    handler: async (run) => attemptDelivery(deps, run.payload.deliveryId, run.id, run.payload.replay === true),
  };
  // Deliveries written where no job runtime was open get their job here (and when a worker starts).
  const noticeSweep: JobKind<Record<string, never>> = {
    name: 'notice-sweep',
    expireInSeconds: 300,
    retryLimit: 0,
    handler: async () => ({ queued: await sweepNotices(deps) }),
  };
  return [hhtUpload as JobKind, auditSequence as JobKind, noticeDelivery as JobKind, noticeSweep as JobKind];
}

/** The cron of the notices' sweep. */
export const NOTICE_SWEEP_CRON = '* * * * *';

/** The cron of the sequencer's recurring job. */
export const AUDIT_SEQUENCE_CRON = '* * * * *';
