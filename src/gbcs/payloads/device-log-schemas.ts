import type { DerSchema } from './der-tree.ts';
import type { DataSchema } from './dlms-data.ts';

/*
 * The CHF and GPF device logs (DUIS SR 8.9 Read Device Log, 8.11 Update HAN Device Log, 8.12.1
 * and 8.12.2 Restore HAN / GPF Device Log, and the alerts that carry a log), named as the DCC's
 * DUIS schemas name them: mmc-5.4.xsd ReadDeviceLogRsp (DeviceLogEntries of DeviceLogEntry
 * {DeviceID, DeviceType}; CHFDeviceLog of CHFDeviceLogEntry {DeviceID, LastCommunicationsDateTime,
 * SubGHzLinkQuality}; CHFConnectedDeviceLog of CHFCurrentConnectedDeviceLogEntry then
 * CHFHistoricConnectedDeviceLogEntry, each {DeviceID, DeviceSecurityDetails (at most 32
 * characters: 16 bytes as hex)}), RestoreGPFDeviceLogRsp (RestoreDeviceLogOutcome {DeviceLogEntry,
 * joinResponseCode}) and duis-5.4.xsd UpdateHANDeviceLog (DeviceID, InstallCode). A part is named
 * only where the DUIS element it carries is the one part of its type in the entry; the others are
 * read to their ends and kept not named, with why (the GBCS use-case tables are not in the local
 * material).
 */

const NOT_IN_DUIS = 'not among the DUIS elements of this log (mmc-5.4.xsd), and the GBCS use-case table that lays it out is not in the local material';

/** A CHF connected-device entry: the device and its security details (the key material of its link). */
const CONNECTED_DEVICE_ENTRY = (name: string): DataSchema => ({
  name,
  members: [{ name: 'DeviceID', as: 'eui' }, { name: 'DeviceSecurityDetails' }],
});

/**
 * What a CHF's backup of its connected-device log holds (CCS07 responses to ZigBee network control
 * method 4, and the CS14 alert carrying the same log): a date-time and an 8-byte value DUIS does
 * not name, then the entries.
 */
function connectedDeviceLog(entry: string): DataSchema {
  return {
    name: 'CHFConnectedDeviceLog',
    members: [
      { name: 'date-time', as: 'date-time', unknown: `date-time before the CHFConnectedDeviceLog entries: ${NOT_IN_DUIS}` },
      { name: '8-byte value', unknown: `8 octets before the CHFConnectedDeviceLog entries: ${NOT_IN_DUIS}` },
      { name: `${entry} list`, each: CONNECTED_DEVICE_ENTRY(entry) },
    ],
  };
}
export const CHF_CURRENT_CONNECTED_DEVICE_LOG = connectedDeviceLog('CHFCurrentConnectedDeviceLogEntry');
export const CHF_HISTORIC_CONNECTED_DEVICE_LOG = connectedDeviceLog('CHFHistoricConnectedDeviceLogEntry');

/** The CS14 alert body: the connected-device log as CCS07 reads it (the same bytes, entry for entry). */
export const CS14_ALERT_BODY: readonly DataSchema[] = [connectedDeviceLog('CHFConnectedDeviceLogEntry')];

/** CCS03 (restore PAN, method 5) parameter: an 8-byte value DUIS does not name, then the entries to restore. */
export const CCS03_RESTORE_PARAMETER: DataSchema = {
  name: 'restore HAN device log parameter',
  members: [
    {
      name: '8-byte value',
      unknown: `8 octets before the device entries: the DUIS request (RestoreHANDeviceLog) carries only OldCHFID, and the GBCS use-case table is not in the local material`,
    },
    { name: 'CHFConnectedDeviceLogEntry list', each: CONNECTED_DEVICE_ENTRY('CHFConnectedDeviceLogEntry') },
  ],
};

const LINK_VALUE = `one of 12 values of the entry besides DeviceID and LastCommunicationsDateTime: DUIS names only SubGHzLinkQuality (-128..127) among them and not which, and the GBCS use-case table is not in the local material`;
/** CHFDeviceLogEntry: 14 values, of which DUIS names the first (DeviceID) and the one date-time (LastCommunicationsDateTime). */
const CHF_DEVICE_LOG_ENTRY: DataSchema = {
  name: 'CHFDeviceLogEntry',
  members: [
    { name: 'DeviceID', as: 'eui' },
    ...Array.from({ length: 7 }, (_, i) => ({ name: `value ${i + 2}`, unknown: LINK_VALUE })),
    { name: 'LastCommunicationsDateTime', as: 'date-time' as const },
    ...Array.from({ length: 5 }, (_, i) => ({ name: `value ${i + 10}`, unknown: LINK_VALUE })),
  ],
};
/** CCS05CCS04 and CCS06: GET active_devices of ZigBee network control (class 104 attribute 4). */
export const CHF_DEVICE_LOG: DataSchema = { name: 'CHFDeviceLog', each: CHF_DEVICE_LOG_ENTRY };

/** CCS01: register_device (class 104 method 1) parameter, as UpdateHANDeviceLog with AddDeviceToCHFWhitelist. */
export const CCS01_REGISTER_DEVICE: DataSchema = {
  name: 'UpdateHANDeviceLog (add device)',
  members: [
    { name: 'DeviceID', as: 'eui' },
    {
      name: 'enum',
      unknown:
        'enum between DeviceID and InstallCode: the DUIS request (UpdateHANDeviceLog) has no element of this type here, and the GBCS use-case table is not in the local material',
    },
    { name: 'InstallCode' },
    {
      name: 'enum',
      unknown: 'enum after InstallCode: the DUIS request (UpdateHANDeviceLog) has no element of this type here, and the GBCS use-case table is not in the local material',
    },
  ],
};

// --- ASN.1 (GPF device log: CS07, GCS59, GCS62) ---

/**
 * DeviceLogEntry {DeviceID, DeviceType}: DUIS gives DeviceType as a name (ESME, GSME, GPF, CHF,
 * HCALCS, PPMID, Type2); which INTEGER stands for which is in GBCS, not in the local material, so
 * the number is shown as read.
 */
const DEVICE_LOG_ENTRY: DerSchema = {
  name: 'DeviceLogEntry',
  tag: 0x30,
  members: [
    { name: 'DeviceID', tag: 0x04 },
    { name: 'DeviceType', tag: 0x02 },
  ],
};

/** CS07 response (GPF Read Device Log): a result, then the DeviceLogEntries. SUCCESS frames carry 0, ERROR frames 1. */
export const CS07_RESPONSE: DerSchema = {
  name: 'read device log response',
  tag: 0x30,
  members: [
    { name: 'result', tag: 0x02, values: { 0: 'success' } },
    { name: 'DeviceLogEntries', tag: 0x30, optional: true, each: { ...DEVICE_LOG_ENTRY, name: 'LogEntry' } },
  ],
};

/** GCS59 command (Restore GPF Device Log): the DeviceLogEntry list the GPF is to hold. */
export const GCS59_COMMAND: DerSchema = {
  name: 'restore GPF device log command',
  tag: 0x30,
  members: [{ name: 'DeviceLogEntries', tag: 0x30, each: DEVICE_LOG_ENTRY }],
};

/** GCS59 response: a RestoreDeviceLogOutcome {DeviceLogEntry, joinResponseCode} per entry. */
export const GCS59_RESPONSE: DerSchema = {
  name: 'restore GPF device log response',
  tag: 0x30,
  members: [
    {
      name: 'RestoreDeviceLogOutcomes',
      tag: 0x30,
      each: {
        name: 'RestoreDeviceLogOutcome',
        tag: 0x30,
        members: [DEVICE_LOG_ENTRY, { name: 'joinResponseCode', tag: 0x02, values: { 0: 'success' } }],
      },
    },
  ],
};

/** GCS62 alert (0x8071): alert code, date-time, then the GPF's DeviceLogEntries. */
export const GCS62_ALERT: DerSchema = {
  name: 'GPF device log alert',
  tag: 0x30,
  members: [
    { name: 'alert code', tag: 0x02 },
    { name: 'alert date-time', tag: 0x18 },
    { name: 'DeviceLogEntries', tag: 0x30, each: DEVICE_LOG_ENTRY },
  ],
};

/*
 * CCS08 (0x8F8A) and CS09 (0x8F8B): firmware alerts after their code and date-time, as duis-5.4.xsd
 * names the two whose element lists they fit, type for type: FirmwareTransferAlert {OtherDeviceID,
 * FirmwareVersion (at most 8 characters: 4 octets as hex), TransferResponseCode} (its optional
 * UpdateFirmwareRequestID absent), carried in a CommsHubAlert, and PPMIDFirmwareUpgradeAlert
 * {FirmwareVersion, ActivateImageResultCode}. The codes are shown as the INTEGER read: which number
 * stands for which DUIS enumeration value is in GBCS alone.
 */
export const CCS08_ALERT: DerSchema = {
  name: 'FirmwareTransferAlert',
  tag: 0x30,
  members: [
    { name: 'alert code', tag: 0x02 },
    { name: 'alert date-time', tag: 0x18 },
    { name: 'OtherDeviceID', tag: 0x04 },
    { name: 'FirmwareVersion', tag: 0x04 },
    { name: 'TransferResponseCode', tag: 0x02 },
  ],
};
export const CS09_ALERT: DerSchema = {
  name: 'PPMIDFirmwareUpgradeAlert',
  tag: 0x30,
  members: [
    { name: 'alert code', tag: 0x02 },
    { name: 'alert date-time', tag: 0x18 },
    { name: 'FirmwareVersion', tag: 0x04 },
    { name: 'ActivateImageResultCode', tag: 0x02 },
  ],
};
