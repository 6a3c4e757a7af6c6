import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com, "Signature scheme"): the content
 * signed is `${webhook-id}.${webhook-timestamp}.${body}`, the signature is HMAC-SHA256 of it under
 * the secret's bytes, sent base64 as `v1,<signature>` in the webhook-signature header. The secret
 * is `whsec_` and the base64 of 24 to 64 random bytes.
 */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** A new signing secret: 32 random bytes. */
export function newWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(32).toString('base64');
}

function secretBytes(secret: string): Buffer {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) throw new Error('a webhook secret starts with whsec_');
  const bytes = Buffer.from(secret.slice(WEBHOOK_SECRET_PREFIX.length), 'base64');
  if (bytes.length < 24 || bytes.length > 64) throw new Error('a webhook secret carries 24 to 64 bytes');
  return bytes;
}

/** The webhook-signature header's value for one message (id, Unix seconds, the exact body). */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secretBytes(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The three headers of one attempt (the timestamp is the attempt's, so a retry is signed afresh). */
export function webhookHeaders(secret: string, id: string, at: Date, body: string): Record<string, string> {
  const ts = Math.floor(at.getTime() / 1000);
  return { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': signWebhook(secret, id, ts, body) };
}

/**
 * A receiver's check, as the specification describes it: one of the space-separated `v1,`
 * signatures matches (compared in constant time) and the timestamp is within `toleranceSeconds`
 * of now (so that a captured message cannot be replayed later). For meterops' own tools and docs.
 */
export function verifyWebhook(secret: string, headers: { id: string; timestamp: string; signature: string }, body: string, now: Date, toleranceSeconds = 300): boolean {
  const ts = Number(headers.timestamp);
  if (!/^\d{1,12}$/.test(headers.timestamp) || Math.abs(now.getTime() / 1000 - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, headers.id, ts, body));
  return headers.signature.split(' ').some((s) => {
    const got = Buffer.from(s);
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}
