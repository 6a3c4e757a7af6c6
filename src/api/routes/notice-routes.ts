import { z } from 'zod';
import { DELIVERY_STATES, NOTICE_EVENT_TYPES, type Notice, type NoticeAttempt, type NoticeDelivery, type WebhookEndpoint } from '../../domain/index.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import { listDeliveries, replayDelivery, showDelivery } from '../../services/notices/delivery-log.ts';
import { createEndpoint, listEndpoints, showEndpoint, updateEndpoint } from '../../services/notices/webhook-endpoints.ts';
import type { ZodApp } from '../zod-app.ts';
import { listQuery, pageOf, PROBLEM_RESPONSES } from '../schemas.ts';

const tags = ['notices'];
const iso = (d: Date | null) => d?.toISOString() ?? null;

export const EndpointSchema = z.object({
  id: z.string(),
  url: z.string(),
  eventTypes: z.array(z.enum(NOTICE_EVENT_TYPES)),
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const presentEndpoint = (e: WebhookEndpoint) => ({
  id: e.id,
  url: e.url,
  eventTypes: [...e.eventTypes],
  enabled: e.enabled,
  createdAt: e.createdAt.toISOString(),
  updatedAt: e.updatedAt.toISOString(),
});

export const DeliverySchema = z.object({
  id: z.number().int(),
  noticeId: z.string().describe('the webhook-id of every attempt: the receiver deduplicates on it'),
  endpointId: z.string(),
  state: z.enum(DELIVERY_STATES).describe('pending (attempts to come), delivered (a 2xx answer), dead (the attempts ran out: the dead letter)'),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const presentDelivery = (d: NoticeDelivery) => ({
  id: d.id,
  noticeId: d.noticeId,
  endpointId: d.endpointId,
  state: d.state,
  attempts: d.attempts,
  maxAttempts: d.maxAttempts,
  nextAttemptAt: iso(d.nextAttemptAt),
  deliveredAt: iso(d.deliveredAt),
  createdAt: d.createdAt.toISOString(),
  updatedAt: d.updatedAt.toISOString(),
});
const AttemptSchema = z.object({
  attempt: z.number().int(),
  at: z.string(),
  statusCode: z.number().int().nullable().describe("the receiver's HTTP status; null when no answer came"),
  error: z.string().nullable(),
  latencyMs: z.number().int(),
  replay: z.boolean(),
});
const presentAttempt = (a: NoticeAttempt) => ({ attempt: a.attempt, at: a.at.toISOString(), statusCode: a.statusCode, error: a.error, latencyMs: a.latencyMs, replay: a.replay });
const NoticeSchema = z.object({ id: z.string(), type: z.enum(NOTICE_EVENT_TYPES), createdAt: z.string(), data: z.record(z.string(), z.unknown()) });
const presentNotice = (n: Notice) => ({ id: n.id, type: n.eventType, createdAt: n.createdAt.toISOString(), data: n.data });

const EndpointBody = { url: z.string().max(2_000), eventTypes: z.array(z.string().max(64)).max(16).describe(NOTICE_EVENT_TYPES.join(', ')) };
const DeliveryId = z.strictObject({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

/** Webhook endpoints, the delivery log and replay: each party its own (docs/notices.md). */
export async function noticeRoutes(app: ZodApp, deps: ServiceDeps): Promise<void> {
  app.post(
    '/webhooks',
    {
      config: { permission: 'keys.manage' },
      schema: {
        tags,
        summary: "A webhook endpoint for the caller's party; its signing secret (whsec_…) is in this answer only",
        body: z.strictObject(EndpointBody),
        response: { 201: z.object({ endpoint: EndpointSchema, secret: z.string().describe('shown once; kept encrypted at rest') }), ...PROBLEM_RESPONSES },
      },
    },
    async (req, reply) => {
      const r = await createEndpoint(deps, req.party, req.body, req.principal);
      return reply.code(201).send({ endpoint: presentEndpoint(r.endpoint), secret: r.secret });
    },
  );

  app.get(
    '/webhooks',
    {
      schema: {
        tags,
        summary: "The caller's party's webhook endpoints (never their secrets)",
        response: { 200: z.object({ webhooks: z.array(EndpointSchema) }), ...PROBLEM_RESPONSES },
      },
    },
    async (req) => ({ webhooks: (await listEndpoints(deps, req.party)).map(presentEndpoint) }),
  );

  app.get(
    '/webhooks/:id',
    {
      schema: {
        tags,
        summary: "One endpoint of the caller's party; another party's is not found",
        params: z.strictObject({ id: z.string().max(100) }),
        response: { 200: EndpointSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (req) => presentEndpoint(await showEndpoint(deps, req.party, req.params.id)),
  );

  app.patch(
    '/webhooks/:id',
    {
      config: { permission: 'keys.manage' },
      schema: {
        tags,
        summary: "Change an endpoint's URL, event types, or whether it is enabled (a disabled one gets no new deliveries)",
        params: z.strictObject({ id: z.string().max(100) }),
        body: z.strictObject({ url: EndpointBody.url.optional(), eventTypes: EndpointBody.eventTypes.optional(), enabled: z.boolean().optional() }),
        response: { 200: EndpointSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (req) => presentEndpoint(await updateEndpoint(deps, req.party, req.params.id, req.body, req.principal)),
  );

  app.get(
    '/notice-deliveries',
    {
      schema: {
        tags,
        summary: "The caller's party's deliveries, newest first: state and attempts",
        querystring: listQuery({
          state: z.string().max(20).optional().describe(DELIVERY_STATES.join(', ')),
          endpointId: z.string().max(100).optional(),
          noticeId: z.string().max(100).optional(),
        }),
        response: { 200: pageOf('deliveries', DeliverySchema), ...PROBLEM_RESPONSES },
      },
    },
    async (req) => {
      const p = await listDeliveries(deps, req.party, req.query);
      return { deliveries: p.items.map(presentDelivery), next: p.next };
    },
  );

  app.get(
    '/notice-deliveries/:id',
    {
      schema: {
        tags,
        summary: 'One delivery with its notice and the log of its attempts (when, status code or error, latency)',
        params: DeliveryId,
        response: { 200: z.object({ delivery: DeliverySchema, notice: NoticeSchema, attempts: z.array(AttemptSchema) }), ...PROBLEM_RESPONSES },
      },
    },
    async (req) => {
      const r = await showDelivery(deps, req.party, req.params.id);
      return { delivery: presentDelivery(r.delivery), notice: presentNotice(r.notice), attempts: r.attempts.map(presentAttempt) };
    },
  );

  app.post(
    '/notice-deliveries/:id/replay',
    {
      schema: {
        tags,
        summary: 'One more attempt of a delivered or dead-lettered delivery (same webhook-id, fresh timestamp and signature)',
        params: DeliveryId,
        response: { 202: z.object({ delivery: DeliverySchema }), ...PROBLEM_RESPONSES },
      },
    },
    async (req, reply) => reply.code(202).send({ delivery: presentDelivery(await replayDelivery(deps, req.party, req.params.id, req.principal)) }),
  );
}
