import type { DerSchema } from './der-tree.ts';

/**
 * ASN.1 layouts of the credential use cases (gbcs-payloads.md section 3) and of the X.509
 * certificates they carry (RFC 5280), as schemas for the DER tree reader.
 */
const ROLE_NAMES = {
  0: 'root',
  1: 'recovery',
  2: 'supplier',
  3: 'network operator',
  4: 'ACB',
  5: 'transitional CoS',
  6: 'WAN provider',
  7: 'issuing authority',
  8: 'load controller',
  127: 'other',
};
const STATUS = { 0: 'success' };
const role = (name = 'remote party role'): DerSchema => ({ name, tag: 0x02, values: ROLE_NAMES });

export const ALGORITHM: DerSchema = {
  name: 'algorithm identifier',
  tag: 0x30,
  members: [
    { name: 'algorithm', tag: 0x06 },
    { name: 'parameters', optional: true },
  ],
};
export const NAME: DerSchema = {
  name: 'name',
  tag: 0x30,
  each: { name: 'relative distinguished name', tag: 0x31, each: { name: 'attribute', tag: 0x30, members: [{ name: 'type', tag: 0x06 }, { name: 'value' }] } },
};
export const EXTENSION: DerSchema = {
  name: 'extension',
  tag: 0x30,
  members: [
    { name: 'extnID', tag: 0x06 },
    { name: 'critical', tag: 0x01, optional: true },
    { name: 'extnValue', tag: 0x04 },
  ],
};

export const CERTIFICATE: DerSchema = {
  name: 'certificate',
  tag: 0x30,
  members: [
    {
      name: 'tbsCertificate',
      tag: 0x30,
      members: [
        { name: 'version', tag: 0xa0, optional: true, inner: { name: 'version number', tag: 0x02, values: { 2: 'v3' } } },
        { name: 'serialNumber', tag: 0x02 },
        { ...ALGORITHM, name: 'signature' },
        { ...NAME, name: 'issuer' },
        { name: 'validity', tag: 0x30, members: [{ name: 'notBefore' }, { name: 'notAfter' }] },
        { ...NAME, name: 'subject' },
        {
          name: 'subjectPublicKeyInfo',
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
        { name: 'issuerUniqueID', tag: 0x81, optional: true },
        { name: 'subjectUniqueID', tag: 0x82, optional: true },
        { name: 'extensions', tag: 0xa3, optional: true, inner: { name: 'extensions', tag: 0x30, each: EXTENSION } },
      ],
    },
    { ...ALGORITHM, name: 'signatureAlgorithm' },
    { name: 'signatureValue', tag: 0x03 },
  ],
};

const KEY_USAGE: DerSchema = { name: 'key usage', tag: 0x03 };
const TA_CELL = (name: string, tag = 0x30): DerSchema => ({
  name,
  tag,
  members: [role(), KEY_USAGE, { name: 'cell usage', tag: 0x02, optional: true, values: { 1: 'prepayment top-up' } }],
});
const SPECIALIST_FLOORS: DerSchema = {
  name: 'specialist floors',
  each: {
    name: 'specialist floor',
    tag: 0x30,
    members: [
      { name: 'usage', tag: 0x02, values: { 0: 'prepayment top-up' } },
      { name: 'floor seq number', tag: 0x02 },
    ],
  },
};
const PARTY_FLOOR: DerSchema = { name: 'party floor', tag: 0x30, members: [role(), { name: 'floor seq number', tag: 0x02 }, { ...SPECIALIST_FLOORS, tag: 0x30, optional: true }] };

export const CS02A_COMMAND: DerSchema = { name: 'CS02a command', tag: 0x30, members: [TA_CELL('authorising cell'), { name: 'roles requested', tag: 0x30, each: role() }] };
export const CS02A_RESPONSE: DerSchema = {
  name: 'CS02a response',
  tag: 0x30,
  each: {
    name: 'role details',
    tag: 0x30,
    members: [
      role(),
      { name: 'status', tag: 0x0a, values: STATUS },
      { name: 'current seq number', tag: 0x02, optional: true },
      {
        name: 'cells',
        tag: 0x30,
        optional: true,
        each: {
          name: 'cell contents',
          tag: 0x30,
          members: [
            KEY_USAGE,
            { name: 'cell usage', tag: 0x02, optional: true, values: { 1: 'prepayment top-up' } },
            { name: 'subject unique id', tag: 0x04 },
            { name: 'subject key id', tag: 0x04 },
          ],
        },
      },
    ],
  },
};

/** CS02b (0x0100-0x0109) and CS02g (load controller, 0x0124-0x0126) share the layout. */
export const CS02B_COMMAND: DerSchema = {
  name: 'update security credentials command',
  tag: 0x30,
  members: [
    {
      name: 'authorising-party control',
      tag: 0x30,
      members: [
        { name: 'credentials replacement mode', tag: 0x02 },
        { name: 'plaintext symmetric key', tag: 0x80, optional: true },
        { name: 'disapply time-based CPV checks', tag: 0x81, optional: true, integer: true, values: { 1: 'disapplied' } },
        { ...TA_CELL('authorising cell', 0xa2), optional: true },
        { name: 'authorising party seq number', tag: 0x83, integer: true },
        { name: 'new floor seq number', tag: 0x84, optional: true, integer: true },
        { ...SPECIALIST_FLOORS, tag: 0xa5, optional: true },
        { name: 'floor changes for other parties', tag: 0xa6, optional: true, each: PARTY_FLOOR },
      ],
    },
    { name: 'replacements', tag: 0x30, each: { name: 'replacement', tag: 0x30, members: [CERTIFICATE, TA_CELL('target cell')] } },
    { name: 'certification path', tag: 0x30, each: CERTIFICATE },
    { name: 'execution date-time', tag: 0x18, optional: true },
  ],
};

const EXECUTION_OUTCOME: DerSchema = {
  name: 'execution outcome',
  tag: 0x30,
  members: [
    { name: 'authorising seq number', tag: 0x02 },
    { name: 'credentials replacement mode', tag: 0x02 },
    { name: 'resulting floors', tag: 0x30, each: PARTY_FLOOR },
    {
      name: 'replacement outcomes',
      tag: 0x30,
      each: {
        name: 'replacement outcome',
        tag: 0x30,
        members: [
          TA_CELL('affected cell'),
          { name: 'status', tag: 0x0a, values: STATUS },
          { name: 'existing subject unique id', tag: 0x04 },
          { name: 'existing subject key id', tag: 0x04 },
          { name: 'replacing subject unique id', tag: 0x04 },
          { name: 'replacing subject key id', tag: 0x04 },
        ],
      },
    },
  ],
};

export const CS02B_RESPONSE: DerSchema = {
  name: 'update security credentials response',
  tag: 0x30,
  members: [
    { name: 'command accepted', tag: 0x05 },
    { ...EXECUTION_OUTCOME, optional: true },
  ],
};
export const CS02B_ALERT: DerSchema = {
  name: 'update security credentials alert',
  tag: 0x30,
  members: [{ name: 'alert code', tag: 0x02 }, { name: 'execution date-time', tag: 0x18 }, EXECUTION_OUTCOME],
};

/*
 * The layouts below were inferred from the RTDS frames beside their DUIS request templates (the
 * GBCS text is not in the local material): a field is named only where the template states its
 * value (OtherDeviceID, FirmwareHash, ExecutionDateTime, CredentialType) or the file names tell
 * it (SUCCESS responses carry 0, ERROR responses 3). Other fields stay unnamed.
 */
export const RESULT_CODE: DerSchema = { name: 'result', tag: 0x02, values: { 0: 'success' } };
export const JOIN_COMMAND: DerSchema = {
  name: 'join command',
  tag: 0x30,
  members: [
    { name: '', tag: 0x02, optional: true },
    { name: 'other device id', tag: 0x04 },
    {
      name: 'INTEGER after the other device id',
      tag: 0x02,
      optional: true,
      unknown:
        'the DUIS join request (JoinServiceCritical / JoinServiceNonCritical) carries only OtherDeviceID, and this INTEGER differs between the SUCCESS and ERROR frames for the same device (4 and 5 in CS03A1): no element of the public material matches it',
    },
  ],
};
export const CS02C_COMMAND: DerSchema = { name: 'issue security credentials command', tag: 0x30, members: [{ name: 'credential type (key usage)', tag: 0x03 }] };
export const CS06_COMMAND: DerSchema = {
  name: 'activate firmware command',
  tag: 0x30,
  members: [
    { name: 'firmware hash', tag: 0x04 },
    { name: 'originator counter (the frame counter)', tag: 0x02 },
    { name: 'execution date-time', tag: 0x18, optional: true },
  ],
};
