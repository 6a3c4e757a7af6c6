import { z } from 'zod';
import { PERSON_ROLES, type ApiKeyRecord, type ApiKeyState } from '../../domain/index.ts';
import { issueApiKey, listApiKeys, revokeApiKey, rotateApiKey, showApiKey } from '../../services/api-keys.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import { CHECKED_BY_USE_CASE } from '../request-auth.ts';
import { PROBLEM_RESPONSES } from '../schemas.ts';
import type { ZodApp } from '../zod-app.ts';

const tags = ['API keys'];
const config = { permission: CHECKED_BY_USE_CASE } as const;

export const ApiKeySchema = z.object({
  id: z.string(),
  partyId: z.string(),
  name: z.string(),
  roles: z.array(z.enum(PERSON_ROLES)),
  state: z.enum(['active', 'expired', 'revoked']),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  revokedReason: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  rotatedFrom: z.string().nullable(),
});
const IssuedSchema = z.object({ key: ApiKeySchema, secret: z.string().describe('shown this once; meterops keeps only its SHA-256') });

const iso = (d: Date | null) => d?.toISOString() ?? null;
export const presentKey = (k: ApiKeyRecord & { state: ApiKeyState }) => ({
  id: k.id,
  partyId: k.partyId,
  name: k.name,
  roles: [...k.roles],
  state: k.state,
  createdAt: k.createdAt.toISOString(),
  createdBy: k.createdBy,
  expiresAt: iso(k.expiresAt),
  revokedAt: iso(k.revokedAt),
  revokedReason: k.revokedReason,
  lastUsedAt: iso(k.lastUsedAt),
  rotatedFrom: k.rotatedFrom,
});

const Expiry = z.iso.datetime({ offset: true }).max(40).nullable().optional();
const date = (s: string | null | undefined) => (s === undefined ? undefined : s === null ? null : new Date(s));

export async function apiKeyRoutes(app: ZodApp, deps: ServiceDeps): Promise<void> {
  app.post(
    '/api-keys',
    {
      config,
      schema: {
        tags,
        summary: "Issue a key to a party and roles (the party's administrators, or the platform's); the secret is shown once",
        body: z.strictObject({
          partyId: z.string().max(63).optional(),
          name: z.string().max(100),
          roles: z.array(z.string().max(40)).max(8).describe(PERSON_ROLES.join(', ')),
          expiresAt: Expiry,
        }),
        response: { 201: IssuedSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (req, reply) => {
      const { expiresAt, ...rest } = req.body;
      const r = await issueApiKey(deps, { party: req.party, principal: req.principal }, { ...rest, ...(expiresAt !== undefined ? { expiresAt: date(expiresAt) } : {}) });
      return reply.code(201).send({ key: presentKey({ ...r.key, state: 'active' }), secret: r.secret });
    },
  );

  app.get(
    '/api-keys',
    {
      config,
      schema: {
        tags,
        summary: "A party's keys (never their secrets), by id, cursor-paginated",
        querystring: z.strictObject({
          partyId: z.string().max(63).optional(),
          state: z.string().max(20).optional(),
          limit: z.coerce.number().int().optional(),
          cursor: z.string().max(400).optional(),
        }),
        response: { 200: z.object({ apiKeys: z.array(ApiKeySchema), next: z.string().nullable() }), ...PROBLEM_RESPONSES },
      },
    },
    async (req) => {
      const page = await listApiKeys(deps, { party: req.party, principal: req.principal }, req.query);
      return { apiKeys: page.items.map(presentKey), next: page.next };
    },
  );

  app.get(
    '/api-keys/:id',
    { config, schema: { tags, summary: 'A key (never its secret)', params: z.object({ id: z.string().max(64) }), response: { 200: ApiKeySchema, ...PROBLEM_RESPONSES } } },
    async (req) => presentKey(await showApiKey(deps, { party: req.party, principal: req.principal }, req.params.id)),
  );

  app.post(
    '/api-keys/:id/rotate',
    {
      config,
      schema: {
        tags,
        summary: 'A new secret for the same name and roles; the old key is revoked at once',
        params: z.object({ id: z.string().max(64) }),
        body: z.strictObject({ expiresAt: Expiry }).optional(),
        response: { 201: IssuedSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (req, reply) => {
      const expiresAt = req.body?.expiresAt;
      const r = await rotateApiKey(deps, { party: req.party, principal: req.principal }, req.params.id, expiresAt !== undefined ? { expiresAt: date(expiresAt) } : {});
      return reply.code(201).send({ key: presentKey({ ...r.key, state: 'active' }), secret: r.secret });
    },
  );

  app.post(
    '/api-keys/:id/revoke',
    {
      config,
      schema: {
        tags,
        summary: 'Revoke a key: refused from the next request on',
        params: z.object({ id: z.string().max(64) }),
        body: z.strictObject({ reason: z.string().max(500).optional() }).optional(),
        response: { 200: ApiKeySchema, ...PROBLEM_RESPONSES },
      },
    },
    async (req) => presentKey(await revokeApiKey(deps, { party: req.party, principal: req.principal }, req.params.id, req.body?.reason)),
  );
}
