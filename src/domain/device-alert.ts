import type { Eui } from './eui.ts';

/** A device alert as meterops recorded it: verified, once per alert counter. */
export interface DeviceAlert {
  readonly deviceEui: Eui;
  readonly alertCode: number;
  readonly counter: bigint;
  readonly raisedAt: Date;
  readonly frame: string;
  readonly receivedAt: Date;
}
