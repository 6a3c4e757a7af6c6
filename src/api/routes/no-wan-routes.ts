import { z } from 'zod';
import { HHT_USE_CASES, parseEui, ROUTED_REQUESTS, WORK_ORDER_LIMITS, type OrderCommand, type WorkOrder } from '../../domain/index.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import { recordDeviceAlert } from '../../services/device-alerts.ts';
import { uploadResponses } from '../../services/hht-upload.ts';
import { listFieldEngineers } from '../../services/work-order-assignment.ts';
import { importCoverage, recordWanObservation, routeRequest, visitQueue } from '../../services/wan-routing.ts';
import { assignWorkOrder, createWorkOrder, listWorkOrders, pullWorkOrder, showWorkOrder } from '../../services/work-orders.ts';
import type { ZodApp } from '../zod-app.ts';
import { EuiParam, listQuery, pageOf, PROBLEM_RESPONSES } from '../schemas.ts';

const tags = ['no-WAN operation'];
const Any = z.record(z.string(), z.unknown());

const presentOrder = (o: WorkOrder) => ({
  ...o,
  createdAt: o.createdAt.toISOString(),
  expiresAt: o.expiresAt.toISOString(),
  pulledAt: o.pulledAt?.toISOString() ?? null,
  closedAt: o.closedAt?.toISOString() ?? null,
  assignedAt: o.assignedAt?.toISOString() ?? null,
});
/** Long enough for any username with room to spare; the use case checks the pattern and names the field. */
const Assignee = z.string().max(200).describe("a username of the Supplier's people who holds field_engineer");
const presentCommand = (c: OrderCommand) => ({
  ...c,
  counter: c.counter.toString(),
  deliveredAt: c.deliveredAt?.toISOString() ?? null,
  uploadedAt: c.uploadedAt?.toISOString() ?? null,
});

export async function noWanRoutes(app: ZodApp, deps: ServiceDeps): Promise<void> {
  app.get(
    '/devices/:eui/route',
    {
      schema: {
        tags,
        summary: 'How a request would reach this device (WAN, HHT visit, consumer code, PPMID relay), and why',
        params: z.strictObject({ eui: EuiParam }),
        querystring: z.strictObject({ request: z.enum(ROUTED_REQUESTS) }),
        response: { 200: Any, ...PROBLEM_RESPONSES },
      },
    },
    async (req) => ({ ...(await routeRequest(deps, req.party, parseEui(req.params.eui), req.query.request)) }),
  );

  app.get(
    '/no-wan/visit-queue',
    {
      schema: {
        tags,
        summary: 'SECMP0032: prepayment premises with no WAN, most at risk first, with their 30- and 90-day clocks',
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).optional() }),
        response: { 200: z.array(Any), ...PROBLEM_RESPONSES },
      },
    },
    async (req) =>
      (await visitQueue(deps, req.party, req.query.limit)).map((e) => ({
        ...e,
        wanLostAt: e.wanLostAt.toISOString(),
        fix30: { ...e.fix30, due: e.fix30.due.toISOString() },
        fix90: { ...e.fix90, due: e.fix90.due.toISOString() },
      })),
  );

  app.put(
    '/premises/:id/wan-status',
    {
      schema: {
        tags,
        summary: 'Record what is known of the premise hub WAN and meter (starts or stops the no-WAN clocks)',
        params: z.strictObject({ id: z.string().max(64) }),
        body: z.strictObject({
          hubWan: z.enum(['connected', 'intermittent', 'no-wan', 'unknown']).optional(),
          paymentMode: z.enum(['credit', 'prepayment']).optional(),
          creditPence: z.number().int().nullable().optional(),
          supply: z.enum(['enabled', 'disabled', 'armed']).nullable().optional(),
        }),
        response: { 200: Any, ...PROBLEM_RESPONSES },
      },
    },
    async (req) => ({ ...(await recordWanObservation(deps, req.party, req.params.id, req.body, req.principal)) }),
  );

  app.put(
    '/wan-coverage',
    {
      schema: {
        tags,
        summary: 'Load WAN coverage by postcode (as the SR 12.1 WAN matrix answers it)',
        body: z.strictObject({
          rows: z.array(z.strictObject({ postcode: z.string().max(10), coverage: z.string().max(16), anticipatedAt: z.string().max(40).nullable().optional() })).max(100_000),
        }),
        response: { 200: z.object({ rows: z.number() }), ...PROBLEM_RESPONSES },
      },
    },
    async (req) => ({ rows: await importCoverage(deps, req.party, req.body.rows, req.principal) }),
  );

  app.post(
    '/work-orders',
    {
      schema: {
        tags,
        summary: 'Create an HHT work order: commands built for local delivery (Command Variants 2/6), signed and MACed',
        body: z.strictObject({
          premiseId: z.string().max(64),
          lifetimeHours: z.number().int().optional(),
          assignee: Assignee.optional(),
          commands: z
            .array(
              z.strictObject({
                deviceEui: EuiParam,
                useCase: z.string().max(16).describe(HHT_USE_CASES.join(', ')),
                value: z.number().int().optional(),
                valueClass: z.enum(['pounds', 'pennies']).optional(),
              }),
            )
            .max(WORK_ORDER_LIMITS.commandsPerOrder),
        }),
        response: { 201: Any, ...PROBLEM_RESPONSES },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const r = await createWorkOrder(
        deps,
        req.party,
        req.person,
        {
          premiseId: b.premiseId,
          ...(b.lifetimeHours !== undefined ? { lifetimeHours: b.lifetimeHours } : {}),
          ...(b.assignee !== undefined ? { assignee: b.assignee } : {}),
          commands: b.commands.map((c, i) => ({ ...c, deviceEui: parseEui(c.deviceEui, `commands[${i}].deviceEui`) })),
        },
        req.principal,
      );
      return reply.code(201).send({ order: presentOrder(r.order), commands: r.commands.map(presentCommand) });
    },
  );

  app.get(
    '/work-orders',
    {
      schema: {
        tags,
        summary: 'Your work orders (the DCC: all), newest first; assignee: me, none (unassigned) or usernames, comma-separated',
        querystring: listQuery({
          state: z.enum(['open', 'pulled', 'completed', 'expired']).optional(),
          premiseId: z.string().max(64).optional(),
          assignee: z.string().max(1100).optional(),
        }),
        response: { 200: pageOf('workOrders', Any), ...PROBLEM_RESPONSES },
      },
    },
    async (req) => {
      const { state, premiseId, assignee, limit, cursor } = req.query;
      const page = await listWorkOrders(
        deps,
        req.party,
        { ...(state ? { state } : {}), ...(premiseId ? { premiseId } : {}), ...(assignee !== undefined ? { assignee } : {}), limit, cursor },
        req.principal,
      );
      return { workOrders: page.items.map(presentOrder), next: page.next };
    },
  );

  app.get(
    '/work-orders/:id',
    {
      schema: {
        tags,
        summary: 'A work order with each command, its response and outcome',
        params: z.strictObject({ id: z.string().max(64) }),
        response: { 200: Any, ...PROBLEM_RESPONSES },
      },
    },
    async (req) => {
      const r = await showWorkOrder(deps, req.party, req.params.id);
      return { order: presentOrder(r.order), commands: r.commands.map(presentCommand) };
    },
  );

  app.get(
    '/field-engineers',
    {
      schema: {
        tags,
        summary: "Whom a work order may be assigned to: the party's active people with field_engineer (username and name)",
        querystring: listQuery({}),
        response: { 200: pageOf('fieldEngineers', z.object({ username: z.string(), name: z.string() })), ...PROBLEM_RESPONSES },
      },
    },
    async (req) => {
      const page = await listFieldEngineers(deps, req.party, req.query);
      return { fieldEngineers: [...page.items], next: page.next };
    },
  );

  app.post(
    '/work-orders/:id/assignment',
    {
      schema: {
        tags,
        summary: 'Assign the order to a field engineer of the Supplier (null: unassigned); while it is open or pulled',
        params: z.strictObject({ id: z.string().max(64) }),
        body: z.strictObject({ assignee: Assignee.nullable() }),
        response: { 200: Any, ...PROBLEM_RESPONSES },
      },
    },
    async (req) => ({ order: presentOrder(await assignWorkOrder(deps, req.party, req.person, req.params.id, req.body.assignee, req.principal)) }),
  );

  app.post(
    '/work-orders/:id/pull',
    {
      schema: {
        tags,
        summary: 'The HHT download: commands and signed pairings for this HHT',
        params: z.strictObject({ id: z.string().max(64) }),
        body: z.strictObject({ hht: EuiParam }),
        response: { 200: Any, ...PROBLEM_RESPONSES },
      },
    },
    async (req) => ({ ...(await pullWorkOrder(deps, req.party, req.person, req.params.id, parseEui(req.body.hht, 'hht'), req.principal)) }),
  );

  app.post(
    '/hht/uploads',
    {
      schema: {
        tags,
        summary: 'SRV 8.13 for a batch: device responses carried back by an HHT; verified, recorded once; a result per row',
        body: z.strictObject({
          responses: z
            .array(z.strictObject({ orderId: z.string().max(64), seq: z.number().int(), response: z.string().max(4096), deliveredAt: z.string().max(40) }))
            .max(WORK_ORDER_LIMITS.responsesPerUpload),
        }),
        response: { 200: z.object({ recorded: z.number(), duplicate: z.number(), rejected: z.number(), results: z.array(Any) }), ...PROBLEM_RESPONSES },
      },
    },
    async (req) => {
      const results = await uploadResponses(deps, req.party, req.person, req.body.responses, req.principal);
      const n = (s: string) => results.filter((r) => r.status === s).length;
      return { recorded: n('recorded'), duplicate: n('duplicate'), rejected: n('rejected'), results };
    },
  );

  app.post(
    '/device-alerts',
    {
      schema: {
        tags,
        summary: 'A device alert (GCA 0x1000) as received; recorded when the device signature verifies',
        body: z.strictObject({ frame: z.string().max(4096) }),
        response: { 200: Any, ...PROBLEM_RESPONSES },
      },
    },
    async (req) => ({ ...(await recordDeviceAlert(deps, req.party, req.body.frame, req.principal)) }),
  );
}
