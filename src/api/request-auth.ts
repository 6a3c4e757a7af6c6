import type { FastifyReply, FastifyRequest } from 'fastify';
import { requirePermission, SIGN_IN_POLICY, type Permission, type Principal } from '../domain/index.ts';
import { authenticateApiKey } from '../services/authenticate.ts';
import type { ServiceDeps } from '../services/deps.ts';
import { authenticateSession } from '../services/sign-in.ts';

/** The session cookie: HTTP-only (no script reads it), SameSite=Strict (no other site sends it). */
export const SESSION_COOKIE = 'meterops_session';
export const CSRF_HEADER = 'x-csrf-token';

/** Routes whose use case checks the principal's roles itself (people, keys, parties). */
export const CHECKED_BY_USE_CASE = 'checked-by-use-case';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission a route needs beyond `read` (GET) or `operate` (anything else). */
    permission?: Permission | typeof CHECKED_BY_USE_CASE;
  }
}

/** Acts the route tables of other files do not carry: what each needs instead of `operate`. */
const ROUTE_PERMISSIONS: Readonly<Record<string, Permission>> = {
  'POST /v1/command-requests/release': 'requests.release',
  'POST /v1/work-orders/:id/pull': 'work_orders.pull',
  'POST /v1/hht/uploads': 'work_orders.push',
  'GET /v1/audit/verify': 'audit.read',
  // The trail's entries are the audit trail itself (docs/access.md: administrators and auditors read it).
  'GET /v1/audit/entries': 'audit.read',
  'GET /v1/audit/entries/:id/inclusion': 'audit.read',
};

/** What a request needs: its route's own, else `read` for a GET and `operate` for a change. */
export function permissionFor(req: FastifyRequest): Permission | typeof CHECKED_BY_USE_CASE {
  const own = req.routeOptions.config?.permission;
  if (own) return own;
  const method = req.method.toUpperCase();
  const listed = ROUTE_PERMISSIONS[`${method} ${req.routeOptions.url ?? ''}`];
  if (listed) return listed;
  return method === 'GET' || method === 'HEAD' ? 'read' : 'operate';
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

/**
 * The /v1 hook: a bearer API key, else the session cookie (with the CSRF token on changes), then
 * the permission the route needs.
 */
export async function authenticateRequest(deps: ServiceDeps, req: FastifyRequest): Promise<void> {
  const session = req.headers.authorization ? undefined : cookieValue(req.headers.cookie, SESSION_COOKIE);
  if (session) {
    const csrf = req.headers[CSRF_HEADER];
    const who = await authenticateSession(deps, session, { method: req.method, csrfToken: Array.isArray(csrf) ? csrf[0] : csrf });
    req.party = who.party;
    req.person = who.principal.person;
    req.principal = who.principal;
  } else {
    const who = await authenticateApiKey(deps, req.headers.authorization, { method: req.method, url: req.url });
    req.party = who.party;
    req.person = who.person;
    req.principal = who.principal;
  }
  const needed = permissionFor(req);
  if (needed !== CHECKED_BY_USE_CASE) requirePermission(req.principal, needed);
}

/** The cookie lives as long as the session may (the database decides whether it still does). */
export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, token: string): void {
  const maxAge = SIGN_IN_POLICY.sessionHours * 3600;
  const secure = req.protocol === 'https' ? '; Secure' : '';
  reply.header('set-cookie', `${SESSION_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`);
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
}

export type { Principal };
