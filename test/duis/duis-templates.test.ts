import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Eui } from '../../src/domain/eui.ts';
import { serviceFor } from '../../src/duis/command-variant.ts';
import {
  disableSupply,
  enableSupply,
  parseDuisRequest,
  requestHandover,
  returnLocalCommandResponse,
  topUpDevice,
  updateCredentialsCoS,
  updateCredentialsKrp,
  writeDuisRequest,
  type DuisElement,
  type DuisRequest,
} from '../../src/duis/duis-request.ts';
import { validateDuisSchema } from '../../src/duis/duis-schema.ts';
import { signDuis } from '../../src/duis/duis-signature.ts';
import { buildHubReturnDuis } from '../../src/gbcs/duis-hub-return.ts';
import { DUIS_XSD, skipDuisValidation } from '../support/reference.ts';
import { SKIP_DUIS, TEMPLATES_DIR, xmlSignKeys } from './duis-support.ts';

const template = (f: string) => readFileSync(join(TEMPLATES_DIR, f), 'utf8');
const files = SKIP_DUIS ? [] : readdirSync(TEMPLATES_DIR).filter((f) => f.endsWith('.XML'));
const SUPPLIER = '90B3D51F30010000' as Eui;
const b64 = (s: string) => Uint8Array.from(Buffer.from(s, 'base64'));
const textOf = (e: DuisElement, ...path: string[]): string => {
  let cur: DuisElement | undefined = e;
  for (const p of path) cur = cur?.children?.find((c) => c.name === p);
  assert.ok(cur?.text !== undefined, `${e.name}/${path.join('/')}`);
  return cur.text;
};

describe('DUIS templates (duis-templates)', { skip: SKIP_DUIS }, () => {
  it('all 297 parse: header, RequestID, Command Variant routed, one body element', () => {
    assert.equal(files.length, 297);
    const byService = { serviceS: 0, serviceT: 0, serviceD: 0 };
    for (const f of files) {
      const r = parseDuisRequest(template(f));
      assert.ok(r.body.name.length > 0, f);
      assert.ok(f.includes(`_${r.header.serviceReferenceVariant}`) || f.startsWith(r.header.serviceReferenceVariant), `${f}: SRV ${r.header.serviceReferenceVariant}`);
      byService[serviceFor(r.header.commandVariant)]++;
    }
    // The templates' CVs: 170 with CV 1, 110 with CV 4, 1 with CV 2 and 16 with CV 8.
    assert.deepEqual(byService, { serviceS: 170, serviceT: 110, serviceD: 17 });
  });

  it('all 297 are valid against the DUIS 5.4 schema (xmllint)', { skip: skipDuisValidation() }, () => {
    const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', DUIS_XSD, ...files.map((f) => join(TEMPLATES_DIR, f))], { encoding: 'utf8', maxBuffer: 1 << 24 });
    assert.equal(r.status, 0, r.stderr.slice(0, 2000));
    assert.equal((r.stderr.match(/ validates$/gm) ?? []).length, 297);
  });
});

/** The same request built by meterops from the template's own inputs: header and body equal the template's. */
function sameAs(built: DuisRequest, file: string): void {
  const reparsed = parseDuisRequest(writeDuisRequest(built));
  assert.deepEqual(reparsed, parseDuisRequest(template(file)), file);
}

describe('the service requests meterops builds match the DCC templates', { skip: SKIP_DUIS }, () => {
  const to = (file: string) => {
    const id = parseDuisRequest(template(file)).header.requestId;
    return { user: id.originator, device: id.target, counter: id.counter };
  };

  it('7.1 Enable Supply and 7.2 Disable Supply (CV 4)', () => {
    sameAs(enableSupply(to('ECS42_7.1_SUCCESS_REQUEST_DUIS.XML')), 'ECS42_7.1_SUCCESS_REQUEST_DUIS.XML');
    sameAs(disableSupply(to('ECS43_7.2_SUCCESS_REQUEST_DUIS.XML')), 'ECS43_7.2_SUCCESS_REQUEST_DUIS.XML');
    sameAs(disableSupply(to('GCS32_7.2_SUCCESS_REQUEST_DUIS.XML')), 'GCS32_7.2_SUCCESS_REQUEST_DUIS.XML');
  });

  it('2.2 Top Up Device carries counter 12884901888 and the RTDS UTRN 73946144332040217315', () => {
    const built = topUpDevice({ user: SUPPLIER, device: '00DB1234567890A0' as Eui, counter: 12884901888n }, '73946144332040217315');
    sameAs(built, 'CS01a_2.2_SUCCESS_REQUEST_DUIS.XML');
    assert.match(writeDuisRequest(built), /<sr:RequestID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:12884901888<\/sr:RequestID>/);
  });

  it('6.21 Request Handover and 6.23 Update Security Credentials (CoS)', () => {
    const f21 = 'CS02bSupplierBySupplierHandover_6.21_SUCCESS_REQUEST_DUIS.XML';
    const t21 = parseDuisRequest(template(f21)).body;
    sameAs(
      requestHandover(to(f21), {
        role: 'Supplier',
        floorSeq: 0n,
        topUpFloorSeq: 0n,
        replacement: {
          digitalSigning: b64(textOf(t21, 'ReplacementCertificates', 'DigitalSigningCertificate')),
          keyAgreement: b64(textOf(t21, 'ReplacementCertificates', 'KeyAgreementCertificate')),
          keyAgreementTopUp: b64(textOf(t21, 'ReplacementCertificates', 'KeyAgreementTopUpCertificate')),
        },
        certificationPath: [b64(textOf(t21, 'CertificationPathCertificates', 'Certificate'))],
        timeBasedChecks: true,
      }),
      f21,
    );
    const f23 = 'CS02bSupplierByTransCoS_6.23_IMMEDIATE_SUCCESS_REQUEST_DUIS.XML';
    const t23 = parseDuisRequest(template(f23)).body;
    sameAs(
      updateCredentialsCoS(to(f23), {
        floorSeq: 0n,
        topUpFloorSeq: 0n,
        replacement: {
          digitalSigning: b64(textOf(t23, 'SupplierReplacementCertificates', 'DigitalSigningCertificate')),
          keyAgreement: b64(textOf(t23, 'SupplierReplacementCertificates', 'KeyAgreementCertificate')),
          keyAgreementTopUp: b64(textOf(t23, 'SupplierReplacementCertificates', 'KeyAgreementTopUpCertificate')),
        },
        certificationPath: [b64(textOf(t23, 'CertificationPathCertificates', 'Certificate'))],
        timeBasedChecks: true,
        importMpxn: '1312345678333',
      }),
      f23,
    );
  });

  it('6.15.1 Update Security Credentials (KRP), Network Operator by Network Operator (CV 4)', () => {
    const f = 'CS02bNOByNO_6.15.1_SUCCESS_REQUEST_DUIS.XML';
    const t = parseDuisRequest(template(f)).body;
    sameAs(
      updateCredentialsKrp(
        to(f),
        {
          role: 'NetworkOperator',
          floorSeq: 0n,
          replacement: {
            digitalSigning: b64(textOf(t, 'ReplacementCertificates', 'SupplierOrNetworkOperatorCertificates', 'DigitalSigningCertificate')),
            keyAgreement: b64(textOf(t, 'ReplacementCertificates', 'SupplierOrNetworkOperatorCertificates', 'KeyAgreementCertificate')),
          },
          certificationPath: [b64(textOf(t, 'CertificationPathCertificates', 'Certificate'))],
          timeBasedChecks: true,
        },
        4,
      ),
      f,
    );
  });

  it('8.13 Return Local Command Response (CV 8, to the DCC)', () => {
    const f = '8.13_RETURN_LOCAL_COMMAND_RESPONSE_CS06_REQUEST_DUIS.XML';
    const t = parseDuisRequest(template(f));
    sameAs(
      returnLocalCommandResponse(
        { user: SUPPLIER, dcc: t.header.requestId.target, counter: t.header.requestId.counter },
        { originator: SUPPLIER, target: '00DB1234567890A0' as Eui, counter: 1000n },
        b64(textOf(t.body, 'DeviceGBCSResponse')),
      ),
      f,
    );
  });

  it("8.14.3 and 8.14.4 hub returns (the returns export) have the templates' structure once signed", () => {
    const signer = xmlSignKeys().signers.get(SUPPLIER)!;
    for (const f of ['8.14.3_COMMUNICATIONS_HUB_STATUS_UPDATE_FAULT_RETURN_REQUEST_DUIS.XML', '8.14.4_COMMUNICATIONS_HUB_STATUS_UPDATE_NO_FAULT_RETURN_REQUEST_DUIS.XML']) {
      const t = parseDuisRequest(template(f));
      const names = (e: DuisElement) => (e.children ?? []).map((c) => c.name);
      const built = parseDuisRequest(
        signDuis(
          buildHubReturnDuis({
            user: SUPPLIER,
            dcc: t.header.requestId.target,
            counter: t.header.requestId.counter,
            deviceId: textOf(t.body, 'DeviceID').replaceAll('-', '') as Eui,
            body:
              t.header.serviceReferenceVariant === '8.14.3'
                ? {
                    variant: '8.14.3',
                    faultReturnType: textOf(t.body, 'CHFFaultReturnType') as 'Fault identified post installation',
                    faultReason: textOf(t.body, 'CHFFaultReason'),
                    otherDeviceId: textOf(t.body, 'OtherDeviceID').replaceAll('-', '') as Eui,
                    connectionMethod: textOf(t.body, 'CHFConnectionMethod') as 'Hot-shoe',
                  }
                : { variant: '8.14.4', noFaultReturnType: textOf(t.body, 'CHFNoFaultReturnType') },
          }),
          signer,
        ),
      );
      assert.deepEqual(built.header, t.header, f);
      assert.equal(built.body.name, t.body.name, f);
      // Every element meterops writes is one the template has, in the template's order.
      const want = names(t.body);
      const got = names(built.body);
      assert.deepEqual(
        got,
        want.filter((n) => got.includes(n)),
        f,
      );
    }
  });

  it('the built requests, signed, are valid against the DUIS schema', { skip: skipDuisValidation() }, async () => {
    const signer = xmlSignKeys().signers.get(SUPPLIER)!;
    for (const r of [
      enableSupply(to('ECS42_7.1_SUCCESS_REQUEST_DUIS.XML')),
      disableSupply(to('ECS43_7.2_SUCCESS_REQUEST_DUIS.XML')),
      topUpDevice({ user: SUPPLIER, device: '00DB1234567890A0' as Eui, counter: 12884901888n }, '73946144332040217315'),
    ]) {
      await validateDuisSchema(signDuis(writeDuisRequest(r), signer), DUIS_XSD);
    }
  });
});
