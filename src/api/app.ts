import fastifyHelmet from '@fastify/helmet';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { findBadString, ValidationError, type Party, type Principal } from '../domain/index.ts';
import { BULK_ROUTES, DEFAULT_API_LIMITS, registerRateLimits, type ApiLimits } from './api-limits.ts';
import { authenticateRequest } from './request-auth.ts';
import { partyRoutes } from './routes/party-routes.ts';
import { userRoutes } from './routes/user-routes.ts';
import { apiKeyRoutes } from './routes/api-key-routes.ts';
import { sessionRoutes, signInRoutes } from './routes/session-routes.ts';
import type { ServiceDeps } from '../services/deps.ts';
import { sendProblem } from './problem.ts';
import { deviceRoutes } from './routes/device-routes.ts';
import { healthRoutes } from './routes/health-routes.ts';
import { premiseRoutes } from './routes/premise-routes.ts';
import { obligationRoutes } from './routes/obligation-routes.ts';
import { awarenessRoutes } from './routes/awareness-routes.ts';
import { vendRoutes } from './routes/vend-routes.ts';
import { noWanRoutes } from './routes/no-wan-routes.ts';
import { returnsRoutes } from './routes/returns-routes.ts';
import { auditRoutes } from './routes/audit-routes.ts';
import { jobRoutes } from './routes/job-routes.ts';
import { noticeRoutes } from './routes/notice-routes.ts';
import { registerWebPages } from './web-pages.ts';

declare module 'fastify' {
  interface FastifyRequest {
    party: Party;
    /** The label of the API key used: the person acting, for two-person rules. */
    person: string;
    /** Who acts within the party, with their roles (a signed-in person or a system's key). */
    principal: Principal;
  }
}

export type App = FastifyInstance;

export interface AppOptions {
  /** Rate and body limits (default: meterops' own, DEFAULT_API_LIMITS; `serve` takes them from the configuration). */
  readonly limits?: ApiLimits;
  /** The built web pages to serve at `/` (default: none; `serve` gives dist/web, src/api/web-pages.ts). */
  readonly webDir?: string | null;
  /** Routes of what the composition root wires in (e.g. the simulated world's), each in its own scope. */
  readonly plugins?: ReadonlyArray<(app: App) => Promise<void>>;
}

/** Builds the HTTP API over the services; the caller listens and closes it. */
export async function buildApp(deps: ServiceDeps, opts: AppOptions = {}): Promise<App> {
  const limits = opts.limits ?? DEFAULT_API_LIMITS;
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: limits.bodyBytes,
    // Longer than any id the routes take (each route's schema sets its own, smaller limit).
    routerOptions: { maxParamLength: 200 },
    // The router's own refusals (a bad percent-encoding, an over-long parameter) as problems too.
    frameworkErrors: (err, req, reply) => sendProblem(err, req, reply),
  });
  // The bulk routes (a batch of rows per request) take the larger body limit; every other the ordinary one.
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (BULK_ROUTES.includes(`${method} ${route.url}`)) route.bodyLimit = limits.bulkBodyBytes;
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((err, req, reply) => sendProblem(err, req, reply));
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .type('application/problem+json')
      .send({
        type: 'https://meterops.dev/problems/not_found',
        title: 'Not Found',
        status: 404,
        detail: `no route ${req.method} ${req.url.split('?')[0]}`,
        code: 'NOT_FOUND',
        field: 'url',
        rule: 'route',
        instance: req.url,
      }),
  );

  // Security headers for the API and the pages it serves. The API docs page sets its own
  // content security policy (its scripts are static files), so helmet's does not block it.
  // The web pages are served over plain HTTP on a laptop or a bench: no upgrade-insecure-requests,
  // which would send their scripts to an https:// that is not there.
  await app.register(fastifyHelmet, { global: true, contentSecurityPolicy: { useDefaults: true, directives: { 'upgrade-insecure-requests': null } } });
  const rate = await registerRateLimits(app, limits);
  if (rate.perAddress) app.addHook('onRequest', rate.perAddress);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'meterops API',
        version: '0.1.0',
        description: 'GB smart-meter operations: device registry, triage, no-WAN operation, SEC obligations.',
      },
      components: {
        securitySchemes: {
          partyApiKey: { type: 'http', scheme: 'bearer', description: 'a party API key' },
          session: { type: 'apiKey', in: 'cookie', name: 'meterops_session', description: 'a signed-in session (POST /v1/sessions); changes carry X-CSRF-Token' },
        },
      },
      security: [{ partyApiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  // What is hashed must be what is stored: a string that is not well-formed Unicode (a lone
  // surrogate, which PostgreSQL would store as U+FFFD) or holds NUL (which it cannot store) is
  // refused wherever it comes: path, query or JSON body, on every route.
  app.addHook('preValidation', async (req) => {
    for (const [where, value] of [
      ['params', req.params],
      ['query', req.query],
      ['body', req.body],
    ] as const) {
      const bad = findBadString(value);
      if (bad) throw new ValidationError(bad.field, bad.rule, `${bad.message} (in the request ${where})`);
    }
  });

  app.decorateRequest('party', null as unknown as Party);
  app.decorateRequest('person', '');
  app.decorateRequest('principal', null as unknown as Principal);
  await app.register(healthRoutes(deps));
  // Signing in is the one /v1 route without a key or session.
  await app.register(
    async (v1) => {
      if (rate.signIn) {
        const signIn = rate.signIn;
        v1.addHook('preHandler', async (req, reply) => {
          if (req.method === 'POST' && req.routeOptions.url === '/v1/sessions') await signIn(req, reply);
        });
      }
      await signInRoutes(v1.withTypeProvider<ZodTypeProvider>(), deps);
    },
    { prefix: '/v1' },
  );
  await app.register(
    async (v1) => {
      // The key's limit first: an over-limit request is refused before the key is even looked up.
      if (rate.perKey) v1.addHook('onRequest', rate.perKey);
      v1.addHook('onRequest', async (req) => authenticateRequest(deps, req));
      const z = v1.withTypeProvider<ZodTypeProvider>();
      await partyRoutes(z, deps);
      await userRoutes(z, deps);
      await apiKeyRoutes(z, deps);
      await sessionRoutes(z, deps);
      await deviceRoutes(z, deps);
      await premiseRoutes(z, deps);
      await obligationRoutes(z, deps);
      await awarenessRoutes(z, deps);
      await vendRoutes(z, deps);
      await noWanRoutes(z, deps);
      await returnsRoutes(z, deps);
      await auditRoutes(z, deps);
      await jobRoutes(z, deps);
      await noticeRoutes(z, deps);
    },
    { prefix: '/v1' },
  );
  for (const plugin of opts.plugins ?? []) await app.register(async (scope) => plugin(scope));
  if (opts.webDir !== undefined) await registerWebPages(app, opts.webDir);
  return app;
}
