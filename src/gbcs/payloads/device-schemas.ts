import { ALGORITHM, EXTENSION, NAME } from './credential-schemas.ts';
import type { DerSchema } from './der-tree.ts';

/*
 * ASN.1 layouts of the device-management use cases beside the credential ones. The CS02c response
 * is an RFC 2986 certification request (PKCS#10), its layout fixed by that RFC. The others were
 * read from the RTDS frames beside their DUIS request templates (the GBCS text is not in the
 * local material), as in credential-schemas.ts: a field is named where the template states its
 * value (FirmwareHash, OtherDeviceID, CurrentDateTime and TolerancePeriod, the RequestID's
 * counter) or the file names tell it (SUCCESS carries 0, ERROR a non-zero result).
 */
/**
 * An extension's value: keyUsage is a BIT STRING; subjectAltName is GeneralNames whose otherName
 * (RFC 5280 4.2.1.6) carries a hardwareModuleName (RFC 4108 section 5: hwType, hwSerialNum).
 */
const EXTENSION_VALUE: DerSchema = {
  name: 'extension value',
  each: {
    name: 'general name (otherName)',
    tag: 0xa0,
    members: [
      { name: 'type-id', tag: 0x06 },
      {
        name: 'value',
        tag: 0xa0,
        inner: {
          name: 'hardwareModuleName',
          tag: 0x30,
          members: [
            { name: 'hwType', tag: 0x06 },
            { name: 'hwSerialNum (device EUI)', tag: 0x04 },
          ],
        },
      },
    ],
  },
};
const RESULT: DerSchema = { name: 'result', tag: 0x02, values: { 0: 'success' } };

/** CS02c response: the device's certification request (RFC 2986 section 4). */
export const CERTIFICATION_REQUEST: DerSchema = {
  name: 'certification request',
  tag: 0x30,
  members: [
    {
      name: 'certificationRequestInfo',
      tag: 0x30,
      members: [
        { name: 'version', tag: 0x02, values: { 0: 'v1' } },
        { ...NAME, name: 'subject' },
        {
          name: 'subjectPKInfo',
          tag: 0x30,
          members: [
            {
              name: 'algorithm',
              tag: 0x30,
              members: [
                { name: 'algorithm', tag: 0x06 },
                { name: 'namedCurve', tag: 0x06 },
              ],
            },
            { name: 'subjectPublicKey', tag: 0x03 },
          ],
        },
        {
          name: 'attributes',
          tag: 0xa0,
          each: {
            name: 'attribute',
            tag: 0x30,
            members: [
              { name: 'type', tag: 0x06 },
              // extensionRequest (PKCS#9): the extensions the device asks its certificate to carry.
              {
                name: 'values',
                tag: 0x31,
                each: {
                  name: 'extensions',
                  tag: 0x30,
                  each: { ...EXTENSION, members: EXTENSION.members!.map((m) => (m.name === 'extnValue' ? { ...m, inner: EXTENSION_VALUE } : m)) },
                },
              },
            ],
          },
        },
      ],
    },
    { ...ALGORITHM, name: 'signatureAlgorithm' },
    { name: 'signature', tag: 0x03 },
  ],
};

/** CS08 (Read Firmware Version) response. */
export const CS08_RESPONSE: DerSchema = {
  name: 'read firmware version response',
  tag: 0x30,
  members: [{ name: 'firmware version', tag: 0x04 }, RESULT],
};

/** CS06 (Activate Firmware) immediate response, and the outcome inside its future-dated alert. */
const CS06_OUTCOME: DerSchema = { name: 'activate firmware outcome', tag: 0x30, members: [RESULT, { name: 'firmware version', tag: 0x04 }] };
export const CS06_RESPONSE: DerSchema = { ...CS06_OUTCOME, name: 'activate firmware response' };
export const CS06_ALERT: DerSchema = {
  name: 'activate firmware alert',
  tag: 0x30,
  members: [
    { name: 'alert code', tag: 0x02, values: { 0x8f66: 'future-dated command executed', 0x8f67: 'future-dated command failed' } },
    { name: 'execution date-time', tag: 0x18 },
    { name: 'originator counter of the command', tag: 0x02 },
    CS06_OUTCOME,
  ],
};

/** GCS28 (Set Time, GSME): the validity interval of the new time, CurrentDateTime to CurrentDateTime + TolerancePeriod. */
export const GCS28_COMMAND: DerSchema = {
  name: 'synchronise clock command',
  tag: 0x30,
  members: [
    { name: 'validity interval start (current date-time)', tag: 0x18 },
    { name: 'validity interval end (current date-time + tolerance period)', tag: 0x18 },
  ],
};
export const GCS28_RESPONSE: DerSchema = {
  name: 'synchronise clock response',
  tag: 0x30,
  members: [{ name: 'date-time set', tag: 0x18 }, RESULT],
};

/** CS04AC / CS04B (Unjoin Service): the device to unjoin. */
export const UNJOIN_COMMAND: DerSchema = { name: 'other device id', tag: 0x04 };

/** A payload of a bare NULL: a command without parameters, or a bare acknowledgement. */
export const NO_PARAMETERS: DerSchema = { name: 'no parameters (NULL)', tag: 0x05 };
