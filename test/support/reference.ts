import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The DCC's public test data, read in place from ../shared and never copied into the repository. */
export const DCCBOXED = join(process.cwd(), '..', 'shared', 'reference', 'dccboxed');
export const RTDS_DIR = join(DCCBOXED, 'rtds');
export const KEYSTORE_DIR = join(DCCBOXED, 'keystore');
export const HAVE_DCCBOXED = existsSync(RTDS_DIR) && existsSync(KEYSTORE_DIR);
export const SKIP_DCCBOXED: string | false = HAVE_DCCBOXED ? false : `DCC Boxed reference data not found at ${DCCBOXED}: skipped`;

export const DUIS_XSD = join(DCCBOXED, 'duis-schema', 'duis-5.4.xsd');
/** Why DUIS schema validation cannot run here (no schema, or no xmllint), or false when it can. */
export function skipDuisValidation(): string | false {
  if (!existsSync(DUIS_XSD)) return `DUIS 5.4 schema not found at ${DUIS_XSD}: skipped`;
  if (!['/usr/bin/xmllint', '/usr/local/bin/xmllint'].some((p) => existsSync(p))) return 'xmllint not installed (apt-get install libxml2-utils): skipped';
  return false;
}
