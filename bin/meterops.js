#!/usr/bin/env node
// The installed `meterops` command: runs the build that `npm install` made (dist/, see
// scripts/build.mjs), so that starting costs no TypeScript compilation.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
if (!existsSync(main)) {
  process.stderr.write(`meterops: the CLI is not built (no ${main}): run "npm run build" (npm install runs it) [BUILD_MISSING]\n`);
  process.exit(1);
}
await import(main);
