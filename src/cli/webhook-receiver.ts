import { createServer } from 'node:http';
import { ValidationError } from '../domain/index.ts';
import { verifyWebhook, WEBHOOK_SECRET_PREFIX } from '../keys/webhook-signature.ts';

/**
 * `meterops webhooks receive`: what a party's receiver does, on loopback, to try an endpoint out.
 * Each message is checked as the Standard Webhooks specification says (the signature over
 * id.timestamp.body, the timestamp within 5 minutes); a good one is printed on stdout as a JSON
 * line and answered 204, a webhook-id seen before is answered 200 and not printed again (the
 * receiver's idempotency), anything else is refused 401 with the reason on stderr.
 */
export async function receiveWebhooks(o: { port: string; secret: string | undefined; count: string | undefined }): Promise<void> {
  if (!/^\d{1,5}$/.test(o.port) || Number(o.port) > 65_535) throw new ValidationError('port', 'port', `--port is a port number, got "${o.port}"`);
  if (!o.secret?.startsWith(WEBHOOK_SECRET_PREFIX)) throw new ValidationError('secret', 'webhook-secret', "--secret (or METEROPS_WEBHOOK_SECRET) is the endpoint's whsec_… secret");
  if (o.count !== undefined && !/^[1-9]\d{0,6}$/.test(o.count)) throw new ValidationError('count', 'count', `--count is a whole number from 1, got "${o.count}"`);
  const secret = o.secret;
  const limit = o.count === undefined ? Infinity : Number(o.count);
  const seen = new Set<string>();
  let accepted = 0;
  await new Promise<void>((resolve, reject) => {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const h = (n: string) => String(req.headers[n] ?? '');
        const headers = { id: h('webhook-id'), timestamp: h('webhook-timestamp'), signature: h('webhook-signature') };
        let ok = false;
        try {
          ok = verifyWebhook(secret, headers, body, new Date());
        } catch {
          ok = false;
        }
        if (!ok) {
          process.stderr.write(`refused ${headers.id || '(no webhook-id)'}: signature or timestamp does not verify\n`);
          return void res.writeHead(401).end();
        }
        if (seen.has(headers.id)) {
          process.stderr.write(`duplicate ${headers.id}: acknowledged, not processed again\n`);
          return void res.writeHead(200).end();
        }
        seen.add(headers.id);
        accepted++;
        process.stdout.write(JSON.stringify({ webhookId: headers.id, webhookTimestamp: Number(headers.timestamp), ...(JSON.parse(body) as object) }) + '\n');
        res.writeHead(204).end();
        if (accepted >= limit) server.close(() => resolve());
      });
    });
    server.on('error', reject);
    server.listen(Number(o.port), '127.0.0.1', () => process.stderr.write(`receiving webhooks on http://127.0.0.1:${o.port}\n`));
  });
}
