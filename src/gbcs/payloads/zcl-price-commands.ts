import type { ClusterCommandsEntry } from './zcl-types.ts';
import { B8, C, E8, ISSUER, OCT, U16, U24, U32, U48, U8, UTC } from './zcl-types.ts';

/** Price cluster (0x0700) commands: ZSE 1.4 (07-5356-21) annex D, Price cluster. */
export const PRICE_COMMANDS: ClusterCommandsEntry = [
  0x0700,
  {
    client: C([
      [0x00, { name: 'Get Current Price', fields: [['Command Options', B8]] }],
      [
        0x0b,
        {
          name: 'Get Billing Period',
          fields: [
            ['Earliest Start Time', UTC],
            ['Min. Issuer Event ID', U32],
            ['Number of Commands', U8],
            ['Tariff Type', B8],
          ],
        },
      ],
    ]),
    server: C([
      [
        0x00,
        {
          // ZSE 1.4 annex D, Price cluster, Publish Price: its mandatory fields; the optional ones after Price
          // (19 octets, which GBCS says carry no meaning) are left labelled if a device sends them.
          name: 'Publish Price',
          fields: [
            ['Provider ID', U32],
            ['Rate Label', OCT],
            ['Issuer Event ID', U32],
            ['Current Time', UTC],
            ['Unit of Measure', E8],
            ['Currency', U16],
            ['Price Trailing Digit and Price Tier', B8],
            ['Number of Price Tiers and Register Tier', B8],
            ['Start Time', UTC],
            ['Duration in Minutes', U16],
            ['Price', U32],
          ],
        },
      ],
      [
        0x01,
        {
          name: 'Publish Block Period',
          fields: [
            ...ISSUER,
            ['Block Period Start Time', UTC],
            ['Block Period Duration', U24],
            ['Block Period Control', B8],
            ['Block Period Duration Type', B8],
            ['Tariff Type', B8],
            ['Tariff Resolution Period', E8],
          ],
        },
      ],
      [
        0x02,
        {
          name: 'Publish Conversion Factor',
          fields: [
            ['Issuer Event ID', U32],
            ['Start Time', UTC],
            ['Conversion Factor', U32],
            ['Conversion Factor Trailing Digit', B8],
          ],
        },
      ],
      [
        0x03,
        {
          name: 'Publish Calorific Value',
          fields: [
            ['Issuer Event ID', U32],
            ['Start Time', UTC],
            ['Calorific Value', U32],
            ['Calorific Value Unit', E8],
            ['Calorific Value Trailing Digit', B8],
          ],
        },
      ],
      [
        0x04,
        {
          name: 'Publish Tariff Information',
          fields: [
            ...ISSUER,
            ['Issuer Tariff ID', U32],
            ['Start Time', UTC],
            ['Tariff Type / Charging Scheme', B8],
            ['Tariff Label', OCT],
            ['Number of Price Tiers in Use', U8],
            ['Number of Block Thresholds in Use', U8],
            ['Unit of Measure', E8],
            ['Currency', U16],
            ['Price Trailing Digit', B8],
            ['Standing Charge', U32],
            ['Tier Block Mode', E8],
            ['Block Threshold Multiplier', U24],
            ['Block Threshold Divisor', U24],
          ],
        },
      ],
      [
        0x05,
        {
          name: 'Publish Price Matrix',
          fields: [
            ...ISSUER,
            ['Start Time', UTC],
            ['Issuer Tariff ID', U32],
            ['Command Index', U8],
            ['Total Number of Commands', U8],
            ['Sub-Payload Control', B8],
            [
              'price',
              'repeat',
              [
                ['Tier/Block ID', U8],
                ['Price', U32],
              ],
            ],
          ],
        },
      ],
      [
        0x06,
        {
          // ZSE 1.4 annex D, Price cluster, Publish Block Thresholds: after the header, Block
          // Threshold sub-payloads, each a Tier/Number of Block Thresholds byte (tier in the high
          // nibble, count in the low) and that many uint48 thresholds. The DCC's gbcs-parser reads
          // the byte as the count: the same for the RTDS, whose byte is 0x03 (tier 0).
          name: 'Publish Block Thresholds',
          fields: [
            ...ISSUER,
            ['Start Time', UTC],
            ['Issuer Tariff ID', U32],
            ['Command Index', U8],
            ['Total Number of Commands', U8],
            ['Sub-Payload Control', B8],
            [
              'block threshold sub-payload',
              'repeat',
              [
                ['Tier/Number of Block Thresholds', B8],
                ['Block Thresholds', 'by', (v) => Array.from({ length: v & 0x0f }, (_, i) => [`Block Threshold ${i + 1}`, U48] as const)],
              ],
            ],
          ],
        },
      ],
      [
        0x09,
        {
          name: 'Publish Billing Period',
          fields: [...ISSUER, ['Billing Period Start Time', UTC], ['Billing Period Duration', U24], ['Billing Period Duration Type', B8], ['Tariff Type', B8]],
        },
      ],
    ]),
  },
];
