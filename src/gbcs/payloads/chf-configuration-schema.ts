import type { DataSchema } from './dlms-data.ts';

/*
 * The CHF's Sub GHz configuration (0-0:94.44.10.0, value), as DUIS SR 6.28 Set CHF Sub GHz
 * Configuration and SR 6.30 Read CHF Sub GHz Configuration name it (duis-5.4.xsd
 * SubGHzConfiguration, mmc-5.4.xsd ReadCHFSubGHzConfigurationRsp): the fifteen elements in the
 * schema's order, which is the order of the fifteen values of the DLMS structure. The RTDS DBCH04
 * command carries the values of its DUIS template, so the scalers are read from it: the duty cycle
 * thresholds and the percentages (decimals of one or two fraction digits in DUIS) travel as
 * hundredths. The channel sets are 32-bit masks: in the RTDS, the top five bits hold the ZigBee
 * channel page (28 to 31, one per set) and bit n the set's n-th channel from its first.
 */
const hundredths = (name: string): DataSchema => ({ name, unit: '', scaler: -2 });

export const SUB_GHZ_CONFIGURATION: DataSchema = {
  name: 'SubGHzConfiguration',
  members: [
    { name: 'LowerBandSubGHzChannels0To26' },
    { name: 'LowerBandSubGHzChannels27To34' },
    { name: 'LowerBandSubGHzChannels35To61' },
    { name: 'UpperBandSubGHzChannels0To26' },
    hundredths('NormalLimitedDutyCycleThreshold'),
    hundredths('LimitedCriticalDutyCycleThreshold'),
    { name: 'MaximumSubGHzChannelChangesPerWeek' },
    { name: 'GSMECurfew' },
    { name: 'ChannelQuieterThreshold' },
    { name: 'ChannelNoisierThreshold' },
    hundredths('NonGSMEPoorCommsPercentageThreshold'),
    { name: 'NonGSMEPoorCommsMeasurementPeriods' },
    { name: 'LocalCHNoiseMeasurementPeriod' },
    hundredths('LocalCHFailurePercentage'),
    hundredths('LocalCHRetryPercentage'),
  ],
};
