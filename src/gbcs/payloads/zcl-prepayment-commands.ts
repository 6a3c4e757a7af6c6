import type { ClusterCommandsEntry } from './zcl-types.ts';
import { B16, B8, C, E8, I32, ISSUER, OCT, SNAPSHOT_HEADER, SNAPSHOT_REQUEST, U16, U32, U8, UTC } from './zcl-types.ts';

const RESULT_TYPE = {
  0: 'accepted',
  1: 'rejected: invalid top up',
  2: 'rejected: duplicate top up',
  3: 'rejected: error',
  4: 'rejected: max credit reached',
  5: 'rejected: keypad lock',
  6: 'rejected: top up value too large',
};
const ORIGINATING_DEVICE = { 0: 'Energy Service Interface', 1: 'Meter', 2: 'In-Home Display device' };

/** Messaging cluster (0x0703) commands: ZSE 1.4 (07-5356-21) annex D, Messaging cluster. */
export const MESSAGING_COMMANDS: ClusterCommandsEntry = [
  0x0703,
  {
    client: C([]),
    server: C([
      [
        0x00,
        {
          name: 'Display Message',
          fields: [
            ['Message ID', U32],
            ['Message Control', B8],
            ['Start Time', UTC],
            ['Duration in Minutes', U16],
            ['Message', 0x42],
          ],
        },
      ],
    ]),
  },
];

/** Prepayment cluster (0x0705) commands: ZSE 1.4 (07-5356-21) annex D, Prepayment cluster. */
export const PREPAYMENT_COMMANDS: ClusterCommandsEntry = [
  0x0705,
  {
    client: C([
      [
        0x00,
        {
          name: 'Select Available Emergency Credit',
          fields: [
            ['Command Issue Date/Time', UTC],
            ['Originating Device', E8, ORIGINATING_DEVICE],
          ],
        },
      ],
      [
        0x02,
        {
          name: 'Change Debt',
          fields: [
            ['Issuer Event ID', U32],
            ['Debt Label', OCT],
            ['Debt Amount', I32],
            ['Debt Recovery Method', E8],
            ['Debt Amount Type', E8],
            ['Debt Recovery Start Time', UTC],
            ['Debt Recovery Collection Time', U16],
            ['Debt Recovery Frequency', E8],
            ['Debt Recovery Amount', I32],
            ['Debt Recovery Balance Percentage', U16],
          ],
        },
      ],
      [
        0x03,
        {
          name: 'Emergency Credit Setup',
          fields: [
            ['Issuer Event ID', U32],
            ['Start Time', UTC],
            ['Emergency Credit Limit', U32],
            ['Emergency Credit Threshold', U32],
          ],
        },
      ],
      [
        0x04,
        {
          name: 'Consumer Top Up',
          fields: [
            ['Originating Device', E8, ORIGINATING_DEVICE],
            ['Top Up Code (UTRN)', OCT],
          ],
        },
      ],
      [
        0x05,
        {
          name: 'Credit Adjustment',
          fields: [
            ['Issuer Event ID', U32],
            ['Start Time', UTC],
            ['Credit Adjustment Type', E8],
            ['Credit Adjustment Value', I32],
          ],
        },
      ],
      [0x06, { name: 'Change Payment Mode', fields: [...ISSUER, ['Implementation Date/Time', UTC], ['Proposed Payment Control Configuration', B16], ['Cut Off Value', I32]] }],
      [0x07, { name: 'Get Prepay Snapshot', fields: SNAPSHOT_REQUEST }],
      [
        0x08,
        {
          name: 'Get Top Up Log',
          fields: [
            ['Latest End Time', UTC],
            ['Number of Records', U8],
          ],
        },
      ],
      [0x09, { name: 'Set Low Credit Warning Level', fields: [['Low Credit Warning Level', U32]] }],
      [
        0x0a,
        {
          name: 'Get Debt Repayment Log',
          fields: [
            ['Latest End Time', UTC],
            ['Number of Debts', U8],
            ['Debt Type', E8],
          ],
        },
      ],
      [0x0b, { name: 'Set Maximum Credit Limit', fields: [...ISSUER, ['Implementation Date/Time', UTC], ['Maximum Credit Level', U32], ['Maximum Credit per Top Up', U32]] }],
      [0x0c, { name: 'Set Overall Debt Cap', fields: [...ISSUER, ['Implementation Date/Time', UTC], ['Overall Debt Cap', I32]] }],
    ]),
    server: C([
      [
        0x01,
        {
          name: 'Publish Prepay Snapshot',
          fields: [
            ...SNAPSHOT_HEADER,
            ['Accumulated Debt', I32],
            ['Type 1 Debt Remaining', U32],
            ['Type 2 Debt Remaining', U32],
            ['Type 3 Debt Remaining', U32],
            ['Emergency Credit Remaining', I32],
            ['Credit Remaining', I32],
          ],
        },
      ],
      [
        0x02,
        {
          name: 'Change Payment Mode Response',
          fields: [
            ['Friendly Credit', B8],
            ['Friendly Credit Calendar ID', U32],
            ['Emergency Credit Limit', U32],
            ['Emergency Credit Threshold', U32],
          ],
        },
      ],
      [
        0x03,
        {
          name: 'Consumer Top Up Response',
          fields: [
            ['Result Type', E8, RESULT_TYPE],
            ['Top Up Value', I32],
            ['Source of Top Up', E8, ORIGINATING_DEVICE],
            ['Credit Remaining', I32],
          ],
        },
      ],
      [
        0x05,
        {
          name: 'Publish Top Up Log',
          fields: [
            ['Command Index', U8],
            ['Total Number of Commands', U8],
            [
              'top up',
              'repeat',
              [
                ['Top Up Code', OCT],
                ['Top Up Amount', I32],
                ['Top Up Time', UTC],
              ],
            ],
          ],
        },
      ],
      [
        0x06,
        {
          name: 'Publish Debt Log',
          fields: [
            ['Command Index', U8],
            ['Total Number of Commands', U8],
            [
              'debt collection',
              'repeat',
              [
                ['Collection Time', UTC],
                ['Amount Collected', U32],
                ['Debt Type', E8],
                ['Outstanding Debt', U32],
              ],
            ],
          ],
        },
      ],
    ]),
  },
];
