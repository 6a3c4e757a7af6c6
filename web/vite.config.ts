// The web pages, built by `npm install` (scripts/build.mjs) into dist/web and served by `meterops
// serve` at `/` (src/api/web-pages.ts). Two entries: the operations app (index.html) and the HHT
// field app (hht/index.html), which is kept apart so a field tablet on a poor link loads only its
// own, small bundle (no charts), and its service worker's scope is /hht/ only.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const here = import.meta.dirname;

export default defineConfig({
  root: here,
  base: '/',
  publicDir: resolve(here, 'public'),
  logLevel: 'warn',
  build: {
    outDir: resolve(here, '..', 'dist', 'web'),
    emptyOutDir: true,
    sourcemap: false,
    // ECharts alone is ~1 MB before compression; it is loaded only by the dashboards (a lazy chunk).
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: { main: resolve(here, 'index.html'), hht: resolve(here, 'hht', 'index.html') },
      // React libraries mark their modules "use client" (for server components); a browser bundle
      // has no server half, so the directive means nothing here.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
