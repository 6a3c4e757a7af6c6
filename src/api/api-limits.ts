import { createHash } from 'node:crypto';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RateLimitedError } from '../domain/errors.ts';
import { cookieValue, SESSION_COOKIE } from './request-auth.ts';

/** One rate limit: at most `max` requests per `windowSeconds` (a fixed window per key). */
export interface RateLimit {
  readonly max: number;
  readonly windowSeconds: number;
}

/**
 * The API's limits on what a client controls. All of them are meterops' own defaults (the SEC and
 * the DCC set no figures for a party's own platform); every one can be set in the configuration.
 */
export interface ApiLimits {
  /** Requests per API key or signed-in session (after authentication). */
  readonly perKey: RateLimit | false;
  /** Requests per client address, before authentication (unauthenticated floods included). */
  readonly perAddress: RateLimit | false;
  /** Sign-in attempts per address and username (password guessing; accounts also lock). */
  readonly signIn: RateLimit | false;
  /** The body limit of ordinary JSON requests, in bytes. */
  readonly bodyBytes: number;
  /** The body limit of the bulk routes (device batches, WAN coverage, HHT uploads), in bytes. */
  readonly bulkBodyBytes: number;
}

/** meterops' defaults: 100 requests a second per key, sustained over a minute; 200 per address. */
export const DEFAULT_API_LIMITS: ApiLimits = Object.freeze({
  perKey: Object.freeze({ max: 6_000, windowSeconds: 60 }),
  perAddress: Object.freeze({ max: 12_000, windowSeconds: 60 }),
  signIn: Object.freeze({ max: 20, windowSeconds: 60 }),
  bodyBytes: 256 * 1024,
  bulkBodyBytes: 16 * 1024 * 1024,
});

/** The routes whose body is a batch of rows, which take `bulkBodyBytes`: devices, WAN coverage, HHT uploads. */
export const BULK_ROUTES: readonly string[] = ['POST /v1/devices', 'POST /v1/wan-coverage', 'POST /v1/hht/uploads'];

/** The limits as the configuration gives them: per minute, 0 for off. */
export function apiLimitsFrom(c: {
  readonly rateLimitPerKey: number;
  readonly rateLimitPerAddress: number;
  readonly signInRateLimit: number;
  readonly bodyLimitBytes: number;
  readonly bulkBodyLimitBytes: number;
}): ApiLimits {
  const perMinute = (max: number): RateLimit | false => (max > 0 ? Object.freeze({ max, windowSeconds: 60 }) : false);
  return Object.freeze({
    perKey: perMinute(c.rateLimitPerKey),
    perAddress: perMinute(c.rateLimitPerAddress),
    signIn: perMinute(c.signInRateLimit),
    bodyBytes: c.bodyLimitBytes,
    bulkBodyBytes: Math.max(c.bulkBodyLimitBytes, c.bodyLimitBytes),
  });
}

/**
 * Who a request counts against: its bearer key or session cookie (by their SHA-256, so the check
 * needs no database and an over-limit request is refused before anything is read or written), or
 * its address when it carries neither.
 */
function credentialKey(req: FastifyRequest): string {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (bearer) return `key:${sha256(bearer[1]!)}`;
  const session = cookieValue(req.headers.cookie, SESSION_COOKIE);
  if (session) return `session:${sha256(session)}`;
  return `address:${req.ip}`;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('base64url').slice(0, 22);

type Kind = 'api-key' | 'address' | 'sign-in';
const WHAT: Record<Kind, string> = { 'api-key': 'API key or session', address: 'address', 'sign-in': 'username from this address' };

/**
 * Registers the limiter (in memory, per process: with N processes a client gets up to N times the
 * figure, which the docs say) and returns one hook per limit, which the API adds where what it
 * counts is known: the address at once, the key after authentication, the username at sign-in.
 * Each hook counts separately. A refusal is a 429 problem with Retry-After.
 */
export async function registerRateLimits(app: FastifyInstance, limits: ApiLimits) {
  await app.register(fastifyRateLimit, { global: false });
  const hook = (kind: Kind, limit: RateLimit, keyOf: (req: FastifyRequest) => string) => {
    const check = app.createRateLimit({ max: limit.max, timeWindow: limit.windowSeconds * 1000, keyGenerator: keyOf });
    return async (req: FastifyRequest, reply: FastifyReply) => {
      const r = await check(req);
      if (r.isAllowed || !r.isExceeded) return;
      const seconds = Math.max(1, r.ttlInSeconds);
      void reply.header('retry-after', String(seconds));
      throw new RateLimitedError(kind, `too many requests for this ${WHAT[kind]}: at most ${limit.max} in ${limit.windowSeconds} s; retry in ${seconds} s`, seconds);
    };
  };
  return {
    perAddress: limits.perAddress ? hook('address', limits.perAddress, (req) => `address:${req.ip}`) : null,
    perKey: limits.perKey ? hook('api-key', limits.perKey, credentialKey) : null,
    signIn: limits.signIn
      ? hook('sign-in', limits.signIn, (req) => {
          const body = req.body as { username?: unknown } | undefined;
          return `sign-in:${req.ip}:${typeof body?.username === 'string' ? body.username.toLowerCase().slice(0, 200) : ''}`;
        })
      : null,
  };
}
