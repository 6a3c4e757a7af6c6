import type { Eui } from './eui.ts';

/** Which lifecycle an event moves: the DCC inventory, the physical asset, or the registry record itself. */
export type Lifecycle = 'inventory' | 'asset' | 'registry';

/** One transition: who, when, where, why. Events are append-only. */
export interface DeviceEvent {
  readonly id: number;
  readonly deviceEui: Eui;
  readonly lifecycle: Lifecycle;
  readonly fromStatus: string | null;
  readonly toStatus: string;
  readonly actorPartyId: string;
  readonly occurredAt: Date;
  readonly location: string | null;
  readonly reason: string | null;
}

export type NewDeviceEvent = Omit<DeviceEvent, 'id'>;
