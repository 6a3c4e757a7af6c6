import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

/**
 * Where the built web pages are: dist/web of this package (scripts/build.mjs builds them at
 * install). Found by walking up from this module, so it holds from src/ (tsx) and from dist/.
 */
export function defaultWebDir(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'web');
    dir = dirname(dir);
  }
  return null;
}

/**
 * Serves the web pages at `/` (the operations app) and `/hht/` (the field app) from `dir`, same
 * origin as the API, so the session cookie and CSRF token of a sign-in serve both. Hashed assets
 * are cached for a year; the HTML is revalidated on every load, so a new build shows at once.
 * Without a build, `/` says how to make one instead of a bare 404.
 */
export async function registerWebPages(app: FastifyInstance, dir: string | null): Promise<void> {
  if (!dir || !existsSync(join(dir, 'index.html'))) {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send(`meterops: the web pages are not built${dir ? ` (no ${join(dir, 'index.html')})` : ''}: run npm run build, then restart. The API is at /v1, its docs at /docs.\n`),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    index: ['index.html'],
    // /hht (no slash) goes to /hht/, where the field app and its service worker's scope are.
    redirect: true,
    // Only files under dir: no directory listing, and /v1 and /docs stay the API's.
    wildcard: true,
    decorateReply: false,
    // The headers are setHeaders' alone (send's own max-age=0 would override them).
    cacheControl: false,
    setHeaders(res, path) {
      if (path.includes(`${join('', 'assets')}`) && /-[A-Za-z0-9_-]{8}\.(js|css)$/.test(path)) res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      else res.setHeader('cache-control', 'no-cache');
    },
  });
}
