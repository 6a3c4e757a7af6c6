import type { ZclField } from './zcl-data.ts';
import type { ClusterCommandsEntry } from './zcl-types.ts';
import { B32, B8, C, E8, ISSUER, OCT, U16, U32, U8, UTC } from './zcl-types.ts';

const APPLY_BY_LIST: readonly ZclField[] = [
  ['Number of Events', U8],
  ['event', 'times', [['Event ID', U16]]],
];

/** Device Management cluster (0x0708) commands: ZSE 1.4 (07-5356-21) annex D, Device Management cluster. */
export const DEVICE_MANAGEMENT_COMMANDS: ClusterCommandsEntry = [
  0x0708,
  {
    client: C([
      [
        0x04,
        {
          name: 'Report Event Configuration',
          fields: [
            ['Command Index', U8],
            ['Total Commands', U8],
            [
              'event configuration',
              'repeat',
              [
                ['Event ID', U16],
                ['Event Configuration', B8],
              ],
            ],
          ],
        },
      ],
    ]),
    server: C([
      [0x00, { name: 'Publish Change of Tenancy', fields: [...ISSUER, ['Tariff Type', B8], ['Implementation Date/Time', UTC], ['Proposed Tenancy Change Control', B32]] }],
      [
        0x01,
        {
          name: 'Publish Change of Supplier',
          fields: [
            ['Current Provider ID', U32],
            ['Issuer Event ID', U32],
            ['Tariff Type', B8],
            ['Proposed Provider ID', U32],
            ['Provider Change Implementation Time', UTC],
            ['Provider Change Control', B32],
            ['Proposed Provider Name', OCT],
            ['Proposed Provider Contact Details', OCT],
          ],
        },
      ],
      [
        0x02,
        {
          name: 'Request New Password Response',
          fields: [
            ['Issuer Event ID', U32],
            ['Implementation Date/Time', UTC],
            ['Duration in Minutes', U16],
            ['Password Type', E8],
            ['Password', OCT],
          ],
        },
      ],
      [
        0x03,
        {
          name: 'Update Site ID',
          fields: [
            ['Issuer Event ID', U32],
            ['Site ID Time', UTC],
            ['Provider ID', U32],
            ['Site ID', OCT],
          ],
        },
      ],
      [
        0x04,
        {
          // The Event Configuration Payload follows Configuration Control; its layout here is the
          // one for Apply by List (0x00), the only one the RTDS uses.
          name: 'Set Event Configuration',
          fields: [
            ['Issuer Event ID', U32],
            ['Start Date/Time', UTC],
            ['Event Configuration', B8],
            ['Configuration Control', E8, { 0: 'Apply by List' }],
            ['Event Configuration Payload', 'by', (control) => (control === 0 ? APPLY_BY_LIST : undefined)],
          ],
        },
      ],
      [0x05, { name: 'Get Event Configuration', fields: [['Event ID', U16]] }],
      [
        0x06,
        {
          name: 'Update CIN',
          fields: [
            ['Issuer Event ID', U32],
            ['Implementation Time', UTC],
            ['Provider ID', U32],
            ['Customer ID Number', OCT],
          ],
        },
      ],
    ]),
  },
];

/** Events cluster (0x0709) commands: ZSE 1.4 (07-5356-21) annex D, Events cluster. */
export const EVENTS_COMMANDS: ClusterCommandsEntry = [
  0x0709,
  {
    client: C([
      [
        0x00,
        {
          name: 'Get Event Log',
          fields: [
            ['Event Control / Log ID', B8],
            ['Event ID', U16],
            ['Start Time', UTC],
            ['End Time', UTC],
            ['Number of Events', U8],
            ['Event Offset', U16],
          ],
        },
      ],
      [0x01, { name: 'Clear Event Log Request', fields: [['Log ID', B8]] }],
    ]),
    server: C([
      [
        0x01,
        {
          name: 'Publish Event Log',
          fields: [
            ['Total Number of Matching Events', U16],
            ['Command Index', U8],
            ['Total Commands', U8],
            ['Number of Events / Log Payload Control', B8],
            [
              'event',
              'repeat',
              [
                ['Log ID', E8],
                ['Event ID', U16],
                ['Event Time', UTC],
                ['Event Data', OCT],
              ],
            ],
          ],
        },
      ],
      [0x02, { name: 'Clear Event Log Response', fields: [['Cleared Event Logs', B8]] }],
    ]),
  },
];
