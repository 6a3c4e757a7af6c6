// A webhook receiver for the tests: a real Fastify server on loopback that checks every message
// with the standardwebhooks package (Webhook.verify: the signature and the 5-minute timestamp
// tolerance), refuses a webhook-id it has accepted before (its idempotency check), and keeps
// everything it saw: the raw body and headers, whether it verified, per path.
import Fastify, { type FastifyInstance } from 'fastify';
import { Webhook } from 'standardwebhooks';

export interface Received {
  readonly path: string;
  readonly id: string;
  readonly timestamp: string;
  readonly signature: string;
  readonly body: string;
  readonly verified: boolean;
  readonly duplicate: boolean;
  readonly at: number;
}

export type Behaviour = 'ok' | 'fail' | 'slow';

export interface Receiver {
  readonly url: string;
  /** The secret the receiver checks a path's messages with (the endpoint's, shown once). */
  secret(path: string, secret: string): void;
  secretFor(path: string): string;
  behave(path: string, b: Behaviour): void;
  readonly received: Received[];
  /** Messages accepted (verified, answered 2xx) per webhook-id. */
  accepted(id: string): number;
  close(): Promise<void>;
}

export async function startReceiver(slowMs = 1_500): Promise<Receiver> {
  const app: FastifyInstance = Fastify({ logger: false });
  // The raw body: a signature is over the exact bytes, not a re-serialised object.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  const secrets = new Map<string, string>();
  const behaviour = new Map<string, Behaviour>();
  const received: Received[] = [];
  const seen = new Set<string>();
  const acceptedById = new Map<string, number>();
  app.post('/:path', async (req, reply) => {
    const path = (req.params as { path: string }).path;
    const h = req.headers as Record<string, string>;
    const body = String(req.body ?? '');
    let verified = false;
    const secret = secrets.get(path);
    if (secret) {
      try {
        new Webhook(secret).verify(body, { 'webhook-id': h['webhook-id']!, 'webhook-timestamp': h['webhook-timestamp']!, 'webhook-signature': h['webhook-signature']! });
        verified = true;
      } catch {
        verified = false;
      }
    }
    const id = h['webhook-id'] ?? '';
    const duplicate = verified && seen.has(id);
    received.push({ path, id, timestamp: h['webhook-timestamp'] ?? '', signature: h['webhook-signature'] ?? '', body, verified, duplicate, at: Date.now() });
    if (!verified) return reply.code(401).send({ refused: 'signature' });
    const b = behaviour.get(path) ?? 'ok';
    if (b === 'fail') return reply.code(500).send({ error: 'receiver down' });
    if (b === 'slow') await new Promise((r) => setTimeout(r, slowMs));
    // A webhook-id seen before is acknowledged (so the sender stops) but not acted on again.
    if (duplicate) return reply.code(200).send({ duplicate: true });
    seen.add(id);
    acceptedById.set(id, (acceptedById.get(id) ?? 0) + 1);
    return reply.code(204).send();
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${addr.port}`,
    secret: (p, s) => void secrets.set(p, s),
    secretFor: (p) => secrets.get(p) ?? '',
    behave: (p, b) => void behaviour.set(p, b),
    received,
    accepted: (id) => acceptedById.get(id) ?? 0,
    close: () => app.close(),
  };
}

export async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
