import { z } from 'zod';
import { ASSET_STATUSES, DEVICE_TYPES, INVENTORY_STATUSES, parseEui } from '../../domain/index.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import { LIMITS } from '../../services/deps.ts';
import { changeAssetStatus, changeInventoryStatus, deviceEvents, listDevices, showDevice } from '../../services/device-lifecycle.ts';
import { registerDevices } from '../../services/register-devices.ts';
import type { ZodApp } from '../zod-app.ts';
import {
  BatchResultSchema,
  DeviceInputSchema,
  DeviceSchema,
  EuiParam,
  EventSchema,
  presentBatch,
  presentDevice,
  presentEvent,
  listQuery,
  pageOf,
  PROBLEM_RESPONSES,
  ProblemSchema,
  TransitionBodySchema,
} from '../schemas.ts';

const errors = PROBLEM_RESPONSES;
const tags = ['devices'];

export async function deviceRoutes(app: ZodApp, deps: ServiceDeps): Promise<void> {
  app.get(
    '/devices',
    {
      schema: {
        tags,
        summary: 'Devices the calling party is the supplier of record, owner or custodian of (the DCC: all), by EUI',
        querystring: listQuery({
          type: z.enum(DEVICE_TYPES).optional(),
          inventoryStatus: z.enum(INVENTORY_STATUSES).optional(),
          assetStatus: z.enum(ASSET_STATUSES).optional(),
          manufacturer: z.string().max(64).optional(),
          model: z.string().max(64).optional(),
          premiseId: z.string().max(64).optional(),
        }),
        response: { 200: pageOf('devices', DeviceSchema), ...errors },
      },
    },
    async (req) => {
      const { type, inventoryStatus, assetStatus, manufacturer, model, premiseId, limit, cursor } = req.query;
      const page = await listDevices(deps, req.party, {
        ...(type ? { type } : {}),
        ...(inventoryStatus ? { inventoryStatus } : {}),
        ...(assetStatus ? { assetStatus } : {}),
        ...(manufacturer ? { manufacturer } : {}),
        ...(model ? { model } : {}),
        ...(premiseId ? { premiseId } : {}),
        limit,
        cursor,
      });
      return { devices: page.items.map(presentDevice), next: page.next };
    },
  );

  app.post(
    '/devices',
    {
      schema: {
        tags,
        summary: 'Register devices, all or nothing, with a result per row',
        body: z.strictObject({ devices: z.array(DeviceInputSchema).min(1).max(LIMITS.batchRows) }),
        // 422 is the batch's result per row, or (a string that is not well-formed Unicode) a problem.
        response: { ...PROBLEM_RESPONSES, 201: BatchResultSchema, 422: z.union([BatchResultSchema, ProblemSchema]) },
      },
    },
    async (req, reply) => {
      const result = await registerDevices(
        deps,
        req.party,
        req.body.devices.map((input, row) => ({ row, input })),
        undefined,
        'registered through the API',
        [],
        req.principal,
      );
      return reply.code(result.failed ? 422 : 201).send(presentBatch(result));
    },
  );

  app.get('/devices/:eui', { schema: { tags, summary: 'One device', params: z.strictObject({ eui: EuiParam }), response: { 200: DeviceSchema, ...errors } } }, async (req) =>
    presentDevice(await showDevice(deps, req.party, parseEui(req.params.eui))),
  );

  app.get(
    '/devices/:eui/events',
    {
      schema: {
        tags,
        summary: 'The device history: every lifecycle transition, oldest first',
        params: z.strictObject({ eui: EuiParam }),
        querystring: z.strictObject({
          afterId: z.coerce.number().int().min(0).optional(),
          limit: z.coerce.number().int().min(1).max(LIMITS.pageSize).optional(),
        }),
        response: { 200: z.object({ events: z.array(EventSchema) }), ...errors },
      },
    },
    async (req) => {
      const events = await deviceEvents(deps, req.party, parseEui(req.params.eui), {
        ...(req.query.afterId !== undefined ? { afterId: req.query.afterId } : {}),
        ...(req.query.limit !== undefined ? { limit: req.query.limit } : {}),
      });
      return { events: events.map(presentEvent) };
    },
  );

  app.post(
    '/devices/:eui/inventory-status',
    {
      schema: {
        tags,
        summary: 'Move the DCC inventory (SMI) status; refused with E5 as the DCC refuses it',
        params: z.strictObject({ eui: EuiParam }),
        body: TransitionBodySchema.extend({ status: z.enum(INVENTORY_STATUSES) }),
        response: { 200: DeviceSchema, ...errors },
      },
    },
    async (req) => {
      return presentDevice(await changeInventoryStatus(deps, req.party, parseEui(req.params.eui), transition(req.body), req.principal));
    },
  );

  app.post(
    '/devices/:eui/asset-status',
    {
      schema: {
        tags,
        summary: 'Move the physical asset status',
        params: z.strictObject({ eui: EuiParam }),
        body: TransitionBodySchema.extend({ status: z.enum(ASSET_STATUSES) }),
        response: { 200: DeviceSchema, ...errors },
      },
    },
    async (req) => {
      return presentDevice(await changeAssetStatus(deps, req.party, parseEui(req.params.eui), transition(req.body), req.principal));
    },
  );
}

/** A status move as the lifecycle use cases take it, from either status route's body. */
function transition<S extends string>(b: { status: S; reason?: string | null | undefined; location?: string | null | undefined; occurredAt?: string | undefined }) {
  return { to: b.status, reason: b.reason ?? null, location: b.location ?? null, ...(b.occurredAt ? { occurredAt: new Date(b.occurredAt) } : {}) };
}
