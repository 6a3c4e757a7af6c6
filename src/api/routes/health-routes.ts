import { sql } from 'kysely';
import type { FastifyPluginAsync } from 'fastify';
import type { ServiceDeps } from '../../services/deps.ts';

/** Liveness plus a database round trip, so a load balancer sees a store that stopped answering. */
export function healthRoutes(deps: ServiceDeps): FastifyPluginAsync {
  return async (app) => {
    app.get('/health', { schema: { security: [], tags: ['health'] } }, async (_req, reply) => {
      try {
        await sql`SELECT 1`.execute(deps.store.database.db);
        return { status: 'ok', database: deps.store.kind };
      } catch (err) {
        deps.log.error({ err }, 'health check: database unreachable');
        return reply.code(503).send({ status: 'unavailable', database: deps.store.kind });
      }
    });
  };
}
