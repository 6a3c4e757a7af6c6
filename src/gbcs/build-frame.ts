import type { Eui } from '../domain/eui.ts';
import { derLengthBytes } from './byte-reader.ts';
import type { CraFlag } from './frame.ts';
import { frameMac } from './frame-mac.ts';
import { macSecret } from './mac-secret.ts';
import { KeyNotFoundError, type KeyStore } from './key-store.ts';

const CRA_BYTE: Record<CraFlag, number> = { command: 1, response: 2, alert: 3 };

export interface ApduHeader {
  readonly cra: CraFlag;
  readonly originatorCounter: bigint;
  readonly originator: Eui;
  readonly recipient: Eui;
  /** The 12 DLMS date-time bytes, or null for absent (`00`). */
  readonly dateTime: Uint8Array | null;
  readonly messageCode: number;
  /** Bytes of Other-Information after the message code (usually none). */
  readonly otherInformation?: Uint8Array;
}

/** The General-Signing APDU without its signature field: what the DCC returns as a pre-command. */
export function encodePreCommand(h: ApduHeader, content: Uint8Array): Uint8Array {
  const extra = h.otherInformation ?? EMPTY;
  const oiLen = derLengthBytes(2 + extra.length);
  const contentLen = derLengthBytes(content.length);
  const dt = h.dateTime ? 13 : 1;
  const b = Buffer.allocUnsafe(3 + 8 + 9 + 9 + dt + oiLen.length + 2 + extra.length + contentLen.length + content.length);
  b[0] = 0xdf;
  b[1] = 0x09;
  b[2] = CRA_BYTE[h.cra];
  let o = b.writeBigUInt64BE(BigInt.asUintN(64, h.originatorCounter), 3);
  b[o++] = 0x08;
  o += b.write(h.originator, o, 8, 'hex');
  b[o++] = 0x08;
  o += b.write(h.recipient, o, 8, 'hex');
  if (h.dateTime) {
    b[o++] = 0x0c;
    b.set(h.dateTime, o);
    o += 12;
  } else b[o++] = 0x00;
  b.set(oiLen, o);
  o += oiLen.length;
  o = b.writeUInt16BE(h.messageCode, o);
  b.set(extra, o);
  o += extra.length;
  b.set(contentLen, o);
  b.set(content, o + contentLen.length);
  return b;
}

const EMPTY = new Uint8Array();

/** The bytes a signature covers: the pre-command less its leading DF. */
export function signedRegion(preCommand: Uint8Array): Uint8Array {
  return preCommand.subarray(1);
}

/** Completes a pre-command with a signature field: 64-byte r||s, or `00` for an unsigned APDU. */
export function withSignature(preCommand: Uint8Array, signature: Uint8Array | null): Uint8Array {
  if (signature && signature.length !== 64) throw new RangeError(`a GBCS signature is 64 bytes (r||s), got ${signature.length}`);
  const b = Buffer.allocUnsafe(preCommand.length + (signature ? 65 : 1));
  b.set(preCommand, 0);
  b[preCommand.length] = signature ? 0x40 : 0x00;
  if (signature) b.set(signature, preCommand.length + 1);
  return b;
}

/** Wraps a General-Signing APDU in the General-Ciphering frame with its 12-byte MAC. */
export function wrapGeneralCiphering(apdu: Uint8Array, mac: Uint8Array): Uint8Array {
  const bodyLength = 5 + apdu.length + mac.length;
  const len = derLengthBytes(bodyLength);
  const b = Buffer.alloc(7 + len.length + bodyLength);
  b[0] = 0xdd;
  b.set(len, 7);
  b[7 + len.length] = 0x11;
  b.set(apdu, 12 + len.length);
  b.set(mac, 12 + len.length + apdu.length);
  return b;
}

/** The MAC of an APDU with the keystore's side of the pair (the ACB for commands). */
export async function macFor(keys: KeyStore, h: ApduHeader, apdu: Uint8Array, acb: Eui): Promise<Uint8Array> {
  const z = await macSecret(h, keys, acb);
  if (typeof z === 'string') throw new KeyNotFoundError(`${h.originator} or ${h.recipient}`, 'ka', 'private');
  return frameMac(z, h, apdu);
}

export interface BuildOptions {
  /** Sign with the originator's DS key (critical commands). */
  readonly sign: boolean;
  /** Wrap with the ACB MAC (everything but Recovery-signed and device-signed frames). */
  readonly mac: boolean;
  readonly acb: Eui;
}

/** Pre-command -> signature (if critical) -> MAC wrapper: the frame a device receives. */
export async function buildFrame(keys: KeyStore, h: ApduHeader, content: Uint8Array, opts: BuildOptions): Promise<Uint8Array> {
  const pre = encodePreCommand(h, content);
  const signature = opts.sign ? await keys.sign(h.originator, 'ds', signedRegion(pre)) : null;
  const apdu = withSignature(pre, signature);
  return opts.mac ? wrapGeneralCiphering(apdu, await macFor(keys, h, apdu, opts.acb)) : apdu;
}
