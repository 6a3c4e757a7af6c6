import type { Eui } from '../../domain/eui.ts';
import { decodeFrame } from '../../gbcs/decode-frame.ts';
import { GbcsDecodeError } from '../../gbcs/gbcs-error.ts';
import { USE_CASES } from '../../gbcs/use-cases.ts';
import type { CommsHub } from './comms-hub.ts';
import type { DeviceReply } from './simulated-device.ts';

/** The hop from the DCC User's side to the PPMID that SECMP0038 considered. */
export type RelayLink = 'wifi' | 'usb' | 'nfc';

/** How a link is used: meterops assumptions, stated (docs/no-wan.md) and overridable in the relay questions study. */
export interface RelayLinkUse {
  /** An attacker outside the premise can reach the link (radio range through the walls). */
  readonly reachableFromOutside: boolean;
  /** The link is up all year (Wi-Fi) rather than only while someone connects it (a cable, a phone held to it). */
  readonly alwaysOn: boolean;
  /** When not always on: how often the consumer connects it, and for how long. */
  readonly sessionsPerYear: number;
  readonly minutesPerSession: number;
}

export const RELAY_LINK_USE: Readonly<Record<RelayLink, RelayLinkUse>> = {
  wifi: { reachableFromOutside: true, alwaysOn: true, sessionsPerYear: 1, minutesPerSession: 1 },
  usb: { reachableFromOutside: false, alwaysOn: false, sessionsPerYear: 52, minutesPerSession: 10 },
  nfc: { reachableFromOutside: false, alwaysOn: false, sessionsPerYear: 52, minutesPerSession: 1 },
};

/** Hours a year the link is up. */
export const linkHoursPerYear = (u: RelayLinkUse): number => (u.alwaysOn ? 365 * 24 : Math.round(((u.sessionsPerYear * u.minutesPerSession) / 60) * 10) / 10);

export interface RelayPolicy {
  /** Message codes the CH forwards from a PPMID: the rest are refused at the hub. */
  readonly allowed: ReadonlySet<number>;
  /** Commands forwarded per target device per rolling hour. */
  readonly perDevicePerHour: number;
}

/** Read the load switch, top up, enable supply (ECS45, CS01a, ECS42): what a prepayment customer needs. */
export const DEFAULT_RELAY_POLICY: RelayPolicy = {
  allowed: new Set([USE_CASES.ECS45!.messageCode, USE_CASES.CS01a!.messageCode, USE_CASES.ECS42!.messageCode]),
  perDevicePerHour: 6,
};

/** SECMP0038's other question: a CH that forwards any GBCS command from the PPMID (same rate limit). */
export const FORWARD_ANYTHING: RelayPolicy = {
  allowed: new Set(Object.values(USE_CASES).map((u) => u.messageCode)),
  perDevicePerHour: DEFAULT_RELAY_POLICY.perDevicePerHour,
};

/** Today's CH: a PPMID's own link (Wi-Fi to the consumer's app) carries no DCC User command to the hub. */
export const NO_RELAY: RelayPolicy = { allowed: new Set(), perDevicePerHour: DEFAULT_RELAY_POLICY.perDevicePerHour };

export type RelayOutcome =
  | { readonly stage: 'hub-refused'; readonly reason: string }
  | { readonly stage: 'rate-limited'; readonly retryAt: Date }
  | { readonly stage: 'delivered'; readonly reply: DeviceReply };

const HOUR = 3_600_000;

/**
 * The simulated SECMP0038 route: a DCC User's command reaches the premise over the PPMID's own
 * link, and the PPMID hands it to the CH, which forwards only allow-listed command types,
 * rate-limited per device, to devices in its device log. Nothing here trusts the link: the target
 * device still checks the ACB MAC, the User's signature and the counter, as for any command.
 */
export class PpmidRelay {
  readonly #recent = new Map<Eui, number[]>();

  constructor(
    readonly hub: CommsHub,
    readonly link: RelayLink,
    readonly policy: RelayPolicy = DEFAULT_RELAY_POLICY,
  ) {}

  relay(frame: Uint8Array, now: Date): RelayOutcome {
    let recipient: Eui;
    let code: number;
    try {
      const a = decodeFrame(frame).apdu;
      if (a.cra !== 'command') return { stage: 'hub-refused', reason: `a ${a.cra} is not relayed` };
      recipient = a.recipient;
      code = a.messageCode;
    } catch (e) {
      if (e instanceof GbcsDecodeError) return { stage: 'hub-refused', reason: e.message };
      throw e;
    }
    if (!this.policy.allowed.has(code)) return { stage: 'hub-refused', reason: `message code 0x${code.toString(16).padStart(4, '0')} is not on the relay allow-list` };
    if (!this.hub.deviceLog.has(recipient)) return { stage: 'hub-refused', reason: `${recipient} is not in this hub's device log` };
    const t = now.getTime();
    const window = (this.#recent.get(recipient) ?? []).filter((x) => t - x < HOUR);
    if (window.length >= this.policy.perDevicePerHour) {
      this.#recent.set(recipient, window);
      return { stage: 'rate-limited', retryAt: new Date(window[0]! + HOUR) };
    }
    window.push(t);
    this.#recent.set(recipient, window);
    const d = this.hub.deliver(frame, now);
    if (!d.delivered) return { stage: 'hub-refused', reason: d.reason };
    return { stage: 'delivered', reply: d.reply };
  }
}
