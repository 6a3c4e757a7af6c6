import { ValidationError } from './errors.ts';

/**
 * Notices meterops sends to another party. The first event type: a device removed from a premise,
 * sent to the Network Operator of the premise's region (the DNO), on every removal: a return's and
 * an asset move to `removed` outside one.
 */
export const NOTICE_EVENT_TYPES = ['device.removed'] as const;
export type NoticeEventType = (typeof NOTICE_EVENT_TYPES)[number];

export const DELIVERY_STATES = ['pending', 'delivered', 'dead'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** A party's webhook endpoint as it is shown (never with its secret, which is shown once). */
export interface WebhookEndpoint {
  readonly id: string;
  readonly partyId: string;
  readonly url: string;
  readonly eventTypes: readonly NoticeEventType[];
  readonly enabled: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** One outbox row: an event for one party. Its id is the webhook-id of every delivery of it. */
export interface Notice {
  readonly id: string;
  readonly eventType: NoticeEventType;
  readonly partyId: string;
  readonly data: Record<string, unknown>;
  readonly createdAt: Date;
}

export interface NoticeDelivery {
  readonly id: number;
  readonly noticeId: string;
  readonly endpointId: string;
  readonly partyId: string;
  readonly state: DeliveryState;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly nextAttemptAt: Date | null;
  readonly jobId: string | null;
  readonly deliveredAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** One line of the delivery log. */
export interface NoticeAttempt {
  readonly deliveryId: number;
  readonly attempt: number;
  readonly at: Date;
  /** The receiver's HTTP status, or null when no answer came (timeout, refused connection). */
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly latencyMs: number;
  readonly replay: boolean;
}

/** How deliveries are retried (meterops defaults; METEROPS_WEBHOOK_* settings). */
export interface WebhookRetryPolicy {
  /** Attempts before the dead letter (the first included). */
  readonly attempts: number;
  /** The wait before the first retry; each later one doubles it, up to maxDelayMs. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** How long one attempt waits for an answer. */
  readonly timeoutMs: number;
}

/** meterops' defaults: 8 attempts over about four hours, 10 s for an answer. */
export const DEFAULT_WEBHOOK_RETRY: WebhookRetryPolicy = Object.freeze({ attempts: 8, baseDelayMs: 30_000, maxDelayMs: 3_600_000, timeoutMs: 10_000 });

/**
 * The wait before the next attempt after `failed` attempts have failed: exponential backoff with
 * "equal jitter" (half the backoff fixed, half uniformly random), so receivers that failed together
 * are not all retried at the same instant. `random` is in [0, 1).
 */
export function retryDelayMs(failed: number, p: Pick<WebhookRetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random: number): number {
  const backoff = Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** Math.max(0, Math.min(30, failed - 1)));
  return Math.round(backoff / 2 + (backoff / 2) * random);
}

/** Is 2xx: Standard Webhooks counts any 2xx answer as delivered. */
export const isDelivered = (statusCode: number | null): boolean => statusCode !== null && statusCode >= 200 && statusCode < 300;

export const MAX_ENDPOINTS_PER_PARTY = 20;

/** An endpoint URL: http(s) with a host, at most 2,000 characters, no credentials in it. */
export function parseEndpointUrl(v: unknown, field = 'url'): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 2_000)
    throw new ValidationError(field, 'endpoint-url', `${field} is an http:// or https:// URL of at most 2,000 characters`);
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new ValidationError(field, 'endpoint-url', `${field} is not a URL: ${JSON.stringify(v.slice(0, 100))}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ValidationError(field, 'endpoint-url', `${field} must be http:// or https://, not ${u.protocol}`);
  if (u.username || u.password) throw new ValidationError(field, 'endpoint-url', `${field} must not carry a user name or password (the signature authenticates meterops)`);
  return u.toString();
}

/** The event types an endpoint subscribes to: 1 or more known names, no repeats. */
export function parseEventTypes(v: unknown, field = 'eventTypes'): NoticeEventType[] {
  if (!Array.isArray(v) || v.length < 1) throw new ValidationError(field, 'event-types', `${field} lists 1 or more of ${NOTICE_EVENT_TYPES.join(', ')}`);
  for (const [i, t] of v.entries())
    if (!(NOTICE_EVENT_TYPES as readonly unknown[]).includes(t))
      throw new ValidationError(`${field}[${i}]`, 'event-type', `${field}[${i}] ${JSON.stringify(t)} is not an event type (known: ${NOTICE_EVENT_TYPES.join(', ')})`);
  if (new Set(v).size !== v.length) throw new ValidationError(field, 'event-types', `${field} names an event type twice`);
  return v as NoticeEventType[];
}
