import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Eui } from '../../src/domain/eui.ts';
import { CounterGuard } from '../../src/duis/counter-guard.ts';
import { DuisError } from '../../src/duis/duis-error.ts';
import { parseRequestId } from '../../src/duis/request-id.ts';
import { topUpDevice, writeDuisRequest } from '../../src/duis/duis-request.ts';
import { validateDuisSchema } from '../../src/duis/duis-schema.ts';
import { signDuis, verifyDuis } from '../../src/duis/duis-signature.ts';
import { DuisTrust, XML_SIGN_ROLE } from '../../src/duis/duis-trust.ts';
import { DUIS_XSD, skipDuisValidation } from '../support/reference.ts';
import { RESPONSES_DIR, SKIP_DUIS, SKIP_XMLSEC1, dspTrust, xmlSignKeys } from './duis-support.ts';

const DCC = '90B3D51F30000002' as Eui;
const SUPPLIER = '90B3D51F30010000' as Eui;
const NETWORK_OPERATOR = '90B3D51F30020000' as Eui;
const ESME = '00DB1234567890A0' as Eui;
const fromDsp = { eui: DCC, roles: [XML_SIGN_ROLE.dsp] };
const response = (f: string) => readFileSync(join(RESPONSES_DIR, f), 'utf8');

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof DuisError, `expected a DuisError, got ${String(e)}`);
    assert.equal(e.status, 400);
    return e.refusal;
  }
  assert.fail('expected a refusal');
}

describe('DCC Boxed signed responses (duis-signing/responses)', { skip: SKIP_DUIS }, () => {
  const trust = SKIP_DUIS ? (undefined as never) : dspTrust();

  for (const [file, serial] of [
    ['readfw-response.xml', '50669612984035780968362471400449834504'],
    ['readfw-response-duis-parser.xml', '50669612984035780968362471400449834504'],
    ['readfw-version-response.xml', '50669612984035780968362471400449834504'],
    ['read-inventory-response-5.4.xml', '20315062944123339095836004026371736578'],
    ['read-inventory-response-4g.xml', '167048897159233642262001557408276884033'],
    ['readfw-response-resigned.xml', '20315062944123339095836004026371736578'],
  ] as const) {
    it(`${file} verifies, signed by the DSP (serial ${serial.slice(0, 8)}…)`, () => {
      const signer = verifyDuis(response(file), { trust, expect: fromDsp });
      assert.equal(signer.serial, serial);
      assert.equal(signer.eui, DCC);
      assert.equal(signer.role, XML_SIGN_ROLE.dsp);
    });
  }

  it('the negative cases are each refused for their own reason', () => {
    assert.equal(
      refusal(() => verifyDuis(response('readfw-response-badsignature.xml'), { trust, expect: fromDsp })),
      'signature-invalid',
    );
    assert.equal(
      refusal(() => verifyDuis(response('readfw-response-no-signature.xml'), { trust, expect: fromDsp })),
      'signature-missing',
    );
    assert.equal(
      refusal(() => verifyDuis(response('readfw-response-no-serial.xml'), { trust, expect: fromDsp })),
      'signer-serial-missing',
    );
    assert.equal(
      refusal(() => verifyDuis(response('readfw-response-nonexist-serial.xml'), { trust, expect: fromDsp })),
      'signer-unknown',
    );
  });

  it('a response is refused when the trust set for this DCC Boxed version lacks its certificate', () => {
    // readfw-response.xml is signed with the pre-1.4.1 DSP key; a set of only the 1.4.1 certificate refuses it.
    const only141 = new DuisTrust(dspTrust().signers.filter((s) => s.serial !== '50669612984035780968362471400449834504'));
    assert.equal(
      refusal(() => verifyDuis(response('readfw-response.xml'), { trust: only141, expect: fromDsp })),
      'signer-unknown',
    );
  });

  it('a response signed by the DSP is refused where another signer is expected', () => {
    assert.equal(
      refusal(() => verifyDuis(response('readfw-response.xml'), { trust, expect: { eui: SUPPLIER, roles: [XML_SIGN_ROLE.dsp] } })),
      'signer-not-originator',
    );
    assert.equal(
      refusal(() => verifyDuis(response('readfw-response.xml'), { trust, expect: { eui: DCC, roles: [XML_SIGN_ROLE.user] } })),
      'signer-role',
    );
  });

  it('the certificate validity is checked at the time the caller gives', () => {
    // The Z1 ACB's DSP XmlSign certificate is valid from 1 September 2025.
    assert.doesNotThrow(() => verifyDuis(response('readfw-response-resigned.xml'), { trust, expect: fromDsp, at: new Date('2025-10-30T20:56:25Z') }));
    assert.equal(
      refusal(() => verifyDuis(response('readfw-response-resigned.xml'), { trust, expect: fromDsp, at: new Date('2025-08-31T00:00:00Z') })),
      'signer-unknown',
    );
  });

  it('the invalid document is refused by the schema', { skip: skipDuisValidation() }, async () => {
    await assert.rejects(validateDuisSchema(response('readfw-response-invalid.xml'), DUIS_XSD), (e: unknown) => {
      assert.ok(e instanceof DuisError);
      assert.equal(e.refusal, 'schema-invalid');
      assert.match(e.message, /11\.2\.11\.2/);
      return true;
    });
  });

  it('the valid responses are valid against the schema once the signature is set aside', { skip: skipDuisValidation() }, async () => {
    for (const f of ['readfw-response.xml', 'read-inventory-response-5.4.xml', 'read-inventory-response-4g.xml', 'readfw-response-resigned.xml']) {
      await validateDuisSchema(response(f), DUIS_XSD);
    }
  });
});

describe('requests meterops signs', { skip: SKIP_DUIS }, () => {
  const keys = SKIP_DUIS ? (undefined as never) : xmlSignKeys();
  const trust = SKIP_DUIS ? (undefined as never) : new DuisTrust(keys.certificates);
  const supplier = SKIP_DUIS ? (undefined as never) : keys.signers.get(SUPPLIER)!;
  const fromSupplier = { eui: SUPPLIER, roles: [XML_SIGN_ROLE.user] };
  const topUp = (user = SUPPLIER) => writeDuisRequest(topUpDevice({ user, device: ESME, counter: 12884901888n }, '73946144332040217315'));
  const dir = mkdtempSync(join(tmpdir(), 'duis-sign-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('carry the Supplier XmlSign certificate (role 135, OU 87) from keystore.json', () => {
    assert.ok(supplier, 'keystore.json has the Supplier XmlSign key');
    assert.equal(supplier.signer.role, 135);
    assert.equal(supplier.signer.issuerName, 'CN=Z1,OU=07');
  });

  it('verify with the library and the signer checks', () => {
    const signed = signDuis(topUp(), supplier);
    assert.equal(verifyDuis(signed, { trust, expect: fromSupplier }).serial, supplier.signer.serial);
    assert.match(signed, /<ds:X509SerialNumber>\d+<\/ds:X509SerialNumber>/);
    assert.doesNotMatch(signed, />\s+</, 'signed compact');
  });

  it('verify with xmlsec1, an independent verifier, given only the certificate', { skip: SKIP_XMLSEC1 }, () => {
    const file = join(dir, 'signed.xml');
    const cert = join(dir, 'supplier.pem');
    writeFileSync(file, signDuis(topUp(), supplier));
    writeFileSync(cert, supplier.signer.certificate.toString());
    const ok = spawnSync('xmlsec1', ['--verify', '--pubkey-cert-pem', cert, '--enabled-reference-uris', 'empty', file], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stderr, /^OK$/m);
    writeFileSync(file, signDuis(topUp(), supplier).replace('73946144332040217315', '73946144332040217316'));
    const bad = spawnSync('xmlsec1', ['--verify', '--pubkey-cert-pem', cert, '--enabled-reference-uris', 'empty', file], { encoding: 'utf8' });
    assert.notEqual(bad.status, 0, 'xmlsec1 refuses the tampered body too');
  });

  it('xmlsec1 agrees that a DCC Boxed response verifies with the DSP certificate', { skip: SKIP_XMLSEC1 || SKIP_DUIS }, () => {
    const cert = join(dir, 'dsp.pem');
    writeFileSync(
      cert,
      dspTrust()
        .signers.find((s) => s.serial === '50669612984035780968362471400449834504')!
        .certificate.toString(),
    );
    const r = spawnSync('xmlsec1', ['--verify', '--pubkey-cert-pem', cert, '--enabled-reference-uris', 'empty', join(RESPONSES_DIR, 'readfw-response.xml')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  it('a tampered body is refused', () => {
    const signed = signDuis(topUp(), supplier).replace('73946144332040217315', '73946144332040217316');
    assert.equal(
      refusal(() => verifyDuis(signed, { trust, expect: fromSupplier })),
      'signature-invalid',
    );
  });

  it('whitespace added after signing is refused', () => {
    const signed = signDuis(topUp(), supplier).replace('<sr:Body>', '<sr:Body>\n  ');
    assert.equal(
      refusal(() => verifyDuis(signed, { trust, expect: fromSupplier })),
      'signature-invalid',
    );
  });

  it('a pretty-printed request is signed compact, so it verifies as sent', () => {
    const pretty = topUp().replace(/></g, '>\n  <');
    const signed = signDuis(pretty, supplier);
    assert.doesNotMatch(signed.slice(signed.indexOf('<sr:Request')), />\s+</);
    assert.doesNotThrow(() => verifyDuis(signed, { trust, expect: fromSupplier }));
  });

  it('an unknown serial is refused', () => {
    const signed = signDuis(topUp(), supplier).replace(`>${supplier.signer.serial}<`, '>1234567890<');
    assert.equal(
      refusal(() => verifyDuis(signed, { trust, expect: fromSupplier })),
      'signer-unknown',
    );
  });

  it('a signer who is not the originator is refused', () => {
    // The Supplier signs a request whose RequestID names the Network Operator as originator.
    const signed = signDuis(topUp(NETWORK_OPERATOR), supplier);
    assert.equal(
      refusal(() => verifyDuis(signed, { trust, expect: { eui: NETWORK_OPERATOR, roles: [XML_SIGN_ROLE.user] } })),
      'signer-not-originator',
    );
  });

  it('a signature in another form is refused (RSA-SHA256 named, a second reference)', () => {
    const signed = signDuis(topUp(), supplier);
    const rsa = signed.replace('xmldsig-more#ecdsa-sha256', 'xmldsig-more#rsa-sha256');
    assert.equal(
      refusal(() => verifyDuis(rsa, { trust, expect: fromSupplier })),
      'signature-form',
    );
    const ref = /<ds:Reference URI="">.*?<\/ds:Reference>/.exec(signed)![0];
    assert.equal(
      refusal(() => verifyDuis(signed.replace(ref, ref + ref), { trust, expect: fromSupplier })),
      'signature-form',
    );
  });

  it('malformed XML and a DOCTYPE are refused before any signature check', () => {
    assert.equal(
      refusal(() => verifyDuis('<sr:Request', { trust, expect: fromSupplier })),
      'xml-malformed',
    );
    assert.equal(
      refusal(() => verifyDuis('<!DOCTYPE x [<!ENTITY e "x">]><x/>', { trust, expect: fromSupplier })),
      'xml-malformed',
    );
  });

  it('the signed top-up is valid against the DUIS schema', { skip: skipDuisValidation() }, async () => {
    await validateDuisSchema(signDuis(topUp(), supplier), DUIS_XSD);
  });
});

describe('request counters', () => {
  it('a replayed counter is refused, per originator', () => {
    const guard = new CounterGuard();
    const id = (originator: string, counter: bigint) => ({ originator: originator as Eui, target: ESME, counter });
    guard.accept(id(SUPPLIER, 12884901888n));
    assert.equal(
      refusal(() => guard.accept(id(SUPPLIER, 12884901888n))),
      'counter-replayed',
    );
    assert.equal(
      refusal(() => guard.accept(id(SUPPLIER, 1000n))),
      'counter-replayed',
    );
    assert.doesNotThrow(() => guard.accept(id(NETWORK_OPERATOR, 1000n)), 'another originator has its own counter');
    assert.doesNotThrow(() => guard.accept(id(SUPPLIER, 12884901889n)));
  });

  it('a RequestID outside the DUIS form is refused', () => {
    assert.equal(
      refusal(() => parseRequestId('90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:18446744073709551616')),
      'request-id',
    );
    assert.equal(
      refusal(() => parseRequestId('90B3D51F30010000:00DB1234567890A0:1')),
      'request-id',
    );
    assert.deepEqual(parseRequestId('90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:18446744073709551615'), {
      originator: SUPPLIER,
      target: ESME,
      counter: 18446744073709551615n,
    });
  });
});
