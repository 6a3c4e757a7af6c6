import type { ClusterCommandsEntry } from './zcl-types.ts';
import { C, DATE, E8, ISSUER, OCT, U16, U32, U8, UTC } from './zcl-types.ts';

/** Calendar Type (ZSE 1.4 annex D, Calendar cluster, Table D-159). */
const CALENDAR_TYPES: Readonly<Record<number, string>> = {
  0: 'Delivered Calendar',
  1: 'Received Calendar',
  2: 'Delivered and Received Calendar',
  3: 'Friendly Credit Calendar',
  4: 'Auxiliary Load Switch Calendar',
};

/** Calendar cluster (0x0707) commands: ZSE 1.4 (07-5356-21) annex D, Calendar cluster (D.9). */
export const CALENDAR_COMMANDS: ClusterCommandsEntry = [
  0x0707,
  {
    client: C([
      [0x00, { name: 'Get Calendar' }],
      // ZSE 1.4 D.9.2.4.2 and on: the Get Day Profiles, Get Week Profiles, Get Seasons and Get Special Days payloads (Figures D-151 to D-153 for the last three).
      [
        0x01,
        {
          name: 'Get Day Profiles',
          fields: [
            ['Provider ID', U32],
            ['Issuer Calendar ID', U32],
            ['Start Day ID', U8],
            ['Number of Days', U8],
          ],
        },
      ],
      [
        0x02,
        {
          name: 'Get Week Profiles',
          fields: [
            ['Provider ID', U32],
            ['Issuer Calendar ID', U32],
            ['Start Week ID', U8],
            ['Number of Weeks', U8],
          ],
        },
      ],
      [
        0x03,
        {
          name: 'Get Seasons',
          fields: [
            ['Provider ID', U32],
            ['Issuer Calendar ID', U32],
          ],
        },
      ],
      [
        0x04,
        {
          name: 'Get Special Days',
          fields: [
            ['Start Time', UTC],
            ['Number of Events', U8],
            ['Calendar Type', E8, CALENDAR_TYPES],
            ['Provider ID', U32],
            ['Issuer Calendar ID', U32],
          ],
        },
      ],
    ]),
    server: C([
      [
        0x00,
        {
          name: 'Publish Calendar',
          fields: [
            ...ISSUER,
            ['Issuer Calendar ID', U32],
            ['Start Time', UTC],
            ['Calendar Type', E8],
            ['Calendar Time Reference', U8],
            ['Calendar Name', OCT],
            ['Number of Seasons', U8],
            ['Number of Week Profiles', U8],
            ['Number of Day Profiles', U8],
          ],
        },
      ],
      [
        0x01,
        {
          name: 'Publish Day Profile',
          fields: [
            ...ISSUER,
            ['Issuer Calendar ID', U32],
            ['Day ID', U8],
            ['Total Number of Schedule Entries', U8],
            ['Command Index', U8],
            ['Total Number of Commands', U8],
            ['Calendar Type', E8],
            [
              'schedule entry',
              'repeat',
              [
                ['Start Time (minutes from midnight)', U16],
                ['Price Tier', U8],
              ],
            ],
          ],
        },
      ],
      [
        0x02,
        {
          name: 'Publish Week Profile',
          fields: [
            ...ISSUER,
            ['Issuer Calendar ID', U32],
            ['Week ID', U8],
            ...['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'].map((d) => [`Day ID Ref ${d}`, U8] as const),
          ],
        },
      ],
      [
        0x03,
        {
          name: 'Publish Seasons',
          fields: [
            ...ISSUER,
            ['Issuer Calendar ID', U32],
            ['Command Index', U8],
            ['Total Number of Commands', U8],
            [
              'season',
              'repeat',
              [
                ['Season Start Date', DATE],
                ['Week ID Ref', U8],
              ],
            ],
          ],
        },
      ],
      [
        0x04,
        {
          name: 'Publish Special Days',
          fields: [
            ...ISSUER,
            ['Issuer Calendar ID', U32],
            ['Start Time', UTC],
            ['Calendar Type', E8],
            ['Total Number of Special Days', U8],
            ['Command Index', U8],
            ['Total Number of Commands', U8],
            [
              'special day',
              'repeat',
              [
                ['Special Day Date', DATE],
                ['Day ID Ref', U8],
              ],
            ],
          ],
        },
      ],
    ]),
  },
];
