import { asBuffer, hex2 } from '../byte-reader.ts';
import { messageCodeName } from '../message-codes.ts';
import { SUB_GHZ_CONFIGURATION } from './chf-configuration-schema.ts';
import { CS14_ALERT_BODY } from './device-log-schemas.ts';
import type { DataSchema } from './dlms-data.ts';
import { field, hexRange, type PayloadNode } from './payload-tree.ts';

/*
 * The use-case data of device alerts after the alert code and date-time, named as the DCC's DUIS
 * response schema (mmc-5.4.xsd, DeviceAlertMessagePayload) names what each alert returns:
 * SupplyOutageRestoreAlertType (0x8F35..0x8F3C: interruptionValue, restorationValue),
 * CommandNotSupportedbyDevice (0x8F85: MessageCodeofCommandReceived,
 * OriginatorCounterfromCommandReceived), OperationalUpdateDeviceAlert (0x8F88),
 * LimitAPCLevelCommandProcessedDeviceAlert (0x8F86: APCLimitPeriodStart, APCLimitPeriodEnd,
 * AuxiliaryControllerN, ResultingLevel), LimitAPCLevelEndedDeviceAlert (0x8F87:
 * AuxiliaryControllerN, ResultingLevel), FirmwareVerificationDeviceAlertType (0x8F1C and 0x8F72:
 * ManufacturerImageHash) and SmartMeterIntegrityIssueWarningDeviceAlertType (0x81A0: Warning).
 * Keyed by the message code of the use case whose alerts carry them.
 */

/** AuxiliaryControllerN (1..5) in the low nibble; the high nibble tells an INPUT alert (2) from an OUTPUT one (1). */
const AUX_CONTROLLER: DataSchema = { name: 'AuxiliaryControllerN and InputFromControlledLoad' };
const RESULTING_LEVEL: DataSchema = { name: 'ResultingLevel' };

/*
 * The dual band CH alerts (DBCH06 to DBCH11) as duis-5.4.xsd DualBandCHAlert names their bodies,
 * each a choice of: LimitedDutyCycleActionTaken {DeviceIDToSuspend}, SubGHzChannelChanged
 * {OperatingSubGHzChannel, ScanTrigger}, SubGHzChannelScanRequestAssessmentOutcome {StatusCode,
 * ScanTrigger}, SubGHzConfigurationChanged (SubGHzConfiguration), MessageDiscardedDueToDutyCycle-
 * Management {RequestID, CRAFlag} and NoMoreSubGHzDeviceCapacity {DeviceID, DeviceType optional}.
 * Which alert code carries which DUIS does not say; a body is named where its shape fits one only:
 * a channel mask and a value (SubGHzChannelChanged), two one-octet values (the assessment outcome,
 * the one two-valued choice left), a configuration, a RequestID with its CRA flag. A lone EUI fits
 * two (DeviceIDToSuspend, NoMoreSubGHzDeviceCapacity DeviceID) and stays not named.
 */
const DBCH_EUI_ONLY = (code: string): DataSchema => ({
  name: 'alert data',
  unknown: `alert ${code} carries one EUI, and duis-5.4.xsd DualBandCHAlert has two bodies of one EUI (LimitedDutyCycleActionTaken DeviceIDToSuspend, NoMoreSubGHzDeviceCapacity DeviceID) without saying which alert code carries which; the GBCS alert table is not in the local material`,
});
const SUB_GHZ_CHANNEL_CHANGED: DataSchema = { name: 'SubGHzChannelChanged', members: [{ name: 'OperatingSubGHzChannel' }, { name: 'ScanTrigger' }] };
const SCAN_REQUEST_OUTCOME: DataSchema = { name: 'SubGHzChannelScanRequestAssessmentOutcome', members: [{ name: 'StatusCode' }, { name: 'ScanTrigger' }] };
const MESSAGE_DISCARDED: DataSchema = { name: 'MessageDiscardedDueToDutyCycleManagement' };
const CRA_FLAGS: Readonly<Record<number, string>> = { 1: 'Command', 2: 'Response', 3: 'Alert' };

export const DLMS_ALERT_BODIES: ReadonlyMap<number, readonly DataSchema[]> = new Map([
  [0x0018, CS14_ALERT_BODY],
  // ECS80 (0x8F36 and the other supply outage and restore alerts).
  [
    0x0067,
    [
      { name: 'interruptionValue', as: 'date-time' },
      { name: 'restorationValue', as: 'date-time' },
    ],
  ],
  [0x00ce, [{ name: 'ManufacturerImageHash' }]],
  [0x00f0, [{ name: 'Warning' }]],
  [0x0110, [DBCH_EUI_ONLY('0x8F20')]],
  [0x0111, [SUB_GHZ_CHANNEL_CHANGED]],
  [0x0112, [SCAN_REQUEST_OUTCOME]],
  // DBCH09 (0x8F2A), raised by DBCH04: the configuration as set, the same fifteen values as the command.
  [0x0113, [SUB_GHZ_CONFIGURATION]],
  [0x0114, [MESSAGE_DISCARDED]],
  [0x0115, [DBCH_EUI_ONLY('0x8F2D')]],
  [0x0120, [{ name: 'CommandNotSupportedbyDevice' }]],
  [0x0121, [AUX_CONTROLLER, { name: 'APCLimitPeriodStart', as: 'date-time' }, { name: 'APCLimitPeriodEnd', as: 'date-time' }, RESULTING_LEVEL]],
  [0x0122, [AUX_CONTROLLER, RESULTING_LEVEL]],
  [0x0123, [{ name: 'OperationalUpdateDeviceAlert' }]],
]);

/**
 * A body value whose parts DUIS names but DLMS carries in one value: the 0x8F85 octet-string
 * (message code, then originator counter, as in the future-dated alerts' reference) and the
 * auxiliary controller number with its input flag.
 */
export function alertBodyValue(node: PayloadNode, bytes: Uint8Array): PayloadNode {
  if (node.name === 'CommandNotSupportedbyDevice' && node.type === 'octet-string' && node.length === 12) {
    const at = node.offset + 2;
    const mc = (bytes[at]! << 8) | bytes[at + 1]!;
    const counter = asBuffer(bytes.subarray(at + 2, at + 10)).readBigUInt64BE(0);
    const mcHex = `0x${hex2(mc >> 8)}${hex2(mc & 0xff)}`;
    const useCase = messageCodeName(mc);
    return field(node.name, node.offset, node.length, {
      type: 'octet-string',
      value: node.value,
      text: `${useCase ?? mcHex}, originator counter ${counter}`,
      children: [
        field('tag and length', node.offset, 2, { type: 'octet-string header', value: 10 }),
        field('MessageCodeofCommandReceived', at, 2, { type: 'uint16 BE', value: mc, text: useCase ? `${mcHex} ${useCase}` : mcHex }),
        field('OriginatorCounterfromCommandReceived', at + 2, 8, { type: 'uint64 BE', value: counter.toString() }),
      ],
    });
  }
  if (node.name === MESSAGE_DISCARDED.name && node.type === 'octet-string' && node.length === 27) {
    // The discarded message's id as its frame carries it: originator, recipient, CRA flag, originator counter.
    const at = node.offset + 2;
    const cra = bytes[at + 16]!;
    const counter = asBuffer(bytes.subarray(at + 17, at + 25)).readBigUInt64BE(0);
    return field(node.name, node.offset, node.length, {
      type: 'octet-string',
      value: node.value,
      text: `${hexRange(bytes, at, at + 8)}:${hexRange(bytes, at + 8, at + 16)}:${counter} (${CRA_FLAGS[cra] ?? `CRA flag ${cra}`})`,
      children: [
        field('tag and length', node.offset, 2, { type: 'octet-string header', value: 25 }),
        field('RequestID originator', at, 8, { type: 'EUI', value: hexRange(bytes, at, at + 8) }),
        field('RequestID target', at + 8, 8, { type: 'EUI', value: hexRange(bytes, at + 8, at + 16) }),
        field('CRAFlag', at + 16, 1, { type: 'uint8', value: cra, text: CRA_FLAGS[cra] ?? `CRA flag ${cra}` }),
        field('RequestID counter', at + 17, 8, { type: 'uint64 BE', value: counter.toString() }),
      ],
    });
  }
  if (node.name === AUX_CONTROLLER.name && typeof node.value === 'number') {
    const v = node.value;
    const io = v >> 4 === 2 ? 'InputFromControlledLoad' : v >> 4 === 1 ? 'output' : `high nibble ${v >> 4}`;
    return { ...node, text: `AuxiliaryControllerN ${v & 0x0f}, ${io}` };
  }
  return node;
}

/**
 * GBZ alerts whose use-case data DUIS describes: 0x8F72 (ManufacturerImageHash, an octet-string
 * with its tag and length as in the DLMS form) and 0x81A0 (Warning, two bytes as in the DLMS form).
 */
export function gbzAlertData(code: number, bytes: Uint8Array, at: number, end: number): PayloadNode | undefined {
  const n = end - at;
  if (code === 0x8f72 && n >= 2 && bytes[at] === 0x09 && bytes[at + 1] === n - 2)
    return field('ManufacturerImageHash', at, n, {
      type: 'octet-string',
      value: hexRange(bytes, at + 2, end),
      children: [
        field('tag and length', at, 2, { type: 'octet-string header', value: n - 2 }),
        field('hash', at + 2, n - 2, { type: 'bytes', value: hexRange(bytes, at + 2, end) }),
      ],
    });
  if (code === 0x81a0 && n === 2) return field('Warning', at, 2, { type: 'uint16 BE', value: (bytes[at]! << 8) | bytes[at + 1]! });
  return undefined;
}
