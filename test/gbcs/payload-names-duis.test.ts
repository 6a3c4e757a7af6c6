import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fromHex } from '../../src/gbcs/byte-reader.ts';
import { decodeFrame } from '../../src/gbcs/decode-frame.ts';
import type { GeneralSigningApdu } from '../../src/gbcs/frame.ts';
import { decodePayload } from '../../src/gbcs/payloads/decode-payload.ts';
import { findNode, namedByteCount, walk, type PayloadNode } from '../../src/gbcs/payloads/payload-tree.ts';
import { payloadKeysFor } from '../../src/gbcs/payload-keys-for.ts';
import { FileKeyStore } from '../../src/keys/file-key-store.ts';
import { DCCBOXED, KEYSTORE_DIR, RTDS_DIR, SKIP_DCCBOXED } from '../support/reference.ts';

/*
 * Known answers for the fields named from the DUIS request templates: each expected value is read
 * from the template the RTDS frame was made from (its RequestID, its body), not from the decoder.
 */
function apduOf(dirSuffix: string, file: RegExp): GeneralSigningApdu {
  const dir = readdirSync(RTDS_DIR).find((d) => d.endsWith(dirSuffix))!;
  const name = readdirSync(join(RTDS_DIR, dir)).find((f) => file.test(f))!;
  return decodeFrame(fromHex(readFileSync(join(RTDS_DIR, dir, name), 'utf8'))).apdu;
}

/** The text of one element of a DUIS template, e.g. `RequestID`. */
function duis(template: string, element: string): string {
  const xml = readFileSync(join(DCCBOXED, 'duis-templates', template), 'utf8');
  const m = new RegExp(`<sr:${element}>([^<]*)</sr:${element}>`).exec(xml);
  assert.ok(m, `${element} in ${template}`);
  return m[1]!;
}
/** The counter part of a DUIS RequestID (`originator:target:counter`), the GBCS originator counter. */
const requestCounter = (template: string) => duis(template, 'RequestID').split(':')[2]!;
const euiOf = (duisEui: string) => duisEui.replace(/-/g, '');
const generalized = (iso: string) => iso.replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');

function allNamed(a: GeneralSigningApdu, root: PayloadNode): void {
  assert.equal(namedByteCount(root, a.content.length), a.content.length, 'every byte in a named field');
}

describe('payload names checked against the DUIS templates and the Blue Book', { skip: SKIP_DCCBOXED }, () => {
  it('ECS01a future-dated alert 8F66: the command reference is the request message code and RequestID counter', () => {
    const a = apduOf('_ECS01a', /8F66_FUTURE_DATED_TOU_BLOCK_SUCCESS_ALERT_CURRENCY_UNIT/);
    const { root } = decodePayload(a);
    const ref = findNode(root, 'future-dated command')!;
    // The RTDS ECS01a command frames carry message code 0x0019 (message-codes.ts names it ECS01a).
    assert.equal(findNode(ref, 'message code')?.value, 0x0019);
    assert.equal(findNode(ref, 'originator counter')?.value, requestCounter('ECS01a_1.1.1_FUTURE_DATED_TOU_BLOCK_SUCCESS_REQUEST_DUIS.XML'));
    allNamed(a, root);
  });

  it('ECS08 future-dated alert: counter of its RequestID', () => {
    const a = apduOf('_ECS08', /8F66_FUTURE_DATED_SUCCESS_ALERT_CALENDAR/);
    const { root } = decodePayload(a);
    assert.equal(findNode(root, 'originator counter')?.value, requestCounter('ECS08_2.1_FUTURE_DATED_SUCCESS_REQUEST_DUIS.XML'));
    allNamed(a, root);
  });

  it('SET and ACTION responses: each null-data in the response list is "no data"', () => {
    const a = apduOf('_ECS04a', /^ECS04a_1.5_SUCCESS_RESPONSE/);
    const { root } = decodePayload(a);
    assert.equal(findNode(root, 'no data')?.type, 'null-data');
    allNamed(a, root);
  });

  it('GCS28 command: validity interval from CurrentDateTime to CurrentDateTime + TolerancePeriod', () => {
    const a = apduOf('_GCS28', /^GCS28_6.11_SUCCESS_COMMAND/);
    const { root } = decodePayload(a);
    const t = 'GCS28_6.11_SUCCESS_REQUEST_DUIS.XML';
    const start = duis(t, 'CurrentDateTime');
    const end = new Date(Date.parse(start) + Number(duis(t, 'TolerancePeriod')) * 1000).toISOString();
    assert.equal(findNode(root, /^validity interval start/)?.value, generalized(start));
    assert.equal(findNode(root, /^validity interval end/)?.value, generalized(end));
    allNamed(a, root);
  });

  it('ECS20b command: the Data protection restriction by date is the ReadLogPeriod (Blue Book date_restriction)', () => {
    const a = apduOf('_ECS20b', /^ECS20b_4.4.2_SINGLE_SUCCESS_COMMAND/);
    const { root } = decodePayload(a);
    const t = 'ECS20b_4.4.2_SINGLE_SUCCESS_REQUEST_DUIS.XML';
    assert.equal(findNode(root, 'restriction_type')?.text, 'by date');
    assert.equal(findNode(root, /^from \(from_date/)?.text, duis(t, 'StartDateTime').replace(/\.\d+Z$/, ''));
    assert.equal(findNode(root, /^to \(to_date/)?.text, duis(t, 'EndDateTime').replace(/\.\d+Z$/, ''));
    allNamed(a, root);
  });

  it('ECS70 command: Clock preset_adjusting_time validity interval is CurrentDateTime to CurrentDateTime + TolerancePeriod', () => {
    const a = apduOf('_ECS70', /^ECS70_6.11_SUCCESS_COMMAND/);
    const { root } = decodePayload(a);
    const t = 'ECS70_6.11_SUCCESS_REQUEST_DUIS.XML';
    const start = duis(t, 'CurrentDateTime');
    const end = new Date(Date.parse(start) + Number(duis(t, 'TolerancePeriod')) * 1000).toISOString();
    assert.equal(findNode(root, 'validity_interval_start')?.text, start.replace(/\.\d+Z$/, ''));
    assert.equal(findNode(root, 'validity_interval_end')?.text, end.replace(/\.\d+Z$/, ''));
    allNamed(a, root);
  });

  it('ECS17b protected response: each number before a scaler_unit is the value it qualifies (Blue Book Register), named as ReadInstantaneousImportRegistersRsp names it', async () => {
    const a = apduOf('_ECS17b', /^ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE/);
    const { root } = decodePayload(a, await payloadKeysFor(a, new FileKeyStore(KEYSTORE_DIR)));
    const values = [...walk(root)].map((w) => w.node).filter((n) => n.name === 'ActiveImportRegister' || n.name === 'ReactiveImportRegister');
    assert.deepEqual(
      values.map((v) => v.name),
      ['ActiveImportRegister', 'ReactiveImportRegister'],
    );
    // Read in kWh from Wh with scaler 0: value x 10^0 / 1000, computed here from the raw value.
    assert.equal(values[0]!.text, `${Number(values[0]!.value) / 1000} kWh`);
    allNamed(a, root);
  });

  it('CS04AC unjoin command: the OtherDeviceID', () => {
    const a = apduOf('_CS04ACCritical', /^CS04ACCritical_8.8.1_SUCCESS_COMMAND/);
    const { root } = decodePayload(a);
    assert.equal(root.name, 'other device id');
    assert.equal(root.value, euiOf(duis('CS04ACCritical_8.8.1_SUCCESS_REQUEST_DUIS.XML', 'OtherDeviceID')));
  });

  it('CS06 future-dated alert: execution date-time and originator counter of the request', () => {
    const a = apduOf('_CS06', /^CS06_11.3_8F66_FUTURE_DATED_SUCCESS_ALERT/);
    const { root } = decodePayload(a);
    const t = 'CS06_11.3_FUTURE_DATED_SUCCESS_REQUEST_DUIS.XML';
    assert.equal(findNode(root, 'execution date-time')?.value, generalized(duis(t, 'ExecutionDateTime')));
    assert.equal(String(findNode(root, 'originator counter of the command')?.value), requestCounter(t));
    assert.equal(findNode(root, 'alert code')?.value, 0x8f66);
    allNamed(a, root);
  });

  it('CS08 (ReadFirmwareVersion, no body) and CS07 commands: a bare NULL', () => {
    assert.match(readFileSync(join(DCCBOXED, 'duis-templates', 'CS08_11.2_SUCCESS_REQUEST_DUIS.XML'), 'utf8'), /<sr:ReadFirmwareVersion\/>/);
    const { root } = decodePayload(apduOf('_CS08', /^CS08_11.2_SUCCESS_COMMAND/));
    assert.equal(root.name, 'no parameters (NULL)');
    assert.equal(root.named, true);
  });

  it('CS02e command: CredentialType Digital Signature is keyUsage digitalSignature (bit 0: 03 02 07 80)', () => {
    assert.equal(duis('CS02e_6.24.2_SUCCESS_REQUEST_DUIS.XML', 'CredentialType'), 'Digital Signature');
    const a = apduOf('_CS02e', /^CS02e_6.24.2_SUCCESS_COMMAND/);
    const { root } = decodePayload(a);
    assert.equal(findNode(root, 'credential type (key usage)')?.value, '0780');
    allNamed(a, root);
  });

  it('CS02c response: an RFC 2986 certification request for the device named in its subjectAltName', () => {
    const a = apduOf('_CS02c', /^CS02c_6.17_SUCCESS_RESPONSE/);
    const { root } = decodePayload(a);
    assert.equal(root.name, 'certification request');
    assert.equal(findNode(root, 'version')?.text, 'v1');
    // The request's target (the ESME of the DCC Boxed identities, README) is the hwSerialNum.
    assert.equal(findNode(root, /^hwSerialNum/)?.value, euiOf(duis('CS02c_6.17_SUCCESS_REQUEST_DUIS.XML', 'RequestID').split(':')[1]!));
    allNamed(a, root);
  });
});
