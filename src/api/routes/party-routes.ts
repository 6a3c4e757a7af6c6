import { z } from 'zod';
import { DCC_USER_ROLES, OTHER_USER_KINDS, PARTY_ROLES, PARTY_STATUSES, type PartyRecord } from '../../domain/index.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import { configureIdentityProvider } from '../../services/oidc-sign-in.ts';
import { listParties, registerParty, reinstateParty, showParty, suspendParty, updateParty } from '../../services/parties.ts';
import { CHECKED_BY_USE_CASE } from '../request-auth.ts';
import { PROBLEM_RESPONSES } from '../schemas.ts';
import type { ZodApp } from '../zod-app.ts';

const tags = ['parties'];
const config = { permission: CHECKED_BY_USE_CASE } as const;

export const PartySchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(PARTY_ROLES).describe('the platform role that scopes what the party sees'),
  userRoles: z.array(z.enum(DCC_USER_ROLES)).describe('its DCC User roles'),
  eui: z.string().nullable().describe('its User ID: the EUI in its organisation certificates'),
  distributorId: z.number().int().nullable().describe("a Network Operator's region"),
  status: z.enum(PARTY_STATUSES),
  suspendedReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const CertificateSchema = z.object({ usage: z.enum(['ds', 'ka', 'pp-ka']), serialNumber: z.string(), notAfter: z.string() });

export const presentParty = (p: PartyRecord) => ({
  id: p.id,
  name: p.name,
  role: p.role,
  userRoles: [...p.userRoles],
  eui: p.eui,
  distributorId: p.distributorId,
  status: p.status,
  suspendedReason: p.suspendedReason,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});

const Roles = z.array(z.string().max(40)).max(8);

export async function partyRoutes(app: ZodApp, deps: ServiceDeps): Promise<void> {
  app.post(
    '/parties',
    {
      config,
      schema: {
        tags,
        summary: 'Register a party with its DCC User roles, EUI (User ID) and, for a Network Operator, its region (platform administrators)',
        body: z.strictObject({
          id: z.string().max(63),
          name: z.string().max(200),
          roles: Roles.describe(DCC_USER_ROLES.join(', ')),
          eui: z.string().max(32).nullable().optional(),
          distributorId: z.number().int().nullable().optional(),
          kind: z.enum(OTHER_USER_KINDS).optional().describe('what an Other User is (default meter_asset_provider)'),
        }),
        response: { 201: PartySchema, ...PROBLEM_RESPONSES },
      },
    },
    async (req, reply) => reply.code(201).send(presentParty(await registerParty(deps, { party: req.party, principal: req.principal }, req.body))),
  );

  app.get(
    '/parties',
    {
      config,
      schema: {
        tags,
        summary: 'The party directory, by id, cursor-paginated',
        querystring: z.strictObject({
          role: z.string().max(40).optional(),
          userRole: z.string().max(40).optional(),
          status: z.string().max(20).optional(),
          limit: z.coerce.number().int().optional(),
          cursor: z.string().max(400).optional(),
        }),
        response: { 200: z.object({ parties: z.array(PartySchema), next: z.string().nullable() }), ...PROBLEM_RESPONSES },
      },
    },
    async (req) => {
      const page = await listParties(deps, { party: req.party, principal: req.principal }, req.query);
      return { parties: page.items.map(presentParty), next: page.next };
    },
  );

  app.get(
    '/parties/:id',
    {
      config,
      schema: {
        tags,
        summary: 'A party, and which of its certificates the key source holds (null when it cannot tell)',
        params: z.object({ id: z.string().max(63) }),
        response: { 200: PartySchema.extend({ certificates: z.array(CertificateSchema).nullable() }), ...PROBLEM_RESPONSES },
      },
    },
    async (req) => {
      const p = await showParty(deps, { party: req.party, principal: req.principal }, req.params.id);
      return { ...presentParty(p), certificates: p.certificates };
    },
  );

  app.patch(
    '/parties/:id',
    {
      config,
      schema: {
        tags,
        summary: "Change a party's name, User roles, region or EUI (platform administrators)",
        params: z.object({ id: z.string().max(63) }),
        body: z.strictObject({
          name: z.string().max(200).optional(),
          roles: Roles.optional(),
          eui: z.string().max(32).nullable().optional(),
          distributorId: z.number().int().nullable().optional(),
          kind: z.enum(OTHER_USER_KINDS).optional(),
        }),
        response: { 200: PartySchema, ...PROBLEM_RESPONSES },
      },
    },
    async (req) => presentParty(await updateParty(deps, { party: req.party, principal: req.principal }, req.params.id, req.body)),
  );

  app.post(
    '/parties/:id/suspend',
    {
      config,
      schema: {
        tags,
        summary: 'Suspend a party: its keys and sessions are refused from the next request (platform administrators)',
        params: z.object({ id: z.string().max(63) }),
        body: z.strictObject({ reason: z.string().max(500) }),
        response: { 200: PartySchema, ...PROBLEM_RESPONSES },
      },
    },
    async (req) => presentParty(await suspendParty(deps, { party: req.party, principal: req.principal }, req.params.id, req.body.reason)),
  );

  app.post(
    '/parties/:id/reinstate',
    {
      config,
      schema: { tags, summary: 'Lift a suspension (platform administrators)', params: z.object({ id: z.string().max(63) }), response: { 200: PartySchema, ...PROBLEM_RESPONSES } },
    },
    async (req) => presentParty(await reinstateParty(deps, { party: req.party, principal: req.principal }, req.params.id)),
  );

  app.put(
    '/parties/:id/identity-provider',
    {
      config,
      schema: {
        tags,
        summary: "Set the party's OpenID Connect identity provider (its administrators, or the platform's); checked by discovery first",
        params: z.object({ id: z.string().max(63) }),
        body: z.strictObject({ issuer: z.string().max(500), clientId: z.string().max(200), clientSecret: z.string().max(500) }),
        response: { 204: z.null(), ...PROBLEM_RESPONSES },
      },
    },
    async (req, reply) => {
      await configureIdentityProvider(deps, { party: req.party, principal: req.principal }, req.params.id, req.body);
      return reply.code(204).send(null);
    },
  );
}
