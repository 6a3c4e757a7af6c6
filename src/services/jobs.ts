import {
  ConflictError,
  NotFoundError,
  ValidationError,
  WORK_ORDER_LIMITS,
  pageRequest,
  requirePermission,
  toPage,
  type Page,
  type PageQuery,
  type Party,
  type Principal,
} from '../domain/index.ts';
import type { ServiceDeps } from './deps.ts';
import type { UploadedResponse } from './hht-upload.ts';
import type { JobQueue, JobStatus } from './ports/job-queue.ts';
import { supplierEui } from './work-orders.ts';

/** Responses one HHT upload job carries at most (ten uploads' worth; a meterops default). */
export const HHT_UPLOAD_JOB_ROWS = 10 * WORK_ORDER_LIMITS.responsesPerUpload;

export interface HhtUploadPayload {
  readonly partyId: string;
  readonly person: string;
  readonly responses: readonly UploadedResponse[];
}

export function jobQueueOf(deps: ServiceDeps): JobQueue {
  if (!deps.jobs) throw new ConflictError('job-runtime', 'no job runtime is open in this process (jobs run under `meterops serve` or `meterops worker`)');
  return deps.jobs;
}

/** A job of the caller's party; another party's job, or none, is not found (404). */
export async function jobStatus(deps: ServiceDeps, actor: Party, id: string): Promise<JobStatus> {
  const s = await jobQueueOf(deps).status(id);
  if (!s || s.partyId !== actor.id) throw new NotFoundError('job', id, 'id');
  return s;
}

/** The caller's party's jobs, newest first, a page at a time (docs/lists.md). */
export async function listJobs(deps: ServiceDeps, actor: Party, q: PageQuery = {}): Promise<Page<JobStatus>> {
  const queue = jobQueueOf(deps);
  const page = await deps.store.read.jobs.page(actor.id, pageRequest(q, ['date', 'string']));
  const items: JobStatus[] = [];
  for (const r of page.items) {
    const s = await queue.status(r.id);
    if (s) items.push(s);
  }
  return toPage({ items, nextKey: page.nextKey });
}

/**
 * A large HHT upload as a job (SRV 8.13 in batches of one upload's size): the permission is checked
 * now, the rows are worked through by a worker, and the results counted into the job's result.
 */
export async function enqueueHhtUpload(deps: ServiceDeps, actor: Party, person: string, responses: readonly UploadedResponse[], principal?: Principal): Promise<string> {
  if (principal) requirePermission(principal, 'work_orders.push');
  supplierEui(actor);
  if (!Array.isArray(responses) || responses.length < 1 || responses.length > HHT_UPLOAD_JOB_ROWS) {
    throw new ValidationError('responses', 'upload-size', `an upload job carries 1 to ${HHT_UPLOAD_JOB_ROWS} responses`);
  }
  const payload: HhtUploadPayload = { partyId: actor.id, person, responses };
  return deps.store.transaction(async (tx) => {
    // An upload naming none of the caller's orders is refused here, as a missing order is, so that
    // nothing (not even a job) is written for another party's orders; rows of a mixed upload are
    // checked one by one when the job runs, as a direct upload's are.
    const ids = [...new Set(responses.map((r) => r.orderId))].slice(0, 1_000);
    let own = false;
    for (const id of ids) {
      const o = await tx.workOrders.get(id);
      if (o && (o.supplierPartyId === actor.id || actor.role === 'dcc')) {
        own = true;
        break;
      }
    }
    if (!own) throw new NotFoundError('work order', ids[0] ?? '', 'responses.orderId');
    return jobQueueOf(deps).enqueue(tx, 'hht-upload', payload, { partyId: actor.id, total: responses.length });
  });
}
