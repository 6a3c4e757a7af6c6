import { z } from 'zod';
import { JOB_STATES, type JobStatus } from '../../services/ports/job-queue.ts';
import { enqueueHhtUpload, HHT_UPLOAD_JOB_ROWS, jobStatus, listJobs } from '../../services/jobs.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import type { ZodApp } from '../zod-app.ts';
import { listQuery, pageOf, PROBLEM_RESPONSES } from '../schemas.ts';

const tags = ['jobs'];
const Any = z.unknown();

export const JobSchema = z.object({
  id: z.string().describe('UUID'),
  name: z.string().describe('the job kind: fleet-generate, returns-year, returns-year-batch, no-wan-options, hht-upload, audit-sequence'),
  parentId: z.string().nullable().describe('the job this one is a part of'),
  state: z.enum(JOB_STATES),
  attempts: z.number().int().describe('runs started so far (a run cut off by a dead worker counts)'),
  retryLimit: z.number().int(),
  progress: z.object({ done: z.number().int(), total: z.number().int().nullable() }),
  result: Any.describe("the handler's value, once completed; else null"),
  error: z.object({ message: z.string(), code: z.string().nullable() }).nullable().describe("the last run's error, once failed or while waiting to retry"),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
});

export const presentJob = (s: JobStatus) => ({
  id: s.id,
  name: s.name,
  parentId: s.parentId,
  state: s.state,
  attempts: s.attempts,
  retryLimit: s.retryLimit,
  progress: s.progress,
  result: s.result ?? null,
  error: s.error,
  createdAt: s.createdAt.toISOString(),
  startedAt: s.startedAt?.toISOString() ?? null,
  completedAt: s.completedAt?.toISOString() ?? null,
});

/** Jobs: a party's own jobs' status, and the HHT upload that runs as one. */
export async function jobRoutes(app: ZodApp, deps: ServiceDeps): Promise<void> {
  app.get(
    '/jobs/:id',
    {
      schema: {
        tags,
        summary: "One of the caller's party's jobs: state, attempts, progress (done of total), result or error; another party's job is not found",
        params: z.strictObject({ id: z.string().max(64) }),
        response: { 200: JobSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (req) => presentJob(await jobStatus(deps, req.party, req.params.id)),
  );

  app.get(
    '/jobs',
    {
      schema: {
        tags,
        summary: "The caller's party's jobs, newest first",
        querystring: listQuery({}),
        response: { 200: pageOf('jobs', JobSchema), ...PROBLEM_RESPONSES },
      },
    },
    async (req) => {
      const p = await listJobs(deps, req.party, req.query);
      return { jobs: p.items.map(presentJob), next: p.next };
    },
  );

  app.post(
    '/hht/upload-jobs',
    {
      // Ten uploads' worth of responses in one body (an upload is at most 8 MiB).
      bodyLimit: 64 * 1024 * 1024,
      config: { permission: 'work_orders.push' },
      schema: {
        tags,
        summary: `SRV 8.13 for a large batch (up to ${HHT_UPLOAD_JOB_ROWS} responses) as a job: 202 with the job; its result counts recorded, duplicate and rejected rows`,
        body: z.strictObject({
          responses: z
            .array(z.strictObject({ orderId: z.string().max(64), seq: z.number().int(), response: z.string().max(4096), deliveredAt: z.string().max(40) }))
            .max(HHT_UPLOAD_JOB_ROWS),
        }),
        response: { 202: z.object({ job: JobSchema }), ...PROBLEM_RESPONSES },
      },
    },
    async (req, reply) => {
      const id = await enqueueHhtUpload(deps, req.party, req.person, req.body.responses, req.principal);
      return reply.code(202).send({ job: presentJob(await jobStatus(deps, req.party, id)) });
    },
  );
}
