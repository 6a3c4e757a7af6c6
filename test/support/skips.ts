/**
 * Every skip in the suite says which kind of suite it is, so that scripts/run-tests.mjs can list
 * it and, in CI (or with METEROPS_REQUIRE_SUITES), fail the run when an expected suite skipped.
 */
export type SuiteKind = 'postgres' | 'reference' | 'softhsm' | 'xmllint' | 'xmlsec1' | 'chromium';

/** A skip reason the test runner can classify: `[kind] why`. */
export function skipBecause(kind: SuiteKind, why: string): string {
  return `[${kind}] ${why}`;
}
