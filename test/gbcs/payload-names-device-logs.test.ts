import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findNode } from '../../src/gbcs/payloads/payload-tree.ts';
import { SKIP_DCCBOXED } from '../support/reference.ts';
import { allNamed, duisChildren, duisValue, euiHex, nodes, rtdsDecoded, xsdElements } from '../support/duis-reference.ts';

/*
 * The CHF and GPF device logs and the CHF Sub GHz configuration, named as the DCC's DUIS schemas
 * name them: each expected name is read from the schema (duis-5.4.xsd, mmc-5.4.xsd) and each
 * expected value from the DUIS request template the RTDS frame was made from, never from the decoder.
 */
const CCS01 = 'CCS01_8.11_SUCCESS_REQUEST_DUIS.XML';
const DBCH04 = 'DBCH04_6.28_SUCCESS_REQUEST_DUIS.XML';

/** The channels a 32-bit channel set of the RTDS carries: bit n is the set's n-th channel from its first. */
function channelsOf(maskHex: string, first: number): number[] {
  const mask = Number.parseInt(maskHex, 16) & 0x07ffffff;
  return Array.from({ length: 27 }, (_, n) => n)
    .filter((n) => mask & (1 << n))
    .map((n) => first + n);
}
const channelNumbers = (template: string, set: string) => duisChildren(template, set).map((c) => Number(c.replace('Channel', '')));

describe('CHF Sub GHz configuration named as DUIS SubGHzConfiguration (SR 6.28, 6.30)', { skip: SKIP_DCCBOXED }, () => {
  const expectConfiguration = (root: Parameters<typeof findNode>[0], template: string) => {
    const config = findNode(root, /SubGHzConfiguration/)!;
    assert.deepEqual(
      config.children!.map((c) => c.name),
      xsdElements('duis-5.4.xsd', 'SubGHzConfiguration'),
    );
    const sets: Array<[string, number]> = [
      ['LowerBandSubGHzChannels0To26', 0],
      ['LowerBandSubGHzChannels27To34', 27],
      ['LowerBandSubGHzChannels35To61', 35],
      ['UpperBandSubGHzChannels0To26', 0],
    ];
    for (const [set, first] of sets) assert.deepEqual(channelsOf(String(findNode(config, set)!.value), first), channelNumbers(template, set), set);
    for (const c of config.children!.slice(4)) assert.equal(Number(c.text ?? c.value), Number(duisValue(template, c.name)), c.name);
  };

  it('DBCH04 command: the fifteen values are those of its DUIS template, in the schema order', async () => {
    const { a, root } = await rtdsDecoded('_DBCH04', /^DBCH04_6.28_SUCCESS_COMMAND/);
    expectConfiguration(root, DBCH04);
    allNamed(a, root);
  });

  it('DBCH09 alert raised by DBCH04: the configuration as set, the same values as the DBCH04 template', async () => {
    const { a, root } = await rtdsDecoded('_DBCH04', /DBCH09/);
    expectConfiguration(root, DBCH04);
    allNamed(a, root);
  });

  it('DBCH03 response: named as ReadCHFSubGHzConfigurationRsp names its elements', async () => {
    const { a, root } = await rtdsDecoded('_DBCH03', /^DBCH03_6.30_SUCCESS_RESPONSE/);
    assert.deepEqual(
      findNode(root, /SubGHzConfiguration/)!.children!.map((c) => c.name),
      xsdElements('mmc-5.4.xsd', 'ReadCHFSubGHzConfigurationRsp'),
    );
    allNamed(a, root);
  });
});

describe('CHF device logs named as DUIS ReadDeviceLogRsp and UpdateHANDeviceLog (SR 8.9, 8.11, 8.12.1)', { skip: SKIP_DCCBOXED }, () => {
  it('CCS01 command: register_device carries the DeviceID and InstallCode of its template, then the JoinTimePeriod is set; the enums are not named, with why', async () => {
    const { root } = await rtdsDecoded('_CCS01', /^CCS01_8.11_SUCCESS_COMMAND/);
    assert.equal(findNode(root, 'DeviceID')?.value, euiHex(duisValue(CCS01, 'DeviceID')));
    assert.equal(findNode(root, 'InstallCode')?.value, duisValue(CCS01, 'InstallCode'));
    assert.equal(findNode(root, 'JoinTimePeriod')?.value, Number(duisValue(CCS01, 'JoinTimePeriod')));
    assert.ok(xsdElements('duis-5.4.xsd', 'AddDeviceToCHFWhitelist').includes('InstallCode'));
    const enums = nodes(root, 'enum');
    assert.equal(enums.length, 2);
    for (const e of enums) assert.ok(!e.named && /UpdateHANDeviceLog/.test(e.note ?? ''), e.note);
  });

  it('CCS05CCS04 and CCS06 responses: CHFDeviceLogEntry DeviceID (the device CCS01 added) and LastCommunicationsDateTime', async () => {
    assert.deepEqual(xsdElements('mmc-5.4.xsd', 'CHFDeviceLogEntry').slice(0, 2), ['DeviceID', 'LastCommunicationsDateTime']);
    for (const uc of ['CCS05CCS04', 'CCS06']) {
      const { root } = await rtdsDecoded(`_${uc}`, new RegExp(`^${uc}_8.9_SUCCESS_RESPONSE`));
      const entries = nodes(root, /^CHFDeviceLogEntry \d+$/);
      assert.equal(entries.length, 2, uc);
      assert.equal(findNode(entries[0]!, 'DeviceID')?.value, euiHex(duisValue(CCS01, 'DeviceID')));
      // xs:dateTime in DUIS: a DLMS date-time read as one.
      for (const e of entries) assert.match(findNode(e, 'LastCommunicationsDateTime')!.text!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
      const others = e0Others(entries[0]!);
      assert.equal(others.length, 12);
      for (const o of others) assert.match(o.note ?? '', /SubGHzLinkQuality/);
    }
  });

  it('CCS07 response: CHFCurrentConnectedDeviceLogEntry then CHFHistoricConnectedDeviceLogEntry, each DeviceID and 32-character DeviceSecurityDetails', async () => {
    const { root } = await rtdsDecoded('_CCS07', /^CCS07_8.9_SUCCESS_RESPONSE/);
    const [current, historic] = xsdElements('mmc-5.4.xsd', 'CHFConnectedDeviceLogType');
    assert.deepEqual(xsdElements('mmc-5.4.xsd', 'CHFConnectedDeviceLogEntry'), ['DeviceID', 'DeviceSecurityDetails']);
    assert.equal(nodes(root, new RegExp(`^${current} \\d+$`)).length, 2);
    assert.equal(nodes(root, new RegExp(`^${historic} \\d+$`)).length, 2);
    assert.equal(nodes(root, 'DeviceID')[0]!.value, euiHex(duisValue(CCS01, 'DeviceID')));
    // DeviceSecurityDetails: xs:string of maxLength 32 in DUIS, so 16 octets shown as hex.
    for (const d of nodes(root, 'DeviceSecurityDetails')) assert.equal(String(d.value).length, 32);
    const logs = nodes(root, /^CHFConnectedDeviceLog of /);
    assert.equal(logs.length, 2);
    for (const n of logs.flatMap((l) => l.children!.slice(0, 2))) assert.ok(!n.named && /CHFConnectedDeviceLog/.test(n.note ?? ''), n.name);
  });

  it('CCS03 command and CS14 alert: the same entries as CCS07 reads, named the same', async () => {
    const ccs07 = (await rtdsDecoded('_CCS07', /^CCS07_8.9_SUCCESS_RESPONSE/)).root;
    const current = nodes(ccs07, /^CHFCurrentConnectedDeviceLogEntry \d+$/).map((e) => e.children!.map((c) => c.value));
    for (const [dir, file] of [
      ['_CCS03', /^CCS03_8.12.1_SUCCESS_COMMAND/],
      ['_CS14', /8F12_ALERT/],
    ] as const) {
      const { root } = await rtdsDecoded(dir, file);
      const entries = nodes(root, /^CHFConnectedDeviceLogEntry \d+$/);
      assert.deepEqual(
        entries.map((e) => e.children!.map((c) => c.value)),
        current,
        dir,
      );
      assert.deepEqual(
        entries[0]!.children!.map((c) => c.name),
        ['DeviceID', 'DeviceSecurityDetails'],
      );
    }
  });
});

function e0Others(entry: { children?: readonly { name: string; named: boolean; note?: string }[] }) {
  return (entry.children ?? []).filter((c) => c.name !== 'DeviceID' && c.name !== 'LastCommunicationsDateTime');
}

describe('GPF device log named as DUIS DeviceLogEntry and RestoreDeviceLogOutcome (SR 8.9, 8.12.2)', { skip: SKIP_DCCBOXED }, () => {
  it('CS07 response: result, then LogEntry {DeviceID, DeviceType}', async () => {
    const { a, root } = await rtdsDecoded('_CS07', /^CS07_8.9_SUCCESS_RESPONSE/);
    assert.deepEqual(xsdElements('mmc-5.4.xsd', 'DeviceLogEntry'), ['DeviceID', 'DeviceType']);
    assert.equal(findNode(root, 'result')?.text, 'success');
    const entries = nodes(root, /^LogEntry \d+$/);
    assert.equal(entries.length, 3);
    for (const e of entries)
      assert.deepEqual(
        e.children!.map((c) => c.name),
        ['DeviceID', 'DeviceType'],
      );
    allNamed(a, root);
    const err = await rtdsDecoded('_CS07', /^CS07_8.9_ERROR_RESPONSE/);
    assert.equal(findNode(err.root, 'result')?.value, 1);
    allNamed(err.a, err.root);
  });

  it('GCS59: the command lists DeviceLogEntry, the response a RestoreDeviceLogOutcome for each with joinResponseCode success', async () => {
    assert.deepEqual(xsdElements('mmc-5.4.xsd', 'RestoreDeviceLogOutcome'), ['DeviceLogEntry', 'joinResponseCode']);
    const cmd = await rtdsDecoded('_GCS59', /^GCS59_8.12.2_SUCCESS_COMMAND/);
    const rsp = await rtdsDecoded('_GCS59', /^GCS59_8.12.2_SUCCESS_RESPONSE/);
    const ids = (root: typeof cmd.root) => nodes(root, 'DeviceID').map((n) => n.value);
    assert.equal(ids(cmd.root).length, 2);
    assert.deepEqual(ids(rsp.root), ids(cmd.root));
    const outcomes = nodes(rsp.root, /^RestoreDeviceLogOutcome \d+$/);
    assert.equal(outcomes.length, 2);
    for (const o of outcomes) assert.equal(findNode(o, 'joinResponseCode')?.text, 'success');
    allNamed(cmd.a, cmd.root);
    allNamed(rsp.a, rsp.root);
  });

  it('GCS62 alert 0x8071: alert code, date-time, then the GPF DeviceLogEntries', async () => {
    const { a, root } = await rtdsDecoded('_GCS62', /8071_ALERT/);
    assert.equal(findNode(root, 'alert code')?.value, 0x8071);
    assert.equal(findNode(root, 'alert date-time')?.type, 'GeneralizedTime');
    assert.equal(nodes(root, /^DeviceLogEntry \d+$/).length, 6);
    allNamed(a, root);
  });

  it('CS03 join commands: the INTEGER after the other device id stays not named, with why', async () => {
    const { root } = await rtdsDecoded('_CS03A1', /^CS03A1_8.7.1_SUCCESS_COMMAND/);
    const n = findNode(root, 'INTEGER after the other device id')!;
    assert.equal(n.named, false);
    assert.match(n.note!, /OtherDeviceID/);
  });
});
