import type { Eui } from '../../domain/eui.ts';
import { decodeFrame } from '../../gbcs/decode-frame.ts';
import { GbcsDecodeError } from '../../gbcs/gbcs-error.ts';
import { ROLE } from '../../gbcs/payloads/credentials.ts';
import { credentialCommands } from './credential-commands.ts';
import { SimulatedDevice, type CommandSpec, type DeviceReply } from './simulated-device.ts';

export type WanStatus = 'covered' | 'intermittent' | 'none';
export const JOIN_WINDOW_MINUTES = 60;

/** What a hub can deliver to: a HAN device that answers frames. */
export interface HanDevice {
  readonly eui: Eui;
  receive(bytes: Uint8Array, now: Date): DeviceReply;
}

export type HubDelivery = { readonly delivered: true; readonly reply: DeviceReply } | { readonly delivered: false; readonly reason: string };

/**
 * The Communications Hub Function: its HAN device log (the whitelist), its WAN status, delivery of
 * frames to HAN devices, and the 60-minute join window in which an HHT or a PPMID may pair.
 */
export class CommsHub extends SimulatedDevice {
  wan: WanStatus = 'covered';
  readonly deviceLog = new Set<Eui>();
  readonly #han = new Map<Eui, HanDevice>();
  joinWindowOpenedAt: number | null = null;
  readonly paired = new Map<Eui, number>();
  #commands: Map<number, CommandSpec> | undefined;

  protected commands(): ReadonlyMap<number, CommandSpec> {
    return (this.#commands ??= new Map<number, CommandSpec>(credentialCommands(this.anchors)));
  }

  /** Installer step (CCS01's effect): whitelist a HAN device and connect it. */
  join(device: HanDevice): void {
    this.deviceLog.add(device.eui);
    this.#han.set(device.eui, device);
  }

  remove(eui: Eui): void {
    this.deviceLog.delete(eui);
    this.#han.delete(eui);
  }

  openJoinWindow(now: Date): void {
    this.joinWindowOpenedAt = now.getTime();
  }

  joinWindowOpen(now: Date): boolean {
    return this.joinWindowOpenedAt !== null && now.getTime() - this.joinWindowOpenedAt < JOIN_WINDOW_MINUTES * 60_000;
  }

  /** An HHT or PPMID pairs only while the join window is open. */
  pair(client: Eui, now: Date): { paired: boolean; reason?: string } {
    if (!this.joinWindowOpen(now)) return { paired: false, reason: `the ${JOIN_WINDOW_MINUTES}-minute join window is not open` };
    this.paired.set(client, now.getTime());
    return { paired: true };
  }

  /** Delivers a frame to the HAN device it is addressed to, if that device is in the device log. */
  deliver(bytes: Uint8Array, now: Date): HubDelivery {
    let recipient: Eui;
    try {
      recipient = decodeFrame(bytes).apdu.recipient;
    } catch (e) {
      if (e instanceof GbcsDecodeError) return { delivered: false, reason: e.message };
      throw e;
    }
    if (recipient === this.eui) return { delivered: true, reply: this.receive(bytes, now) };
    const target = this.#han.get(recipient);
    if (!target || !this.deviceLog.has(recipient)) return { delivered: false, reason: `${recipient} is not in this hub's device log` };
    return { delivered: true, reply: target.receive(bytes, now) };
  }

  protected exportOwn(): Record<string, unknown> {
    return { wan: this.wan, joinWindowOpenedAt: this.joinWindowOpenedAt };
  }

  protected restoreOwn(o: Record<string, unknown>): void {
    this.wan = o.wan as WanStatus;
    this.joinWindowOpenedAt = o.joinWindowOpenedAt as number | null;
  }

  protected resetState(): void {
    this.deviceLog.clear();
    this.#han.clear();
    this.paired.clear();
    this.joinWindowOpenedAt = null;
  }

  protected stateSnapshot(): Record<string, unknown> {
    return { wan: this.wan, deviceLog: [...this.deviceLog].sort(), joinWindowOpenedAt: this.joinWindowOpenedAt };
  }
}

/** The Gas Proxy Function: the always-on stand-in for the battery-powered GSME, which it wakes to deliver. */
export class GasProxy extends SimulatedDevice {
  gsme: HanDevice | undefined;
  #commands: Map<number, CommandSpec> | undefined;

  protected commands(): ReadonlyMap<number, CommandSpec> {
    return (this.#commands ??= new Map<number, CommandSpec>(credentialCommands(this.anchors, [0x0103, 0x0108])));
  }

  /** A frame for the GSME goes through to it (each one a wake); anything else the GPF answers itself. */
  forward(bytes: Uint8Array, now: Date): DeviceReply {
    try {
      if (this.gsme && decodeFrame(bytes).apdu.recipient === this.gsme.eui) return this.gsme.receive(bytes, now);
    } catch (e) {
      if (!(e instanceof GbcsDecodeError)) throw e;
    }
    return this.receive(bytes, now);
  }

  protected exportOwn(): Record<string, unknown> {
    return {};
  }

  protected restoreOwn(): void {}

  protected resetState(): void {
    this.gsme = undefined;
  }

  protected stateSnapshot(): Record<string, unknown> {
    return { gsme: this.gsme?.eui ?? null };
  }
}

export const HUB_ROLES = [ROLE.acb, ROLE.wanProvider] as const;
