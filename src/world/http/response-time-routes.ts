import { authenticateRequest } from '../../api/request-auth.ts';
import type { ZodApp } from '../../api/zod-app.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import { LATENCY_MODEL, RESPONSE_TIME_BUCKETS, simulateResponseTimes, type RouteLatency } from '../studies/route-latency.ts';

const tags = ['no-WAN operation'];

/**
 * `GET /v1/reports/response-times`: the simulated request-to-confirmed-response time of every route
 * against the DCC's targets (on-demand 30 s, alerts 60 s), as `meterops report response-times`
 * runs it, with each route's distribution. For any signed-in party or key: it is a simulation on
 * its own fleet and reads no party's data. The same samples and seed give the same answer, so the
 * answer is kept (a handful of sizes) rather than run again on a 2-core server.
 */
export async function responseTimeRoutes(app: ZodApp, deps: ServiceDeps): Promise<void> {
  const { z } = await import('zod');
  const { PROBLEM_RESPONSES } = await import('../../api/schemas.ts');
  const kept = new Map<string, Promise<RouteLatency[]>>();
  app.addHook('onRequest', async (req) => authenticateRequest(deps, req));
  app.get(
    '/reports/response-times',
    {
      schema: {
        tags,
        summary: "Response times per route against the DCC's targets (on-demand 30 s, alerts 60 s): simulated, with each route's distribution",
        querystring: z.strictObject({
          samples: z.coerce.number().int().min(10).max(500).optional(),
          seed: z.string().min(1).max(64).optional(),
        }),
        response: { 200: z.record(z.string(), z.unknown()), ...PROBLEM_RESPONSES },
      },
    },
    async (req) => {
      const samples = req.query.samples ?? 200;
      const seed = req.query.seed ?? 'default';
      const at = `${samples}/${seed}`;
      if (!kept.has(at)) {
        if (kept.size >= 8) kept.delete(kept.keys().next().value!);
        const run = simulateResponseTimes({ samples, seed });
        run.catch(() => kept.delete(at));
        kept.set(at, run);
      }
      return {
        targets: { onDemandSeconds: 30, alertSeconds: 60 },
        samples,
        seed,
        buckets: RESPONSE_TIME_BUCKETS,
        simulated: await kept.get(at)!,
        model: LATENCY_MODEL,
      };
    },
  );
}
