// npm run bench -- NAME: runs bench/NAME.ts, which prints its figures beside same-run baselines.
const name = process.argv[2];
const benches: Record<string, () => Promise<unknown>> = {
  registry: () => import('./registry.ts'),
  gbcs: () => import('./gbcs.ts'),
  fleet: () => import('./fleet.ts'),
  nowan: () => import('./nowan.ts'),
  audit: () => import('./audit.ts'),
  scaleout: () => import('./scaleout.ts'),
  returns: () => import('./returns.ts'),
  'returns-jobs': () => import('./returns-jobs.ts'),
  fuzz: () => import('./fuzz.ts'),
  cli: () => import('./cli.ts'),
  web: () => import('./web.ts'),
};
if (!name || !benches[name]) {
  console.error(`usage: npm run bench -- ${Object.keys(benches).join('|')}`);
  process.exit(2);
}
await benches[name]!();
