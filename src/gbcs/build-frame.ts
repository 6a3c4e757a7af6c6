import { euiToBytes, type Eui } from '../domain/eui.ts';
import { derLengthBytes } from './byte-reader.ts';
import type { CraFlag } from './frame.ts';
import { frameMac, macParties } from './frame-mac.ts';
import { counterBytes } from './kdf.ts';
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
  const oi = Buffer.concat([Uint8Array.of(h.messageCode >> 8, h.messageCode & 0xff), h.otherInformation ?? new Uint8Array()]);
  return Buffer.concat([
    Uint8Array.of(0xdf, 0x09, CRA_BYTE[h.cra]),
    counterBytes(h.originatorCounter),
    Uint8Array.of(0x08),
    euiToBytes(h.originator),
    Uint8Array.of(0x08),
    euiToBytes(h.recipient),
    h.dateTime ? Buffer.concat([Uint8Array.of(0x0c), h.dateTime]) : Uint8Array.of(0x00),
    derLengthBytes(oi.length),
    oi,
    derLengthBytes(content.length),
    content,
  ]);
}

/** The bytes a signature covers: the pre-command less its leading DF. */
export function signedRegion(preCommand: Uint8Array): Uint8Array {
  return preCommand.subarray(1);
}

/** Completes a pre-command with a signature field: 64-byte r||s, or `00` for an unsigned APDU. */
export function withSignature(preCommand: Uint8Array, signature: Uint8Array | null): Uint8Array {
  if (signature && signature.length !== 64) throw new RangeError(`a GBCS signature is 64 bytes (r||s), got ${signature.length}`);
  return Buffer.concat([preCommand, signature ? Buffer.concat([Uint8Array.of(0x40), signature]) : Uint8Array.of(0x00)]);
}

/** Wraps a General-Signing APDU in the General-Ciphering frame with its 12-byte MAC. */
export function wrapGeneralCiphering(apdu: Uint8Array, mac: Uint8Array): Uint8Array {
  const body = Buffer.concat([Uint8Array.of(0x11, 0, 0, 0, 0), apdu, mac]);
  return Buffer.concat([Uint8Array.of(0xdd, 0, 0, 0, 0, 0, 0), derLengthBytes(body.length), body]);
}

/** The MAC of an APDU with the keystore's side of the pair (the ACB for commands). */
export async function macFor(keys: KeyStore, h: ApduHeader, apdu: Uint8Array, acb: Eui): Promise<Uint8Array> {
  const [a, b] = macParties(h, acb);
  for (const [mine, theirs] of [[a, b], [b, a]] as const) {
    if (!(await keys.hasPrivateKey(mine, 'ka'))) continue;
    const pub = await keys.publicKey(theirs, 'ka');
    if (pub) return frameMac(await keys.agree(mine, 'ka', pub), h, apdu);
  }
  throw new KeyNotFoundError(`${a} or ${b}`, 'ka', 'private');
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
