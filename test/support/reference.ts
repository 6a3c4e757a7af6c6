import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { skipBecause } from './skips.ts';

/**
 * The DCC's public test data, read in place from ../shared (or METEROPS_SHARED_DIR, which the
 * mutation runs set, since they run from a sandbox copy of the project) and never copied into the
 * repository.
 */
export const SHARED_DIR = process.env.METEROPS_SHARED_DIR || join(process.cwd(), '..', 'shared');
export const DCCBOXED = join(SHARED_DIR, 'reference', 'dccboxed');
export const RTDS_DIR = join(DCCBOXED, 'rtds');
export const KEYSTORE_DIR = join(DCCBOXED, 'keystore');
export const HAVE_DCCBOXED = existsSync(RTDS_DIR) && existsSync(KEYSTORE_DIR);
export const SKIP_DCCBOXED: string | false = HAVE_DCCBOXED ? false : skipBecause('reference', `DCC Boxed reference data not found at ${DCCBOXED}: skipped`);

export const DUIS_XSD = join(DCCBOXED, 'duis-schema', 'duis-5.4.xsd');

/** Whether `xmllint` answers on this machine's PATH (wherever it is installed). */
export function haveXmllint(): boolean {
  const r = spawnSync('xmllint', ['--version'], { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

/** Why DUIS schema validation cannot run here (no schema, or no xmllint), or false when it can. */
export function skipDuisValidation(): string | false {
  if (!existsSync(DUIS_XSD)) return skipBecause('reference', `DUIS 5.4 schema not found at ${DUIS_XSD}: skipped`);
  if (!haveXmllint()) return skipBecause('xmllint', 'xmllint not installed (apt-get install libxml2-utils): DUIS schema validation skipped');
  return false;
}
