import { authenticateRequest } from '../../api/request-auth.ts';
import type { ZodApp } from '../../api/zod-app.ts';
import { ConflictError } from '../../domain/errors.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import { jobQueueOf, jobStatus, listJobs } from '../../services/jobs.ts';
import { NO_WAN_OPTION_IDS } from '../no-wan-options/seed-options.ts';
import { NO_WAN_OPTIONS_JOB, type NoWanOptionsJobPayload } from '../jobs/no-wan-options-job.ts';

/**
 * meterops' own limits on the study over HTTP: a client controls the fleet's size, and a run is
 * seconds of a worker's CPU (about 4 s at 3,000 premises, 6 s at 20,000 on a 2-core machine), so
 * the route takes a tenth of the CLI's largest fleet and at most two unfinished runs per party.
 */
export const NO_WAN_OPTIONS_HTTP = Object.freeze({ maxPremises: 20_000, unfinishedPerParty: 2 });
const UNFINISHED = new Set(['created', 'retry', 'active']);

/**
 * `POST /v1/reports/no-wan-options`: runs the 2012 SDAG paper's no-WAN options study (as
 * `meterops report no-wan-options` does) as a job; 202 with the job, whose result is the report
 * (`GET /v1/jobs/:id`). For any signed-in party or key: the study generates its own fleet and reads
 * no party's data. Bad input is refused at once, before a job exists.
 */
export async function noWanOptionsRoutes(app: ZodApp, deps: ServiceDeps): Promise<void> {
  const { z } = await import('zod');
  const { PROBLEM_RESPONSES } = await import('../../api/schemas.ts');
  const { JobSchema, presentJob } = await import('../../api/routes/job-routes.ts');
  const { checkNoWanOptionsRequest } = await import('../no-wan-options/no-wan-options-report.ts');
  app.addHook('onRequest', async (req) => authenticateRequest(deps, req));
  app.post(
    '/reports/no-wan-options',
    {
      schema: {
        tags: ['no-WAN operation'],
        summary: "The 2012 SDAG paper's eight no-WAN options, each simulated at a generated fleet's no-WAN premises, with the attacks on each: a job whose result is the report",
        description:
          `Simulated (the meterops world). premises 100 to ${NO_WAN_OPTIONS_HTTP.maxPremises} over HTTP (meterops' own limit; the CLI takes up to 200,000), ` +
          `seed, one option's row, and modelled inputs changed by key (docs/no-wan-options.md). At most ${NO_WAN_OPTIONS_HTTP.unfinishedPerParty} unfinished runs per party.`,
        body: z.strictObject({
          premises: z.number().int().min(100).max(NO_WAN_OPTIONS_HTTP.maxPremises).optional(),
          seed: z.string().max(64).optional(),
          option: z.enum(NO_WAN_OPTION_IDS).optional(),
          assumptions: z.record(z.string().max(40), z.union([z.number(), z.boolean()])).optional(),
        }),
        response: { 202: z.object({ job: JobSchema }), ...PROBLEM_RESPONSES },
      },
    },
    async (req, reply) => {
      const b = req.body;
      // The same checks as the CLI's, now: a clear error naming the field, and no job.
      const checked = checkNoWanOptionsRequest({ ...b, ...(b.assumptions ? { assumptions: b.assumptions } : {}) });
      const mine = await listJobs(deps, req.party, { limit: 50 });
      const unfinished = mine.items.filter((j) => j.name === NO_WAN_OPTIONS_JOB && UNFINISHED.has(j.state)).length;
      if (unfinished >= NO_WAN_OPTIONS_HTTP.unfinishedPerParty)
        throw new ConflictError('study-running', `${unfinished} no-WAN options runs of this party are not finished yet; wait for one (GET /v1/jobs)`);
      const payload: NoWanOptionsJobPayload = {
        premises: checked.premises,
        seed: checked.seed,
        ...(b.option ? { option: b.option } : {}),
        assumptions: b.assumptions ?? {},
      };
      const id = await deps.store.transaction((tx) => jobQueueOf(deps).enqueue(tx, NO_WAN_OPTIONS_JOB, payload, { partyId: req.party.id, total: 1 }));
      return reply.code(202).send({ job: presentJob(await jobStatus(deps, req.party, id)) });
    },
  );
}
