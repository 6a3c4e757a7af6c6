import type { ZclField } from './zcl-data.ts';
import type { ClusterCommandsEntry } from './zcl-types.ts';
import { B8, C, E8, ISSUER, SNAPSHOT_HEADER, SNAPSHOT_REQUEST, SUPPLY_STATUS_NAMES, U16, U24, U32, U48, U8, UTC } from './zcl-types.ts';

/**
 * Snapshot Payload Type of the Metering Publish Snapshot (ZSE 1.4, 07-5356-21, annex D, Metering
 * cluster, the Snapshot Payload Type enumeration). The Prepayment cluster's snapshot types differ.
 */
const SNAPSHOT_PAYLOAD_TYPES: Readonly<Record<number, string>> = {
  0: 'TOU Information Set Delivered Registers',
  1: 'TOU Information Set Received Registers',
  2: 'Block Tier Information Set Delivered',
  3: 'Block Tier Information Set Received',
  4: 'TOU Information Set Delivered Registers (No Billing)',
  5: 'TOU Information Set Received Registers (No Billing)',
  6: 'Block Tier Information Set Delivered (No Billing)',
  7: 'Block Tier Information Set Received (No Billing)',
  8: 'Data Unavailable',
};

// The delivered sub-payloads, field by field (ZSE 1.4 annex D, Metering cluster, the Publish Snapshot sub-payload
// tables; GBCS 10.4.2.1 and 10.4.2.4 say a GSME's Daily Read Log and Billing Data Log snapshots
// are these: the Tariff TOU Register Matrix in the tier summations, the Tariff Block Counter
// Matrix in the block summations). The types 4 and 6 carry no billing fields (GBCS IRP328).
const BILLING: ZclField[] = [
  ['Bill To Date Delivered', U32],
  ['Bill To Date Time Stamp Delivered', UTC],
  ['Projected Bill Delivered', U32],
  ['Projected Bill Time Stamp Delivered', UTC],
  ['Bill Delivered Trailing Digit', B8],
];
const TIERS: ZclField[] = [
  ['Number of Tiers in Use', U8],
  ['tier summation', 'times', [['Current Tier Summation Delivered', U48]]],
];
const BLOCKS: ZclField[] = [
  ['Number of Tiers and Block Thresholds in Use', B8],
  ['block summation', 'repeat', [['Current Tier Block Summation Delivered', U48]]],
];
const SUMMATION: ZclField = ['Current Summation Delivered', U48];
const SNAPSHOT_SUB_PAYLOADS: ReadonlyMap<number, readonly ZclField[]> = new Map([
  [0, [SUMMATION, ...BILLING, ...TIERS]],
  [2, [SUMMATION, ...BILLING, ...TIERS, ...BLOCKS]],
  [4, [SUMMATION, ...TIERS]],
  [6, [SUMMATION, ...TIERS, ...BLOCKS]],
]);
const PUBLISH_SNAPSHOT: ZclField[] = [
  ...SNAPSHOT_HEADER.slice(0, -1),
  ['Snapshot Payload Type', E8, SNAPSHOT_PAYLOAD_TYPES],
  ['Snapshot Sub-Payload', 'by', (type) => SNAPSHOT_SUB_PAYLOADS.get(type)],
];

/** Metering cluster (0x0702) commands: ZSE 1.4 (07-5356-21) annex D, Metering cluster. */
export const METERING_COMMANDS: ClusterCommandsEntry = [
  0x0702,
  {
    client: C([
      [0x06, { name: 'Get Snapshot', fields: SNAPSHOT_REQUEST }],
      [
        0x07,
        {
          name: 'Start Sampling',
          fields: [
            ['Issuer Event ID', U32],
            ['Start Sampling Time', UTC],
            ['Sample Type', E8],
            ['Sample Request Interval', U16],
            ['Max Number of Samples', U16],
          ],
        },
      ],
      [
        0x08,
        {
          name: 'Get Sampled Data',
          fields: [
            ['Sample ID', U16],
            ['Earliest Sample Time', UTC],
            ['Sample Type', E8],
            ['Number of Samples', U16],
          ],
        },
      ],
      [
        0x0b,
        {
          name: 'Change Supply',
          fields: [...ISSUER, ['Request Date/Time', UTC], ['Implementation Date/Time', UTC], ['Proposed Supply Status', E8, SUPPLY_STATUS_NAMES], ['Supply Control Bits', B8]],
        },
      ],
      [
        0x0d,
        {
          name: 'Set Supply Status',
          fields: [
            ['Issuer Event ID', U32],
            ['Supply Tamper State', E8],
            ['Supply Depletion State', E8],
            ['Supply Uncontrolled Flow State', E8],
            ['Load Limit Supply State', E8],
          ],
        },
      ],
      [
        0x0e,
        {
          name: 'Set Uncontrolled Flow Threshold',
          fields: [
            ...ISSUER,
            ['Uncontrolled Flow Threshold', U16],
            ['Unit of Measure', E8],
            ['Multiplier', U16],
            ['Divisor', U16],
            ['Stabilisation Period', U8],
            ['Measurement Period', U16],
          ],
        },
      ],
    ]),
    server: C([
      [0x06, { name: 'Publish Snapshot', fields: PUBLISH_SNAPSHOT }],
      [
        0x07,
        {
          name: 'Get Sampled Data Response',
          fields: [
            ['Sample ID', U16],
            ['Sample Start Time', UTC],
            ['Sample Type', E8],
            ['Sample Request Interval', U16],
            ['Number of Samples', U16],
            ['sample', 'repeat', [['Sample', U24]]],
          ],
        },
      ],
      [0x0c, { name: 'Supply Status Response', fields: [...ISSUER, ['Implementation Date/Time', UTC], ['Supply Status', E8, SUPPLY_STATUS_NAMES]] }],
      [0x0d, { name: 'Start Sampling Response', fields: [['Sample ID', U16]] }],
    ]),
  },
];
