import { ValidationError } from '../../domain/errors.ts';
import { diffieHellman, type KeyObject } from 'node:crypto';
import type { Eui } from '../../domain/eui.ts';
import { encodePreCommand, signedRegion, withSignature, wrapGeneralCiphering, type ApduHeader } from '../../gbcs/build-frame.ts';
import { decodeFrame } from '../../gbcs/decode-frame.ts';
import { frameMac, macEquals } from '../../gbcs/frame-mac.ts';
import type { GbcsFrame, GeneralSigningApdu } from '../../gbcs/frame.ts';
import { GbcsDecodeError } from '../../gbcs/gbcs-error.ts';
import { ROLE } from '../../gbcs/payloads/credentials.ts';
import { signRaw, verifyRaw } from '../../gbcs/signature.ts';
import { REFUSAL_ALERT, type RefusalReason } from './alert-codes.ts';
import type { DerivedKeyPair } from './derived-keys.ts';
import type { DeviceModelSpec } from './device-model.ts';
import { TrustAnchors } from './trust-anchors.ts';
import type { KeyCodec } from './key-codec.ts';

/** A device's answer: a response frame, or a refusal with the device's code and, where it can, a signed alert. */
export type DeviceReply =
  | { readonly accepted: true; readonly useCase: string; readonly response: Uint8Array }
  | {
      readonly accepted: false;
      readonly reason: RefusalReason;
      readonly alertCode: number;
      readonly detail: string;
      /** A response the device still sends (a top-up it authenticated but refused), if any. */
      readonly response: Uint8Array | null;
      /** A signed GCA alert to the originator, when the frame could be read. */
      readonly alert: Uint8Array | null;
    };

export class Refusal extends Error {
  constructor(
    readonly reason: RefusalReason,
    readonly detail: string,
    readonly response: Uint8Array | null = null,
  ) {
    super(detail);
  }
}

export interface CommandContext {
  readonly apdu: GeneralSigningApdu;
  readonly now: Date;
}

/** How a device accepts one message code: who may send it, whether signed, and what it does. */
export interface CommandSpec {
  readonly useCase: string;
  /** Signed by the User: the DS cell of `signerRole` must verify it. */
  readonly critical: boolean;
  readonly signerRole: number | null;
  /** Roles that may originate it (the originator's EUI must be in a cell of one of them). */
  readonly allowedRoles: readonly number[];
  /** Overrides the role rule, for commands from a paired HAN device rather than a remote party. */
  readonly authorise?: (originator: Eui) => boolean;
  /** Arrives without the ACB MAC (Recovery CS02b, device-to-device HAN commands). */
  readonly macOptional?: boolean;
  /** The response header carries the device's date-time (CS01a/b, CS02b). */
  readonly responseDateTime?: boolean;
  /** Returns the response content; throws Refusal (before changing anything) to refuse. */
  handle(ctx: CommandContext): Uint8Array;
}

export interface DeviceState {
  readonly counters: Array<[string, string]>;
  readonly alertCounter: string;
  readonly anchors: ReturnType<TrustAnchors['export']>;
  readonly own: Record<string, unknown>;
}

export interface DeviceKeys {
  readonly ds: DerivedKeyPair;
  readonly ka: DerivedKeyPair;
}

function dlmsDateTime(d: Date): Uint8Array {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(d.getUTCFullYear(), 0);
  b[2] = d.getUTCMonth() + 1;
  b[3] = d.getUTCDate();
  b[4] = ((d.getUTCDay() + 6) % 7) + 1;
  b[5] = d.getUTCHours();
  b[6] = d.getUTCMinutes();
  b[7] = d.getUTCSeconds();
  b[8] = 0xff;
  b.writeUInt16BE(0, 9);
  b[11] = 0x00;
  return b;
}

/**
 * A SMETS2 device as the simulation runs it: every command is decoded, addressed, authenticated
 * (ACB MAC, and for critical commands the signature of the cell the use case requires), checked
 * for a rising counter, and only then executed; the response is signed or MACed with the device's
 * own keys. A refusal leaves the device's state as it was.
 */
export abstract class SimulatedDevice {
  readonly anchors: TrustAnchors;
  /** Highest counter accepted from each originator. */
  readonly counters = new Map<Eui, bigint>();
  #alertCounter = 0n;
  #keys: DeviceKeys | undefined;
  // Z with each peer key, as a device keeps it: the per-message AES key still comes from the KDF.
  readonly #secrets = new WeakMap<KeyObject, Uint8Array>();

  constructor(
    readonly eui: Eui,
    readonly model: DeviceModelSpec,
    private readonly keySource: () => DeviceKeys,
    codec?: KeyCodec,
  ) {
    this.anchors = new TrustAnchors(codec);
  }

  /** The device's own key pairs (derived when first needed). */
  get keys(): DeviceKeys {
    return (this.#keys ??= this.keySource());
  }

  protected abstract commands(): ReadonlyMap<number, CommandSpec>;

  receive(bytes: Uint8Array, now: Date): DeviceReply {
    let frame: GbcsFrame;
    try {
      frame = decodeFrame(bytes);
    } catch (e) {
      if (!(e instanceof GbcsDecodeError)) throw e;
      return this.#refuse(null, 'malformed', e.message, null, now);
    }
    const a = frame.apdu;
    try {
      if (a.cra !== 'command') throw new Refusal('unsupported-command', `a device accepts commands, not a ${a.cra}`);
      if (a.recipient !== this.eui) throw new Refusal('wrong-recipient', `addressed to ${a.recipient}, this is ${this.eui}`);
      const spec = this.commands().get(a.messageCode);
      if (!spec) throw new Refusal('unsupported-command', `message code 0x${a.messageCode.toString(16).padStart(4, '0')} is not supported by a ${this.model.type}`);
      this.#authenticate(frame, spec);
      const last = this.counters.get(a.originator);
      if (last !== undefined && a.originatorCounter <= last) {
        throw new Refusal('counter-not-increasing', `counter ${a.originatorCounter} from ${a.originator} is not above ${last}`);
      }
      const content = spec.handle({ apdu: a, now });
      this.counters.set(a.originator, a.originatorCounter);
      return { accepted: true, useCase: spec.useCase, response: this.#respond(a, spec, content, now) };
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      const response = e.response ? this.#respond(a, this.commands().get(a.messageCode)!, e.response, now) : null;
      if (e.response) this.counters.set(a.originator, a.originatorCounter);
      return this.#refuse(a, e.reason, e.detail, response, now);
    }
  }

  #authenticate(frame: GbcsFrame, spec: CommandSpec): void {
    const a = frame.apdu;
    const roles = this.anchors.rolesOf(a.originator);
    if (spec.authorise ? !spec.authorise(a.originator) : !roles.some((r) => spec.allowedRoles.includes(r))) {
      throw new Refusal('signer-not-authorised', `${a.originator} holds no cell of a role allowed to send ${spec.useCase}`);
    }
    if (frame.ciphering) {
      const peer = this.macPeer(a);
      if (!peer || !macEquals(frameMac(this.secretWith(peer), a, a.bytes), frame.ciphering.mac)) {
        throw new Refusal('mac-invalid', 'the MAC does not verify');
      }
    } else if (!spec.macOptional) {
      throw new Refusal('mac-invalid', `${spec.useCase} must carry the ACB MAC`);
    }
    if (spec.critical) {
      const cell = spec.signerRole === null ? undefined : this.anchors.get(spec.signerRole, 'ds');
      if (!cell || cell.partyEui !== a.originator) {
        throw new Refusal('signer-not-authorised', `${spec.useCase} must be signed by the role ${spec.signerRole} cell holder, not ${a.originator}`);
      }
      if (!a.signature || !verifyRaw(cell.publicKey, a.signedBytes, a.signature)) throw new Refusal('signature-invalid', 'the signature does not verify');
    }
  }

  secretWith(peer: KeyObject): Uint8Array {
    let z = this.#secrets.get(peer);
    if (!z) this.#secrets.set(peer, (z = diffieHellman({ privateKey: this.keys.ka.privateKey, publicKey: peer })));
    return z;
  }

  /**
   * Back to factory state: no counters, no remembered codes. Some models cannot do this (seed 000)
   * and say so; such devices are scrapped rather than re-used.
   */
  factoryReset(): void {
    if (!this.model.factoryReset) {
      throw new ValidationError(
        'device',
        'factory-reset',
        `${this.model.manufacturer} ${this.model.model} cannot be factory reset: scrap it, or re-use it only with its credentials replaced`,
      );
    }
    this.counters.clear();
    this.resetState();
  }

  protected abstract resetState(): void;

  /** Whose KA key the MAC is keyed with: the ACB for commands via the DCC. */
  protected macPeer(_apdu: GeneralSigningApdu): KeyObject | undefined {
    return this.anchors.get(ROLE.acb, 'ka')?.publicKey;
  }

  /** The KA key a response's MAC is keyed with: the recipient's cell. */
  protected responsePeer(apdu: GeneralSigningApdu): KeyObject | undefined {
    for (const role of this.anchors.rolesOf(apdu.originator)) {
      const c = this.anchors.get(role, 'ka');
      if (c && c.partyEui === apdu.originator) return c.publicKey;
    }
    return undefined;
  }

  #respond(a: GeneralSigningApdu, spec: CommandSpec, content: Uint8Array, now: Date): Uint8Array {
    const h: ApduHeader = {
      cra: 'response',
      originatorCounter: a.originatorCounter,
      originator: this.eui,
      recipient: a.originator,
      dateTime: spec.responseDateTime ? dlmsDateTime(now) : null,
      messageCode: a.messageCode,
    };
    const pre = encodePreCommand(h, content);
    if (spec.critical) return withSignature(pre, signRaw(this.keys.ds.privateKey, signedRegion(pre)));
    const apdu = withSignature(pre, null);
    const peer = this.responsePeer(a);
    if (!peer) return apdu;
    return wrapGeneralCiphering(apdu, frameMac(this.secretWith(peer), h, apdu));
  }

  #refuse(a: GeneralSigningApdu | null, reason: RefusalReason, detail: string, response: Uint8Array | null, now: Date): DeviceReply {
    const alertCode = REFUSAL_ALERT[reason];
    return { accepted: false, reason, alertCode, detail, response, alert: a ? this.alert(alertCode, a.originator, now) : null };
  }

  /** A Generic Critical Alert (0x1000) carrying the alert code, signed by the device. */
  alert(alertCode: number, to: Eui, now: Date): Uint8Array {
    const counter = ++this.#alertCounter;
    const c = Number(counter & 0xffffffn);
    const body = Buffer.concat([
      Uint8Array.of(0x0f, 0x20, (c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff, 0x00, 0x02, 0x02, 0x12, alertCode >> 8, alertCode & 0xff, 0x09, 0x0c),
      dlmsDateTime(now),
    ]);
    const pre = encodePreCommand({ cra: 'alert', originatorCounter: counter, originator: this.eui, recipient: to, dateTime: null, messageCode: 0x1000 }, body);
    return withSignature(pre, signRaw(this.keys.ds.privateKey, signedRegion(pre)));
  }

  /** Everything that changes as the device works, as JSON: saved between processes. */
  exportState(): DeviceState {
    return {
      counters: [...this.counters].map(([k, v]) => [k, v.toString()]),
      alertCounter: this.#alertCounter.toString(),
      anchors: this.anchors.export(),
      own: this.exportOwn(),
    };
  }

  restoreState(s: DeviceState): void {
    this.counters.clear();
    for (const [k, v] of s.counters) this.counters.set(k as Eui, BigInt(v));
    this.#alertCounter = BigInt(s.alertCounter);
    this.anchors.restore(s.anchors);
    this.restoreOwn(s.own);
  }

  protected abstract exportOwn(): Record<string, unknown>;
  protected abstract restoreOwn(own: Record<string, unknown>): void;

  /** State that matters for "nothing changed on refusal" checks. */
  snapshot(): Record<string, unknown> {
    return { counters: Object.fromEntries([...this.counters].map(([k, v]) => [k, v.toString()])), anchors: this.anchors.snapshot(), ...this.stateSnapshot() };
  }

  protected abstract stateSnapshot(): Record<string, unknown>;
}
