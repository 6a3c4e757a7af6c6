import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

const FIXTURES = 'test/fixtures/runner';

/** Runs scripts/run-tests.mjs over fixture files with exactly the given CI variables. */
function runner(files: string[], vars: { CI?: string; METEROPS_REQUIRE_SUITES?: string }) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.CI;
  delete env.METEROPS_REQUIRE_SUITES;
  delete env.NODE_TEST_CONTEXT;
  const r = spawnSync(process.execPath, ['scripts/run-tests.mjs', ...files.map((f) => `${FIXTURES}/${f}`)], { env: { ...env, ...vars }, encoding: 'utf8' });
  return { status: r.status, out: r.stdout };
}
const closingLine = (out: string) => out.trimEnd().split('\n').at(-1);

describe('the test runner reports every skip and fails CI on an expected one', () => {
  it('lists a skipped suite with its reason, and passes outside CI', () => {
    const r = runner(['skips-postgres.fixture.ts'], {});
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /run-tests: 1 skipped \(1 suites, 0 tests\):/);
    assert.match(r.out, /- suite test\/fixtures\/runner\/skips-postgres\.fixture\.ts › a suite that needs PostgreSQL: \[postgres\] fixture: no database here/);
    assert.equal(closingLine(r.out), 'run-tests: 1 passed, 0 failed, 1 skipped');
  });

  it('fails the same run under CI=true, naming the skipped suite', () => {
    const r = runner(['skips-postgres.fixture.ts'], { CI: 'true' });
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /run-tests: FAILED: 1 expected suite\(s\) or test\(s\) skipped:/);
    assert.match(r.out, /✖ test\/fixtures\/runner\/skips-postgres\.fixture\.ts › a suite that needs PostgreSQL: \[postgres\]/);
  });

  it('fails only for the kinds METEROPS_REQUIRE_SUITES lists', () => {
    assert.equal(runner(['skips-postgres.fixture.ts'], { METEROPS_REQUIRE_SUITES: 'xmllint,softhsm' }).status, 0);
    assert.equal(runner(['skips-postgres.fixture.ts'], { METEROPS_REQUIRE_SUITES: 'postgres' }).status, 1);
    const unknown = runner(['all-pass.fixture.ts'], { METEROPS_REQUIRE_SUITES: 'selenium' });
    assert.equal(unknown.status, 2);
  });

  it('sees a test that skips from inside itself, and an untagged skip fails under CI', () => {
    const outside = runner(['skips-inside.fixture.ts'], { METEROPS_REQUIRE_SUITES: 'postgres' });
    assert.equal(outside.status, 0, outside.out);
    assert.match(outside.out, /- test .* › checks with xmllint: \[xmllint\] fixture: xmllint missing/);
    assert.match(outside.out, /- test .* › skips without saying what it needs: fixture: no kind/);
    assert.equal(closingLine(outside.out), 'run-tests: 1 passed, 0 failed, 2 skipped');
    const ci = runner(['skips-inside.fixture.ts'], { CI: 'true' });
    assert.equal(ci.status, 1, ci.out);
    assert.match(ci.out, /FAILED: 2 expected/);
  });

  it('passes under CI=true when nothing skips', () => {
    const r = runner(['all-pass.fixture.ts'], { CI: 'true' });
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /run-tests: nothing skipped/);
    assert.equal(closingLine(r.out), 'run-tests: 2 passed, 0 failed, 0 skipped');
  });
});
