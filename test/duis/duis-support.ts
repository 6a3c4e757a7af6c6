import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuisTrust } from '../../src/duis/duis-trust.ts';
import { readXmlSignKeys, type XmlSignKeys } from '../../src/duis/xml-sign-keys.ts';
import { DCCBOXED } from '../support/reference.ts';
import { skipBecause } from '../support/skips.ts';

export const TEMPLATES_DIR = join(DCCBOXED, 'duis-templates');
export const SIGNING_DIR = join(DCCBOXED, 'duis-signing');
export const RESPONSES_DIR = join(SIGNING_DIR, 'responses');
export const KEYSTORE_JSON = join(DCCBOXED, 'keystore.json');
export const HAVE_DUIS = existsSync(TEMPLATES_DIR) && existsSync(RESPONSES_DIR) && existsSync(KEYSTORE_JSON);
export const SKIP_DUIS: string | false = HAVE_DUIS ? false : skipBecause('reference', `DUIS templates, signed responses or keystore.json not found under ${DCCBOXED}: skipped`);

/** The DSP XmlSign certificates of DCC Boxed: before 1.4.1, from 1.4.1, and the Z1 ACB's. */
export const DSP_CERTS = ['dsp-xml-sign-90B3D51F30000002-ds-pre-1.4.1.pem', 'dsp-xml-sign-90B3D51F30000002-ds.pem', 'Z1-accessControlBroker-dSPXmlSign.pem'];

export function dspTrust(): DuisTrust {
  return new DuisTrust(DSP_CERTS.map((f) => readFileSync(join(SIGNING_DIR, f))));
}

export function xmlSignKeys(): XmlSignKeys {
  return readXmlSignKeys(KEYSTORE_JSON);
}

export function haveXmlsec1(): boolean {
  const r = spawnSync('xmlsec1', ['--version'], { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

export const SKIP_XMLSEC1: string | false = haveXmlsec1()
  ? false
  : skipBecause('xmlsec1', 'xmlsec1 not installed (apt-get install xmlsec1): the independent signature check skipped');
