import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The DCC's public test data, read in place from ../shared and never copied into the repository. */
export const DCCBOXED = join(process.cwd(), '..', 'shared', 'reference', 'dccboxed');
export const RTDS_DIR = join(DCCBOXED, 'rtds');
export const KEYSTORE_DIR = join(DCCBOXED, 'keystore');
export const HAVE_DCCBOXED = existsSync(RTDS_DIR) && existsSync(KEYSTORE_DIR);
export const SKIP_DCCBOXED: string | false = HAVE_DCCBOXED ? false : `DCC Boxed reference data not found at ${DCCBOXED}: skipped`;
