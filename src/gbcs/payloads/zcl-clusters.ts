import type { ZclField } from './zcl-data.ts';

/**
 * ZigBee Smart Energy clusters as a GSME speaks them (ZSE 1.x): cluster names, attribute names and
 * the layouts of the cluster-specific commands met in the RTDS. Layouts are from the ZSE
 * definitions as known here; each was checked against the payload lengths of the RTDS frames
 * that carry it (every RTDS payload of a listed command reads to its end), the ZSE text itself not
 * being in the local material.
 */
export const CLUSTERS: ReadonlyMap<number, string> = new Map([
  [0x0000, 'Basic'],
  [0x000a, 'Time'],
  [0x0019, 'OTA Upgrade'],
  [0x0700, 'Price'],
  [0x0701, 'Demand Response and Load Control'],
  [0x0702, 'Metering'],
  [0x0703, 'Messaging'],
  [0x0704, 'Tunneling'],
  [0x0705, 'Prepayment'],
  [0x0707, 'Calendar'],
  [0x0708, 'Device Management'],
  [0x0709, 'Events'],
  [0x0800, 'Key Establishment'],
]);

const A = (entries: Array<[number, string]>) => new Map(entries);
export const ATTRIBUTES: ReadonlyMap<number, ReadonlyMap<number, string>> = new Map([
  [
    0x0000,
    A([
      [0x0000, 'ZCLVersion'],
      [0x0001, 'ApplicationVersion'],
      [0x0002, 'StackVersion'],
      [0x0003, 'HWVersion'],
      [0x0004, 'ManufacturerName'],
      [0x0005, 'ModelIdentifier'],
      [0x0006, 'DateCode'],
      [0x0007, 'PowerSource'],
    ]),
  ],
  [
    0x0700,
    A([
      [0x0100, 'Block1Threshold'],
      [0x0101, 'Block2Threshold'],
      [0x0102, 'Block3Threshold'],
      [0x0200, 'StartOfBlockPeriod'],
      [0x0201, 'BlockPeriodDuration'],
      [0x0202, 'ThresholdMultiplier'],
      [0x0203, 'ThresholdDivisor'],
      [0x0300, 'CommodityType'],
      [0x0301, 'StandingCharge'],
      [0x0302, 'ConversionFactor'],
      [0x0303, 'ConversionFactorTrailingDigit'],
      [0x0304, 'CalorificValue'],
      [0x0305, 'CalorificValueUnit'],
      [0x0306, 'CalorificValueTrailingDigit'],
      [0x0400, 'NoTierBlock1Price'],
      [0x0401, 'NoTierBlock2Price'],
      [0x0402, 'NoTierBlock3Price'],
      [0x0403, 'NoTierBlock4Price'],
      [0x0410, 'Tier1Block1Price'],
      [0x0420, 'Tier2Block1Price'],
      [0x0430, 'Tier3Block1Price'],
      [0x0440, 'Tier4Block1Price'],
      [0x0610, 'TariffLabel'],
      [0x0611, 'NumberOfPriceTiersInUse'],
      [0x0612, 'NumberOfBlockThresholdsInUse'],
      [0x0613, 'TierBlockMode'],
      [0x0615, 'UnitOfMeasure'],
      [0x0616, 'Currency'],
      [0x0617, 'PriceTrailingDigit'],
      [0x0619, 'TariffResolutionPeriod'],
    ]),
  ],
  [
    0x0702,
    A([
      [0x0000, 'CurrentSummationDelivered'],
      [0x0001, 'CurrentSummationReceived'],
      [0x0014, 'SupplyStatus'],
      [0x0100, 'CurrentTier1SummationDelivered'],
      [0x0102, 'CurrentTier2SummationDelivered'],
      [0x0104, 'CurrentTier3SummationDelivered'],
      [0x0106, 'CurrentTier4SummationDelivered'],
      [0x0200, 'Status'],
      [0x0205, 'RemainingBatteryLifeInDays'],
      [0x0206, 'CurrentMeterID'],
      [0x0207, 'AmbientConsumptionIndicator'],
      [0x0300, 'UnitOfMeasure'],
      [0x0301, 'Multiplier'],
      [0x0302, 'Divisor'],
      [0x0303, 'SummationFormatting'],
      [0x0306, 'MeteringDeviceType'],
      [0x0307, 'SiteID'],
      [0x0400, 'InstantaneousDemand'],
      [0x0401, 'CurrentDayConsumptionDelivered'],
      [0x0403, 'PreviousDayConsumptionDelivered'],
      [0x0607, 'SupplyTamperState'],
      [0x0608, 'SupplyDepletionState'],
      [0x0609, 'SupplyUncontrolledFlowState'],
      [0x0700, 'CurrentNoTierBlock1SummationDelivered'],
      [0x0701, 'CurrentNoTierBlock2SummationDelivered'],
      [0x0702, 'CurrentNoTierBlock3SummationDelivered'],
      [0x0703, 'CurrentNoTierBlock4SummationDelivered'],
      [0x0a00, 'BillToDateDelivered'],
      [0x0a01, 'BillToDateTimeStampDelivered'],
      [0x0b10, 'UncontrolledFlowThreshold'],
      [0x0b11, 'UncontrolledFlowThresholdUnitOfMeasure'],
      [0x0b12, 'UncontrolledFlowMultiplier'],
      [0x0b13, 'UncontrolledFlowDivisor'],
      [0x0b14, 'FlowStabilisationPeriod'],
      [0x0b15, 'FlowMeasurementPeriod'],
    ]),
  ],
  [
    0x0705,
    A([
      [0x0000, 'PaymentControlConfiguration'],
      [0x0001, 'CreditRemaining'],
      [0x0002, 'EmergencyCreditRemaining'],
      [0x0003, 'CreditStatus'],
      [0x0004, 'CreditRemainingTimestamp'],
      [0x0005, 'AccumulatedDebt'],
      [0x0006, 'OverallDebtCap'],
      [0x0010, 'EmergencyCreditLimitAllowance'],
      [0x0011, 'EmergencyCreditThreshold'],
      [0x0020, 'TotalCreditAdded'],
      [0x0021, 'MaxCreditLimit'],
      [0x0022, 'MaxCreditPerTopUp'],
      [0x0030, 'FriendlyCreditWarning'],
      [0x0031, 'LowCreditWarningLevel'],
      [0x0032, 'IHDLowCreditWarningLevel'],
      [0x0040, 'CutOffValue'],
      [0x0210, 'DebtLabel1'],
      [0x0211, 'DebtAmount1'],
      [0x0212, 'DebtRecoveryMethod1'],
      [0x0213, 'DebtRecoveryStartTime1'],
      [0x0214, 'DebtRecoveryCollectionTime1'],
      [0x0216, 'DebtRecoveryFrequency1'],
      [0x0217, 'DebtRecoveryAmount1'],
      [0x0219, 'DebtRecoveryTopUpPercentage1'],
      [0x0220, 'DebtLabel2'],
      [0x0221, 'DebtAmount2'],
      [0x0226, 'DebtRecoveryFrequency2'],
      [0x0227, 'DebtRecoveryAmount2'],
      [0x0230, 'DebtLabel3'],
      [0x0231, 'DebtAmount3'],
      [0x0239, 'DebtRecoveryTopUpPercentage3'],
    ]),
  ],
]);

export const SUPPLY_STATUS_NAMES: Readonly<Record<number, string>> = { 0: 'Supply OFF', 1: 'Supply OFF/ARMED', 2: 'Supply ON' };
const ATTRIBUTE_VALUES: ReadonlyMap<string, Readonly<Record<number, string>>> = new Map([['0702/0014', SUPPLY_STATUS_NAMES]]);

export function attributeValueNames(cluster: number, attribute: number): Readonly<Record<number, string>> | undefined {
  return ATTRIBUTE_VALUES.get(`${cluster.toString(16).padStart(4, '0')}/${attribute.toString(16).padStart(4, '0')}`);
}

export const ZCL_STATUS: Readonly<Record<number, string>> = {
  0x00: 'SUCCESS',
  0x01: 'FAILURE',
  0x7e: 'NOT_AUTHORIZED',
  0x80: 'MALFORMED_COMMAND',
  0x81: 'UNSUP_CLUSTER_COMMAND',
  0x82: 'UNSUP_GENERAL_COMMAND',
  0x85: 'INVALID_FIELD',
  0x86: 'UNSUPPORTED_ATTRIBUTE',
  0x87: 'INVALID_VALUE',
  0x88: 'READ_ONLY',
  0x8b: 'NOT_FOUND',
  0xc0: 'HARDWARE_FAILURE',
  0xc1: 'SOFTWARE_FAILURE',
};

export const PROFILE_WIDE_COMMANDS: Readonly<Record<number, string>> = {
  0x00: 'Read Attributes',
  0x01: 'Read Attributes Response',
  0x02: 'Write Attributes',
  0x04: 'Write Attributes Response',
  0x0b: 'Default Response',
};

// ZCL type codes used in the layouts below.
const U8 = 0x20,
  U16 = 0x21,
  U24 = 0x22,
  U32 = 0x23,
  I32 = 0x2b,
  E8 = 0x30,
  B8 = 0x18,
  B16 = 0x19,
  B32 = 0x1b,
  UTC = 0xe2,
  OCT = 0x41,
  DATE = 0xe1;
const ISSUER = [
  ['Provider ID', U32],
  ['Issuer Event ID', U32],
] as const;
const SNAPSHOT_HEADER: ZclField[] = [
  ['Snapshot ID', U32],
  ['Snapshot Time', UTC],
  ['Total Snapshots Found', U8],
  ['Command Index', U8],
  ['Total Number of Commands', U8],
  ['Snapshot Cause', B32],
  ['Snapshot Payload Type', E8],
];
const SNAPSHOT_REQUEST: ZclField[] = [
  ['Earliest Start Time', UTC],
  ['Latest End Time', UTC],
  ['Snapshot Offset', U8],
  ['Snapshot Cause', B32],
];
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

interface ZclCommand {
  readonly name: string;
  readonly fields?: readonly ZclField[];
}
const C = (entries: Array<[number, ZclCommand]>) => new Map(entries);

/** Cluster-specific commands, by cluster, then direction (client = to the server, i.e. to the meter), then id. */
export const COMMANDS: ReadonlyMap<number, { readonly client: ReadonlyMap<number, ZclCommand>; readonly server: ReadonlyMap<number, ZclCommand> }> = new Map([
  [
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
        [0x00, { name: 'Publish Price' }],
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
        [0x06, { name: 'Publish Block Thresholds' }],
        [
          0x09,
          {
            name: 'Publish Billing Period',
            fields: [...ISSUER, ['Billing Period Start Time', UTC], ['Billing Period Duration', U24], ['Billing Period Duration Type', B8], ['Tariff Type', B8]],
          },
        ],
      ]),
    },
  ],
  [
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
        [0x06, { name: 'Publish Snapshot', fields: SNAPSHOT_HEADER }],
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
  ],
  [
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
  ],
  [
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
  ],
  [
    0x0707,
    {
      client: C([
        [0x00, { name: 'Get Calendar' }],
        [0x01, { name: 'Get Day Profiles' }],
        [0x02, { name: 'Get Week Profiles' }],
        [0x03, { name: 'Get Seasons' }],
        [0x04, { name: 'Get Special Days' }],
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
  ],
  [
    0x0708,
    {
      client: C([[0x04, { name: 'Report Event Configuration' }]]),
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
        [0x04, { name: 'Set Event Configuration' }],
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
  ],
  [
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
  ],
]);

export function zclCommand(cluster: number, toServer: boolean, id: number): ZclCommand | undefined {
  const c = COMMANDS.get(cluster);
  return (toServer ? c?.client : c?.server)?.get(id);
}
