import { z } from 'zod';
import { PARTY_ROLES, PERSON_ROLES, ROLE_PERMISSIONS, USER_STATUSES, type User } from '../../domain/index.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import { addUser, listUsers, setPassword, showUser, unlockUser, updateUser } from '../../services/users.ts';
import { CHECKED_BY_USE_CASE } from '../request-auth.ts';
import { PROBLEM_RESPONSES } from '../schemas.ts';
import type { ZodApp } from '../zod-app.ts';

const tags = ['people'];
const config = { permission: CHECKED_BY_USE_CASE } as const;

export const UserSchema = z.object({
  id: z.string(),
  partyId: z.string(),
  username: z.string(),
  name: z.string(),
  roles: z.array(z.enum(PERSON_ROLES)),
  status: z.enum(USER_STATUSES),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const presentUser = (u: User) => ({
  id: u.id,
  partyId: u.partyId,
  username: u.username,
  name: u.name,
  roles: [...u.roles],
  status: u.status,
  lockedUntil: u.lockedUntil?.toISOString() ?? null,
  createdAt: u.createdAt.toISOString(),
  updatedAt: u.updatedAt.toISOString(),
});

const Roles = z.array(z.string().max(40)).max(8).describe(PERSON_ROLES.join(', '));

export async function userRoutes(app: ZodApp, deps: ServiceDeps): Promise<void> {
  app.get(
    '/me',
    {
      config,
      schema: {
        tags,
        summary: 'Who the request acts as: party, person or key, roles and what they permit',
        response: {
          200: z.object({
            partyId: z.string(),
            partyRole: z.enum(PARTY_ROLES).describe("the party's role (supplier, network_operator, ...): what the party may do, beside the person's roles"),
            kind: z.enum(['user', 'api_key', 'cli']),
            id: z.string(),
            person: z.string(),
            roles: z.array(z.string()),
            permissions: z.array(z.string()),
          }),
          ...PROBLEM_RESPONSES,
        },
      },
    },
    async (req) => ({
      partyId: req.party.id,
      partyRole: req.party.role,
      kind: req.principal.kind,
      id: req.principal.id,
      person: req.principal.person,
      roles: [...req.principal.roles],
      permissions: [...new Set(req.principal.roles.flatMap((r) => ROLE_PERMISSIONS[r]))],
    }),
  );

  app.post(
    '/users',
    {
      config,
      schema: {
        tags,
        summary: "Add a person to a party (the party's administrators, or the platform's); a password is generated and shown once unless given",
        body: z.strictObject({
          partyId: z.string().max(63).optional(),
          username: z.string().max(100),
          name: z.string().max(200),
          roles: Roles,
          password: z.string().max(256).optional(),
        }),
        response: { 201: z.object({ user: UserSchema, password: z.string().nullable() }), ...PROBLEM_RESPONSES },
      },
    },
    async (req, reply) => {
      const r = await addUser(deps, { party: req.party, principal: req.principal }, req.body);
      return reply.code(201).send({ user: presentUser(r.user), password: r.password });
    },
  );

  app.get(
    '/users',
    {
      config,
      schema: {
        tags,
        summary: "A party's people, by id, cursor-paginated (administrators and auditors)",
        querystring: z.strictObject({
          partyId: z.string().max(63).optional(),
          role: z.string().max(40).optional(),
          status: z.string().max(20).optional(),
          limit: z.coerce.number().int().optional(),
          cursor: z.string().max(400).optional(),
        }),
        response: { 200: z.object({ users: z.array(UserSchema), next: z.string().nullable() }), ...PROBLEM_RESPONSES },
      },
    },
    async (req) => {
      const page = await listUsers(deps, { party: req.party, principal: req.principal }, req.query);
      return { users: page.items.map(presentUser), next: page.next };
    },
  );

  app.get(
    '/users/:id',
    { config, schema: { tags, summary: 'A person', params: z.object({ id: z.string().max(64) }), response: { 200: UserSchema, ...PROBLEM_RESPONSES } } },
    async (req) => presentUser(await showUser(deps, { party: req.party, principal: req.principal }, req.params.id)),
  );

  app.patch(
    '/users/:id',
    {
      config,
      schema: {
        tags,
        summary: "Change a person's name, roles or status (disabling ends their sessions)",
        params: z.object({ id: z.string().max(64) }),
        body: z.strictObject({
          name: z.string().max(200).optional(),
          roles: Roles.optional(),
          status: z.string().max(20).optional(),
          oidcSubject: z.string().max(255).nullable().optional(),
        }),
        response: { 200: UserSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (req) => presentUser(await updateUser(deps, { party: req.party, principal: req.principal }, req.params.id, req.body)),
  );

  app.post(
    '/users/:id/unlock',
    {
      config,
      schema: { tags, summary: 'Lift the lock after repeated wrong passwords', params: z.object({ id: z.string().max(64) }), response: { 200: UserSchema, ...PROBLEM_RESPONSES } },
    },
    async (req) => presentUser(await unlockUser(deps, { party: req.party, principal: req.principal }, req.params.id)),
  );

  app.post(
    '/users/:id/password',
    {
      config,
      schema: {
        tags,
        summary: 'Set a password (your own, or as an administrator); every session of the person ends',
        params: z.object({ id: z.string().max(64) }),
        body: z.strictObject({ password: z.string().max(256) }),
        response: { 204: z.null(), ...PROBLEM_RESPONSES },
      },
    },
    async (req, reply) => {
      await setPassword(deps, { party: req.party, principal: req.principal }, req.params.id, req.body.password);
      return reply.code(204).send(null);
    },
  );
}
