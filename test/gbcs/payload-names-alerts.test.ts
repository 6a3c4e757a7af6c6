import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findNode } from '../../src/gbcs/payloads/payload-tree.ts';
import { RTDS_DIR, SKIP_DCCBOXED } from '../support/reference.ts';
import { allNamed, duisValue, euiHex, nodes, rtdsDecoded, xsdElements, xsdTypeText } from '../support/duis-reference.ts';

/*
 * Device alert bodies and GB object values named as the DCC's DUIS response schema names them
 * (mmc-5.4.xsd): the alert each type is "Returned by" is read from the schema's own comment, the
 * names from its element lists. The RTDS has no DUIS template for an alert, so values are checked
 * against the schema's ranges and against the frame's bytes read here independently.
 */
/** The frame's Content (as the frame parser cuts it) in hex: the bytes a body is checked against. */
const contentHex = (a: { content: Uint8Array }): string => Buffer.from(a.content).toString('hex').toUpperCase();
const returnedBy = (type: string, code: string) =>
  assert.match(xsdTypeText('mmc-5.4.xsd', type), new RegExp(`Returned by device alerts? [^-]*${code}`), `${type} returned by ${code}`);
const integerRange = (type: string): [number, number] => {
  const xsd = readFileSync(join(RTDS_DIR, '..', 'duis-schema', 'mmc-5.4.xsd'), 'utf8');
  const at = xsd.indexOf(`<xs:simpleType name="${type}">`);
  const body = xsd.slice(at, xsd.indexOf('</xs:simpleType>', at));
  return [Number(/minInclusive value="(\d+)"/.exec(body)![1]), Number(/maxInclusive value="(\d+)"/.exec(body)![1])];
};

describe('device alert bodies named as DUIS DeviceAlertMessagePayload names them', { skip: SKIP_DCCBOXED }, () => {
  it('ECS80 0x8F36: interruptionValue then restorationValue (SupplyOutageRestoreAlertType)', async () => {
    returnedBy('SupplyOutageRestoreAlertType', '0x8F36');
    const { a, root } = await rtdsDecoded('_ECS80', /8F36_ALERT/);
    const [interruption, restoration] = xsdElements('mmc-5.4.xsd', 'SupplyOutageRestoreAlertType').map((n) => findNode(root, n)!);
    // xs:dateTime: both read as DLMS date-times, the outage before the restoration.
    assert.ok(interruption!.text! < restoration!.text!, `${interruption!.text} before ${restoration!.text}`);
    allNamed(a, root);
  });

  it('ECS100 0x8F85: MessageCodeofCommandReceived and OriginatorCounterfromCommandReceived (CommandNotSupportedbyDevice)', async () => {
    returnedBy('CommandNotSupportedbyDevice', '0x8F85');
    const { a, root } = await rtdsDecoded('_ECS100', /^ECS100_NA_8F85_ALERT/);
    const body = findNode(root, 'CommandNotSupportedbyDevice')!;
    assert.deepEqual(
      body.children!.slice(1).map((c) => c.name),
      xsdElements('mmc-5.4.xsd', 'CommandNotSupportedbyDevice'),
    );
    // The body's 10 octets, the last of the Content, read here from its hex.
    const octets = contentHex(a).slice(-20);
    assert.equal(findNode(body, 'MessageCodeofCommandReceived')!.value, Number.parseInt(octets.slice(0, 4), 16));
    assert.equal(findNode(body, 'OriginatorCounterfromCommandReceived')!.value, BigInt(`0x${octets.slice(4, 20)}`).toString());
    allNamed(a, root);
  });

  it('ECS101 0x8F86 and ECS102 0x8F87: AuxiliaryControllerN in 1..5, ResultingLevel in 0..100, input alerts flagged', async () => {
    returnedBy('LimitAPCLevelCommandProcessedDeviceAlert', '0x8F86');
    returnedBy('LimitAPCLevelEndedDeviceAlert', '0x8F87');
    const [nMin, nMax] = integerRange('range_1_5');
    const [lMin, lMax] = integerRange('AuxiliaryControllerLevel');
    for (const [dir, file] of [
      ['_ECS101', /8F86_INPUT/],
      ['_ECS101', /8F86_OUTPUT/],
      ['_ECS102', /8F87_INPUT/],
      ['_ECS102', /8F87_OUTPUT/],
    ] as const) {
      const { a, root } = await rtdsDecoded(dir, file);
      const aux = findNode(root, 'AuxiliaryControllerN and InputFromControlledLoad')!;
      const n = Number(/AuxiliaryControllerN (\d+)/.exec(aux.text!)![1]);
      assert.ok(n >= nMin && n <= nMax, `${n} in range_1_5`);
      assert.equal(/InputFromControlledLoad/.test(aux.text!), /INPUT/.test(String(file)), aux.text);
      const level = Number(findNode(root, 'ResultingLevel')!.value);
      assert.ok(level >= lMin && level <= lMax, `${level} in AuxiliaryControllerLevel`);
      allNamed(a, root);
    }
    const { root } = await rtdsDecoded('_ECS101', /8F86_INPUT/);
    for (const e of ['APCLimitPeriodStart', 'APCLimitPeriodEnd'])
      assert.ok(xsdElements('mmc-5.4.xsd', 'LimitAPCLevelCommandProcessedDeviceAlert').includes(e) && findNode(root, e)?.text, e);
    assert.ok(findNode(root, 'APCLimitPeriodStart')!.text! < findNode(root, 'APCLimitPeriodEnd')!.text!);
  });

  it('ECS200 0x8F88: OperationalUpdateDeviceAlert carries OutputState and InputState within AuxiliaryControllerLevel', async () => {
    returnedBy('OperationalUpdateDeviceAlert', '0x8F88');
    const { a, root } = await rtdsDecoded('_ECS200', /8F88_ALERT/);
    const state = JSON.parse(String(findNode(root, 'OperationalUpdateDeviceAlert')!.value)) as Record<string, string>;
    const [lMin, lMax] = integerRange('AuxiliaryControllerLevel');
    for (const e of ['OutputState', 'InputState']) {
      assert.ok(xsdElements('mmc-5.4.xsd', 'OperationalUpdateDeviceAlert').includes(e));
      const v = Number(state[e[0]!.toLowerCase() + e.slice(1)]);
      assert.ok(v >= lMin && v <= lMax, `${e} ${v}`);
    }
    allNamed(a, root);
  });

  it('FDRA 0x8F72, DLMS and ZigBee: the 32-octet ManufacturerImageHash (FirmwareVerificationDeviceAlertType)', async () => {
    returnedBy('FirmwareVerificationDeviceAlertType', '0x8F72');
    assert.deepEqual(xsdElements('mmc-5.4.xsd', 'FirmwareVerificationDeviceAlertType'), ['ManufacturerImageHash']);
    for (const dir of ['_FDRA-DLMS', '_FDRA-ZigBee']) {
      const { a, root } = await rtdsDecoded(dir, /8F72_ALERT/);
      const hash = findNode(root, 'ManufacturerImageHash')!;
      // The hash is the last 32 octets of the Content, after its octet-string tag and length (09 20).
      assert.equal(contentHex(a).slice(-68, -64), '0920');
      assert.equal(hash.value, contentHex(a).slice(-64));
      allNamed(a, root);
    }
  });

  it('MIIWA 0x81A0, DLMS and ZigBee: the Warning (SmartMeterIntegrityIssueWarningDeviceAlertType), the same in both', async () => {
    returnedBy('SmartMeterIntegrityIssueWarningDeviceAlertType', '0x81A0');
    const warnings: unknown[] = [];
    for (const dir of ['_MIIWA-DLMS', '_MIIWA-ZigBee']) {
      const { a, root } = await rtdsDecoded(dir, /81A0_ALERT/);
      const w = findNode(root, 'Warning')!;
      const value = typeof w.value === 'number' ? w.value : Number.parseInt(String(w.value), 16);
      assert.equal(value, Number.parseInt(contentHex(a).slice(-4), 16));
      warnings.push(value);
      allNamed(a, root);
    }
    assert.equal(warnings[0], warnings[1]);
  });

  it('DBCH07 0x8F26: SubGHzChannelChanged, its OperatingSubGHzChannel one channel of a channel set as DBCH04 sets them', async () => {
    assert.deepEqual(xsdElements('duis-5.4.xsd', 'SubGHzChannelChanged'), ['OperatingSubGHzChannel', 'ScanTrigger']);
    const { a, root } = await rtdsDecoded('_DBCH07', /8F26/);
    const mask = Number.parseInt(String(findNode(root, 'OperatingSubGHzChannel')!.value), 16);
    // The top five bits name the channel page (28 for the lower band's first set, as in the DBCH04 test); one channel bit set.
    assert.equal(mask >>> 27, 28);
    assert.equal((mask & 0x07ffffff).toString(2).replace(/0/g, '').length, 1);
    allNamed(a, root);
  });

  it('DBCH08 0x8F28: SubGHzChannelScanRequestAssessmentOutcome {StatusCode, ScanTrigger}', async () => {
    const { a, root } = await rtdsDecoded('_DBCH08', /8F28/);
    assert.deepEqual(
      findNode(root, 'SubGHzChannelScanRequestAssessmentOutcome')!.children!.map((c) => c.name),
      xsdElements('duis-5.4.xsd', 'SubGHzChannelScanRequestAssessmentOutcome'),
    );
    allNamed(a, root);
  });

  it('DBCH10 0x8F2C: MessageDiscardedDueToDutyCycleManagement, a DUIS RequestID and its CRAFlag', async () => {
    assert.deepEqual(xsdElements('duis-5.4.xsd', 'MessageDiscarded'), ['RequestID', 'CRAFlag']);
    const { a, root } = await rtdsDecoded('_DBCH10', /8F2C/);
    const body = findNode(root, 'MessageDiscardedDueToDutyCycleManagement')!;
    const id = [findNode(body, 'RequestID originator')!.value, findNode(body, 'RequestID target')!.value, findNode(body, 'RequestID counter')!.value];
    // The RequestID of the DUIS request the discarded command was made for (originator:target:counter).
    assert.equal(euiHex(duisValue('CS02aMAC_6.24.1_SUCCESS_REQUEST_DUIS.XML', 'RequestID').split(':').slice(0, 2).join(':')), `${id[0]}:${id[1]}`);
    assert.equal(duisValue('CS02aMAC_6.24.1_SUCCESS_REQUEST_DUIS.XML', 'RequestID').split(':')[2], id[2]);
    assert.equal(findNode(body, 'CRAFlag')!.text, 'Command');
    allNamed(a, root);
  });

  it('DBCH06 0x8F20 and DBCH11 0x8F2D: a lone EUI fits two DualBandCHAlert bodies, so stays not named, with why', async () => {
    for (const [dir, file] of [
      ['_DBCH06', /8F20/],
      ['_DBCH11', /8F2D/],
    ] as const) {
      const { root } = await rtdsDecoded(dir, file);
      const n = findNode(root, 'alert data')!;
      assert.equal(n.named, false);
      assert.match(n.note!, /DeviceIDToSuspend.*NoMoreSubGHzDeviceCapacity/);
      for (const e of ['LimitedDutyCycleActionTaken', 'DeviceNotJoinedSubGHzSMHAN']) assert.ok(xsdElements('duis-5.4.xsd', e).length > 0, e);
    }
  });

  it('CCS08 0x8F8A: FirmwareTransferAlert, its OtherDeviceID the PPMID of the SR 11.4 Update PPMID Firmware template', async () => {
    assert.deepEqual(xsdElements('duis-5.4.xsd', 'FirmwareTransferAlert').slice(1), ['OtherDeviceID', 'FirmwareVersion', 'TransferResponseCode']);
    const { a, root } = await rtdsDecoded('_CCS08', /ALERT/);
    assert.equal(findNode(root, 'OtherDeviceID')!.value, euiHex(duisValue('11.4_UPDATE_PPMID_FIRMWARE_REQUEST_DUIS.XML', 'DeviceIDList')));
    // FirmwareVersion: at most 8 characters in DUIS, as the template's 00000000.
    assert.equal(String(findNode(root, 'FirmwareVersion')!.value).length, duisValue('11.4_UPDATE_PPMID_FIRMWARE_REQUEST_DUIS.XML', 'FirmwareVersion').length);
    allNamed(a, root);
  });

  it('CS09 0x8F8B: PPMIDFirmwareUpgradeAlert {FirmwareVersion, ActivateImageResultCode}', async () => {
    const { a, root } = await rtdsDecoded('_CS09', /8F8B/);
    assert.deepEqual(
      root.children!.slice(2).map((c) => c.name),
      xsdElements('duis-5.4.xsd', 'PPMIDFirmwareUpgradeAlert'),
    );
    assert.equal(String(findNode(root, 'FirmwareVersion')!.value).length, 8);
    allNamed(a, root);
  });
});

describe('GB object values named as the DUIS response of their use case names them', { skip: SKIP_DCCBOXED }, () => {
  it('ECS19 (SR 4.3): the six values of 0-0:94.44.34.30 are ReadInstantaneousPrepayValuesRsp, in order', async () => {
    const { a, root } = await rtdsDecoded('_ECS19', /^ECS19_4.3_SUCCESS_RESPONSE/);
    const v = findNode(root, /^instantaneous prepay values of /)!;
    assert.deepEqual(
      v.children!.map((c) => c.name),
      xsdElements('mmc-5.4.xsd', 'ReadInstantaneousPrepayValuesRsp'),
    );
    allNamed(a, root);
  });

  it('ECS17c (SR 4.16): ActivePowerImport (value and unit), then PrimaryActivePowerImportValue', async () => {
    const { a, root } = await rtdsDecoded('_ECS17c', /^ECS17c_4.16_SUCCESS_RESPONSE/);
    const [power, primary] = xsdElements('mmc-5.4.xsd', 'ReadActivePowerImportRsp');
    assert.deepEqual(xsdElements('mmc-5.4.xsd', 'ActivePowerImportType'), ['Value', 'Unit']);
    assert.match(findNode(root, power!)!.text!, / kW$/);
    assert.equal(typeof findNode(root, primary!)!.value, 'number');
    allNamed(a, root);
  });

  it('ECS17b twin (SR 4.1.1): ActiveImportRegister, ReactiveImportRegister, then SecondaryActiveImportRegister', async () => {
    const { a, root } = await rtdsDecoded('_ECS17b', /^ECS17b_4.1.1_TWIN_SUCCESS_RESPONSE/);
    const names = xsdElements('mmc-5.4.xsd', 'ReadInstantaneousImportRegistersRsp').filter((n) => /ImportRegister$/.test(n));
    assert.deepEqual(names, ['ActiveImportRegister', 'ReactiveImportRegister', 'SecondaryActiveImportRegister']);
    for (const n of names) assert.equal(findNode(root, n)?.named, true, n);
    allNamed(a, root);
  });

  it('ECS27 (SR 4.15): the boolean is LoadLimitSupplyState, the one ReadLoadLimitDataRsp element the Limiter values leave', async () => {
    const { a, root } = await rtdsDecoded('_ECS27', /^ECS27_4.15_SUCCESS_RESPONSE/);
    assert.ok(xsdElements('mmc-5.4.xsd', 'ReadLoadLimitDataRsp').includes('LoadLimitSupplyState'));
    assert.equal(findNode(root, /^LoadLimitSupplyState/)?.type, 'boolean');
    allNamed(a, root);
  });

  it('ECS24 and ECS26a: GB-class values the DUIS response does not single out stay not named, with why', async () => {
    for (const [dir, file] of [
      ['_ECS24', /^ECS24_4.11.1_SUCCESS_RESPONSE/],
      ['_ECS26a', /^ECS26a_4.13_SINGLE_SUCCESS_RESPONSE/],
    ] as const) {
      const { root } = await rtdsDecoded(dir, file);
      const unnamed = nodes(root, /./).filter((n) => !n.named);
      assert.ok(unnamed.length > 0, dir);
      for (const n of unnamed) assert.match(n.note ?? '', /class 9000 is GB-specific/, dir);
    }
  });
});
