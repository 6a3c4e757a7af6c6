import { z } from 'zod';
import type { BatchResult } from '../services/register-devices.ts';
import {
  ASSET_STATUSES,
  DEVICE_TYPES,
  INVENTORY_STATUSES,
  PAGE_LIMITS,
  SMETS_GENERATIONS,
  type Device,
  type DeviceEvent,
  type Installation,
  type Premise,
} from '../domain/index.ts';

/** Wire shapes. Dates travel as ISO 8601 strings; the presenters below map domain objects to them. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    field: z.string().optional(),
    rule: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ field: z.string().optional(), rule: z.string().optional(), message: z.string() })).optional(),
  })
  .describe('RFC 9457 problem details');

/** The problem responses every authenticated route can give. */
export const PROBLEM_RESPONSES = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema } as const;

export const EuiParam = z.string().max(32).describe('EUI-64: 16 hex digits, plain or hyphenated');

export const DeviceSchema = z.object({
  eui: z.string(),
  type: z.enum(DEVICE_TYPES),
  smetsGeneration: z.enum(SMETS_GENERATIONS),
  manufacturer: z.string(),
  model: z.string(),
  firmwareVersion: z.string(),
  inventoryStatus: z.enum(INVENTORY_STATUSES),
  assetStatus: z.enum(ASSET_STATUSES),
  ownerPartyId: z.string().nullable(),
  supplierPartyId: z.string().nullable(),
  custodianPartyId: z.string().nullable(),
  premiseId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const DeviceInputSchema = z.strictObject({
  eui: z.string().max(64),
  type: z.string().max(16),
  smetsGeneration: z.string().max(16).optional(),
  manufacturer: z.string().max(64),
  model: z.string().max(64),
  firmwareVersion: z.string().max(64),
  inventoryStatus: z.string().max(32).optional(),
  assetStatus: z.string().max(32).optional(),
  ownerPartyId: z.string().max(64).nullable().optional(),
  supplierPartyId: z.string().max(64).nullable().optional(),
  custodianPartyId: z.string().max(64).nullable().optional(),
});

export const RowResultSchema = z.object({
  row: z.number().int(),
  eui: z.string().nullable(),
  ok: z.boolean(),
  errors: z.array(z.object({ field: z.string().optional(), rule: z.string().optional(), message: z.string() })),
});

export const BatchResultSchema = z.object({ written: z.number().int(), failed: z.number().int(), rows: z.array(RowResultSchema) });

export const EventSchema = z.object({
  id: z.number().int(),
  deviceEui: z.string(),
  lifecycle: z.enum(['inventory', 'asset', 'registry']),
  fromStatus: z.string().nullable(),
  toStatus: z.string(),
  actorPartyId: z.string(),
  occurredAt: z.string(),
  location: z.string().nullable(),
  reason: z.string().nullable(),
});

export const TransitionBodySchema = z.strictObject({
  reason: z.string().max(500).optional(),
  location: z.string().max(500).optional(),
  occurredAt: z.iso.datetime({ offset: true }).max(40).optional(),
});

export const InstallationSchema = z.object({ premiseId: z.string(), deviceEui: z.string(), hubEui: z.string().nullable(), installedAt: z.string() });

export const PremiseSchema = z.object({
  id: z.string(),
  mpan: z.string().nullable(),
  mprn: z.string().nullable(),
  postcode: z.string(),
  distributorId: z.number().int().nullable(),
  supplierPartyId: z.string().nullable(),
  createdAt: z.string(),
  installations: z.array(InstallationSchema).optional(),
});

export const presentDevice = (d: Device) => ({ ...d, createdAt: d.createdAt.toISOString(), updatedAt: d.updatedAt.toISOString() });
export const presentEvent = (e: DeviceEvent) => ({ ...e, occurredAt: e.occurredAt.toISOString() });
export const presentInstallation = (i: Installation) => ({ ...i, installedAt: i.installedAt.toISOString() });
export const presentPremise = ({ installations, ...p }: Premise & { installations?: readonly Installation[] }) => ({
  ...p,
  createdAt: p.createdAt.toISOString(),
  ...(installations ? { installations: installations.map(presentInstallation) } : {}),
});
export const presentBatch = (r: BatchResult) => ({ ...r, rows: r.rows.map((row) => ({ ...row, errors: [...row.errors] })) });

/** `limit` and `cursor`, the same on every list (keyset pagination: docs/lists.md). */
export const PAGE_QUERY = {
  limit: z.coerce.number().int().min(1).max(PAGE_LIMITS.max).optional().describe(`page size, 1 to ${PAGE_LIMITS.max} (meterops' limit); ${PAGE_LIMITS.default} when not given`),
  cursor: z.string().max(PAGE_LIMITS.cursorLength).optional().describe('the `next` of the previous page, as it came; absent for the first page'),
} as const;

/** A list's query: its filters and the page; an unknown parameter is refused, naming it. */
export const listQuery = <T extends z.ZodRawShape>(filters: T) => z.strictObject({ ...filters, ...PAGE_QUERY });

/** A list's answer: the page's items under the collection's name, and `next` (null on the last page). */
export const pageOf = <K extends string, S extends z.ZodType>(key: K, item: S) =>
  z.object({ [key]: z.array(item), next: z.string().nullable().describe('cursor of the next page; null when this is the last') } as { [P in K]: z.ZodArray<S> } & {
    next: z.ZodNullable<z.ZodString>;
  });

/** A query-string boolean. */
export const QueryBool = z.enum(['true', 'false']).transform((v) => v === 'true');
