/* global self, caches, fetch, Response */
// The HHT's service worker (scope /hht/): keeps the app shell (the page, its scripts and styles,
// the manifest and icon) so the app opens with no network at all. It never answers for the
// platform (/v1) or the device's local port (/sim): those always go to the network, so a
// response is never a cached one and an unreachable platform shows as unreachable.
const CACHE = 'meterops-hht-shell-v1';
const SHELL = '/hht/';

async function cacheShell() {
  const cache = await caches.open(CACHE);
  const res = await fetch(SHELL, { cache: 'no-store' });
  if (!res.ok) throw new Error(`the app shell answered ${res.status}`);
  const html = await res.clone().text();
  // The built page names its scripts, preloads and styles (hashed names under /assets/).
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  await cache.addAll([...new Set(assets), '/hht/manifest.webmanifest', '/hht/icon.svg']);
  await cache.put(SHELL, res);
}

self.addEventListener('install', (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const k of await caches.keys()) if (k !== CACHE) await caches.delete(k);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/v1/') || url.pathname.startsWith('/sim/')) return;
  if (req.mode === 'navigate' && url.pathname.startsWith('/hht')) {
    // The page: from the network when it answers (a new build shows at once, and is kept),
    // else the kept shell.
    event.respondWith(
      (async () => {
        const cache = await caches.open(CACHE);
        try {
          const res = await fetch(SHELL, { cache: 'no-store' });
          if (res.ok) {
            // A new build's assets are kept as the page loads them (below).
            await cache.put(SHELL, res.clone());
            return res;
          }
        } catch {
          // No network: the kept shell below.
        }
        return (await cache.match(SHELL)) ?? Response.error();
      })(),
    );
    return;
  }
  if (url.pathname.startsWith('/assets/') || url.pathname.startsWith('/hht/')) {
    // Hashed assets never change under a name: the kept copy, else the network (then kept).
    event.respondWith(
      (async () => {
        const cache = await caches.open(CACHE);
        const hit = await cache.match(req);
        if (hit) return hit;
        const res = await fetch(req);
        if (res.ok) await cache.put(req, res.clone());
        return res;
      })(),
    );
  }
});
