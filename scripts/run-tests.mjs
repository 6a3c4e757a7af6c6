// Runs the test suite with node's own test runner and an explicit list of files: Node 20 does not
// expand a quoted glob, and a run of zero files would pass silently. `--web` runs the browser
// tests (test/web) instead, which the default run leaves out.
//
// Beside node's spec output, a second reporter (scripts/skip-reporter.mjs) records every test and
// suite that passed, failed or was skipped. The summary at the end lists each skipped suite or test
// with its reason: node's own summary counts a skipped `describe` as a suite, not as a skip, so a
// whole file could skip while node says `skipped 0`.
//
// Skip reasons start with a kind in brackets (test/support/skips.ts): `[postgres]`, `[reference]`,
// `[softhsm]`, `[xmllint]`, `[xmlsec1]`, `[chromium]`. The kinds listed in METEROPS_REQUIRE_SUITES (comma-separated, or `all`)
// must not skip: if one does, the run fails. With CI=true every kind is required unless
// METEROPS_REQUIRE_SUITES says otherwise, and a skip with no kind fails too.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SUITE_KINDS = ['postgres', 'reference', 'softhsm', 'xmllint', 'xmlsec1', 'chromium'];

// The browser tests (test/web: Chromium against a served demo) run apart, by `npm run test:web`.
const WEB_TESTS = join('test', 'web');

function findTests(dir, skip = []) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (skip.includes(p)) continue;
    if (statSync(p).isDirectory()) out.push(...findTests(p, skip));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

/** The kinds that must not skip in this environment, and whether an untagged skip fails. */
export function requiredKinds(env) {
  const truthy = (v) => v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
  const listed = env.METEROPS_REQUIRE_SUITES;
  if (listed !== undefined && listed.trim() !== '') {
    const kinds =
      listed.trim() === 'all'
        ? [...SUITE_KINDS]
        : listed
            .split(',')
            .map((k) => k.trim())
            .filter(Boolean);
    const unknown = kinds.filter((k) => !SUITE_KINDS.includes(k));
    if (unknown.length) throw new Error(`METEROPS_REQUIRE_SUITES: unknown kind ${unknown.join(', ')} (known: ${SUITE_KINDS.join(', ')})`);
    return { kinds, untaggedFails: truthy(env.CI) };
  }
  return truthy(env.CI) ? { kinds: [...SUITE_KINDS], untaggedFails: true } : { kinds: [], untaggedFails: false };
}

/** `[kind] text` → kind, or null. */
export function skipKind(reason) {
  const m = /^\[([a-z0-9-]+)\]/.exec(typeof reason === 'string' ? reason : '');
  return m ? m[1] : null;
}

function main() {
  let required;
  try {
    required = requiredKinds(process.env);
  } catch (e) {
    console.error(`run-tests: ${e.message}`);
    process.exit(2);
  }
  const args = process.argv.slice(2);
  const web = args[0] === '--web';
  const only = web ? args.slice(1) : args;
  const files = only.length ? only : web ? findTests(WEB_TESTS).sort() : findTests('test', [WEB_TESTS]).sort();
  if (files.length === 0) {
    console.error('run-tests: no test files found under test/');
    process.exit(1);
  }
  const concurrency = process.env.METEROPS_TEST_CONCURRENCY ?? '2';
  const dir = mkdtempSync(join(tmpdir(), 'meterops-run-tests-'));
  const events = join(dir, 'events.jsonl');
  const reporter = fileURLToPath(new URL('./skip-reporter.mjs', import.meta.url));
  // A run started from inside a test (the runner's own test) must not inherit the parent's
  // test-runner context, or node would report to the parent instead of to these reporters.
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${concurrency}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      `--test-reporter=${reporter}`,
      `--test-reporter-destination=${events}`,
      ...files,
    ],
    { stdio: 'inherit', env },
  );
  let records = [];
  try {
    records = readFileSync(events, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  } catch {
    // no events: node failed before any test ran; its exit status says so below
  }
  rmSync(dir, { recursive: true, force: true });

  const tests = records.filter((r) => r.kind === 'test');
  const passed = tests.filter((r) => r.outcome === 'pass').length;
  const failed = tests.filter((r) => r.outcome === 'fail').length;
  const skipped = records.filter((r) => r.outcome === 'skip');
  const where = (r) => `${r.file ? relative(process.cwd(), r.file) : '?'} › ${r.name}`;

  console.log('');
  if (skipped.length) {
    console.log(`run-tests: ${skipped.length} skipped (${skipped.filter((r) => r.kind === 'suite').length} suites, ${skipped.filter((r) => r.kind === 'test').length} tests):`);
    for (const r of skipped) console.log(`  - ${r.kind} ${where(r)}: ${r.reason}`);
  } else {
    console.log('run-tests: nothing skipped');
  }
  const refused = skipped.filter((r) => {
    const kind = skipKind(r.reason);
    return kind === null ? required.untaggedFails : required.kinds.includes(kind);
  });
  let status = result.status ?? 1;
  if (required.kinds.length) console.log(`run-tests: required suites: ${required.kinds.join(', ')}${required.untaggedFails ? ' (and no untagged skip)' : ''}`);
  if (refused.length) {
    console.log(`run-tests: FAILED: ${refused.length} expected suite(s) or test(s) skipped:`);
    for (const r of refused) console.log(`  ✖ ${where(r)}: ${r.reason}`);
    status = status || 1;
  }
  if (tests.length === 0) {
    console.log('run-tests: FAILED: no test ran');
    status = status || 1;
  }
  console.log(`run-tests: ${passed} passed, ${failed} failed, ${skipped.length} skipped`);
  process.exit(status);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
