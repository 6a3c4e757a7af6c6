import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseEui } from '../../domain/eui.ts';
import { fromHex } from '../../gbcs/byte-reader.ts';
import { GbcsDecodeError } from '../../gbcs/gbcs-error.ts';
import type { LocalPort } from './local-port.ts';
import { LocalPortError } from './local-port.ts';

const MAX_BODY = 64 * 1024;

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new LocalPortHttpError(413, 'body too large');
    chunks.push(c as Buffer);
  }
  if (!chunks.length) return {};
  try {
    const v: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch {
    throw new LocalPortHttpError(400, 'the body is not a JSON object');
  }
}

class LocalPortHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The local port over HTTP on loopback, for an HHT or bench in another process:
 * `POST /join-window`, `POST /pair {client}`, `POST /send {client, frame}` (hex), `GET /diagnostics`.
 * `now` is the simulation clock.
 */
export async function serveLocalPort(port: LocalPort, opts: { host?: string; port?: number; now?: () => Date } = {}): Promise<{ url: string; close(): Promise<void> }> {
  const now = opts.now ?? (() => new Date());
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    void (async () => {
      try {
        const route = `${req.method} ${req.url}`;
        if (route === 'GET /diagnostics') return send(200, port.diagnostics());
        if (req.method !== 'POST') throw new LocalPortHttpError(404, `no route ${route}`);
        const b = await body(req);
        if (route === 'POST /join-window') {
          port.openJoinWindow(now());
          return send(200, { open: true });
        }
        const client = parseEui(String(b.client ?? ''), 'client');
        if (route === 'POST /pair') {
          port.pair(client, now(), typeof b.authorisation === 'string' ? fromHex(b.authorisation) : undefined);
          return send(200, { paired: true });
        }
        if (route === 'POST /send') return send(200, port.send(client, fromHex(String(b.frame ?? '')), now()));
        throw new LocalPortHttpError(404, `no route ${route}`);
      } catch (e) {
        if (e instanceof LocalPortHttpError) return send(e.status, { error: e.message });
        if (e instanceof LocalPortError) return send(409, { error: e.message, code: e.code });
        if (e instanceof GbcsDecodeError || (e as { status?: number }).status === 422) return send(422, { error: (e as Error).message });
        return send(500, { error: 'internal error' });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const a = server.address() as AddressInfo;
  return {
    url: `http://${a.address}:${a.port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
