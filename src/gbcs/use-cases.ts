import { buildEsmeTopUpCommand, buildLoadSwitchCommand, buildReadLoadSwitchCommand } from './payloads/dlms.ts';
import { buildChangeSupplyCommand, buildConsumerTopUpCommand, buildReadValveCommand, ORIGINATING_DEVICE } from './payloads/gbz.ts';

/**
 * The GBCS use cases meterops builds: message code, whether the command is critical (signed by the
 * User), and which remote-party role must sign it.
 */
export interface UseCaseSpec {
  readonly name: string;
  readonly messageCode: number;
  readonly critical: boolean;
  /** Role that signs a critical command (GBCS remote party role). */
  readonly signerRole: 'supplier' | 'networkOperator' | 'recovery' | null;
  readonly deviceType: 'ESME' | 'GSME' | 'any';
}

export const USE_CASES: Readonly<Record<string, UseCaseSpec>> = {
  CS01a: { name: 'Top up ESME (UTRN)', messageCode: 0x0007, critical: false, signerRole: null, deviceType: 'ESME' },
  CS01b: { name: 'Top up GSME (UTRN)', messageCode: 0x0097, critical: false, signerRole: null, deviceType: 'GSME' },
  PCS01: { name: 'Top up GSME via PPMID', messageCode: 0x009b, critical: false, signerRole: null, deviceType: 'GSME' },
  ECS42: { name: 'Close load switch (enable supply)', messageCode: 0x004f, critical: true, signerRole: 'supplier', deviceType: 'ESME' },
  ECS43: { name: 'Open load switch (disable supply)', messageCode: 0x0050, critical: true, signerRole: 'supplier', deviceType: 'ESME' },
  ECS44: { name: 'Arm load switch', messageCode: 0x0051, critical: true, signerRole: 'supplier', deviceType: 'ESME' },
  ECS45: { name: 'Read load switch', messageCode: 0x0052, critical: false, signerRole: null, deviceType: 'ESME' },
  GCS32: { name: 'Close valve (disable gas supply)', messageCode: 0x0081, critical: true, signerRole: 'supplier', deviceType: 'GSME' },
  GCS33: { name: 'Read valve', messageCode: 0x0082, critical: false, signerRole: null, deviceType: 'GSME' },
  GCS39: { name: 'Arm valve', messageCode: 0x0085, critical: true, signerRole: 'supplier', deviceType: 'GSME' },
  CS02a: { name: 'Read security credentials', messageCode: 0x0008, critical: false, signerRole: null, deviceType: 'any' },
  CS02bSupplierBySupplier: { name: 'Replace supplier credentials', messageCode: 0x0102, critical: true, signerRole: 'supplier', deviceType: 'any' },
  CS02bNOByNO: { name: 'Replace network operator credentials', messageCode: 0x0103, critical: true, signerRole: 'networkOperator', deviceType: 'any' },
  CS02bAnyExceptAbnormalRootByRecovery: {
    name: 'Replace any credentials except an abnormal root, by Recovery',
    messageCode: 0x0108,
    critical: true,
    signerRole: 'recovery',
    deviceType: 'any',
  },
};

/** Content builders for the use cases whose payload needs only the counter (and a UTRN for top-ups). */
export const SIMPLE_CONTENT: Readonly<Record<string, (counter: bigint, utrn?: string) => Uint8Array>> = {
  ECS42: (c) => buildLoadSwitchCommand('ECS42', c),
  ECS43: (c) => buildLoadSwitchCommand('ECS43', c),
  ECS44: (c) => buildLoadSwitchCommand('ECS44', c),
  ECS45: (c) => buildReadLoadSwitchCommand(c),
  GCS32: () => buildChangeSupplyCommand('GCS32'),
  GCS39: () => buildChangeSupplyCommand('GCS39'),
  GCS33: () => buildReadValveCommand(),
  CS01a: (c, utrn) => buildEsmeTopUpCommand(utrn!, c),
  CS01b: (_c, utrn) => buildConsumerTopUpCommand(utrn!, ORIGINATING_DEVICE.esi),
  PCS01: (_c, utrn) => buildConsumerTopUpCommand(utrn!, ORIGINATING_DEVICE.ihd),
};
