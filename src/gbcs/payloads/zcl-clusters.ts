import { CALENDAR_COMMANDS } from './zcl-calendar-commands.ts';
import { DEVICE_MANAGEMENT_COMMANDS, EVENTS_COMMANDS } from './zcl-device-commands.ts';
import { METERING_COMMANDS } from './zcl-metering-commands.ts';
import { MESSAGING_COMMANDS, PREPAYMENT_COMMANDS } from './zcl-prepayment-commands.ts';
import { PRICE_COMMANDS } from './zcl-price-commands.ts';
import { SUPPLY_STATUS_NAMES, type ClusterCommands, type ZclCommand } from './zcl-types.ts';

export { SUPPLY_STATUS_NAMES };

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

/** Cluster-specific commands, by cluster, then direction (client = to the server, i.e. to the meter), then id. */
export const COMMANDS: ReadonlyMap<number, ClusterCommands> = new Map([
  PRICE_COMMANDS,
  METERING_COMMANDS,
  MESSAGING_COMMANDS,
  PREPAYMENT_COMMANDS,
  CALENDAR_COMMANDS,
  DEVICE_MANAGEMENT_COMMANDS,
  EVENTS_COMMANDS,
]);

export function zclCommand(cluster: number, toServer: boolean, id: number): ZclCommand | undefined {
  const c = COMMANDS.get(cluster);
  return (toServer ? c?.client : c?.server)?.get(id);
}
