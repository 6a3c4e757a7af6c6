import { z } from 'zod';
import type { ServiceDeps } from '../../services/deps.ts';
import { finishOidcSignIn, startOidcSignIn } from '../../services/oidc-sign-in.ts';
import { signIn, signOut } from '../../services/sign-in.ts';
import { clearSessionCookie, cookieValue, CHECKED_BY_USE_CASE, SESSION_COOKIE, setSessionCookie } from '../request-auth.ts';
import { PROBLEM_RESPONSES, ProblemSchema } from '../schemas.ts';
import type { ZodApp } from '../zod-app.ts';
import { presentUser, UserSchema } from './user-routes.ts';

const tags = ['people'];

/** Password sign-in: the one /v1 route that needs no key or session. */
export async function signInRoutes(app: ZodApp, deps: ServiceDeps): Promise<void> {
  app.post(
    '/sessions',
    {
      schema: {
        tags,
        security: [],
        summary: 'Sign in with a password: sets the HTTP-only session cookie and answers the CSRF token to send back as X-CSRF-Token',
        body: z.strictObject({ username: z.string().max(100), password: z.string().max(256) }),
        response: { 201: z.object({ user: UserSchema, csrfToken: z.string(), expiresAt: z.string() }), 429: ProblemSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (req, reply) => {
      const s = await signIn(deps, { ...req.body, source: req.ip });
      setSessionCookie(req, reply, s.token);
      return reply.code(201).send({ user: presentUser(s.user), csrfToken: s.csrfToken, expiresAt: s.expiresAt.toISOString() });
    },
  );

  app.get(
    '/oidc/:partyId/login',
    {
      schema: {
        tags,
        security: [],
        summary: "Sign in at the party's OpenID Connect identity provider: redirects there (code flow with PKCE)",
        params: z.object({ partyId: z.string().max(63) }),
        response: { 302: z.null(), ...PROBLEM_RESPONSES },
      },
    },
    async (req, reply) => {
      const url = await startOidcSignIn(deps, req.params.partyId, `${req.protocol}://${req.host}/v1/oidc/callback`);
      return reply.redirect(url.href, 302);
    },
  );

  app.get(
    '/oidc/callback',
    {
      schema: {
        tags,
        security: [],
        summary: 'Where the identity provider sends the browser back: sets the session cookie, answers the CSRF token',
        querystring: z.record(z.string().max(100), z.string().max(4000)),
        response: { 200: z.object({ user: UserSchema, csrfToken: z.string(), expiresAt: z.string() }), ...PROBLEM_RESPONSES },
      },
    },
    async (req, reply) => {
      const s = await finishOidcSignIn(deps, new URLSearchParams(req.query), req.ip);
      setSessionCookie(req, reply, s.token);
      return { user: presentUser(s.user), csrfToken: s.csrfToken, expiresAt: s.expiresAt.toISOString() };
    },
  );
}

export async function sessionRoutes(app: ZodApp, deps: ServiceDeps): Promise<void> {
  app.delete(
    '/sessions/current',
    {
      config: { permission: CHECKED_BY_USE_CASE },
      schema: { tags, summary: 'Sign out: ends the session and clears its cookie', response: { 204: z.null(), ...PROBLEM_RESPONSES } },
    },
    async (req, reply) => {
      const token = cookieValue(req.headers.cookie, SESSION_COOKIE);
      if (token && req.principal.kind === 'user') await signOut(deps, token);
      clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );
}
