// Compiles the CLI and server ahead of time, and the web pages, (run by `npm install` through `prepare`, or `npm run
// build`): ES modules under dist/, the entry dist/main.js, with the dependencies left as imports of
// node_modules, and the SQL migrations beside it (src/store/migrate.ts reads them from its own
// directory). Code split at the dynamic imports, so a command loads only what it runs (`--help`
// loads commander and the command tree, not the database, HTTP or X.509 libraries). Starting from
// it costs no TypeScript compilation; the tests still run from source with tsx.
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const started = Date.now();
const result = await build({
  entryPoints: [join(root, 'src', 'main.ts')],
  outdir: out,
  entryNames: '[name]',
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  metafile: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
writeFileSync(join(out, 'meta.json'), JSON.stringify(result.metafile));
cpSync(join(root, 'src', 'store', 'migrations'), join(out, 'migrations'), { recursive: true });
writeFileSync(join(out, 'BUILD'), `built ${new Date().toISOString()} from src/main.ts\n`);
process.stdout.write(`meterops: built dist/main.js in ${Date.now() - started} ms\n`);

// The web pages (web/, React with Vite) into dist/web, which `serve` serves at `/`.
const webStarted = Date.now();
const { build: viteBuild } = await import('vite');
await viteBuild({ configFile: join(root, 'web', 'vite.config.ts'), logLevel: 'warn' });
process.stdout.write(`meterops: built dist/web in ${Date.now() - webStarted} ms\n`);
