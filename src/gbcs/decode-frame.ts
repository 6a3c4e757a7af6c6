import { euiFromBytes } from '../domain/eui.ts';
import { ByteReader, hex2 } from './byte-reader.ts';
import { decodeDlmsDateTime } from './dlms-date-time.ts';
import type { CraFlag, GbcsFrame, GeneralSigningApdu } from './frame.ts';
import { GbcsDecodeError } from './gbcs-error.ts';

const CRA: Record<number, CraFlag> = { 1: 'command', 2: 'response', 3: 'alert' };
export const MAC_LENGTH = 12;

/**
 * Decodes one GBCS frame: a General-Ciphering (DD) wrapper around a General-Signing APDU, or a
 * bare General-Signing APDU (DF). Every problem is a GbcsDecodeError with the byte offset; no
 * input can make it throw anything else or loop.
 */
export function decodeFrame(bytes: Uint8Array): GbcsFrame {
  if (bytes.length === 0) throw new GbcsDecodeError(0, 'empty input');
  const tag = bytes[0]!;
  if (tag === 0xdf) {
    const apdu = decodeGeneralSigning(new ByteReader(bytes), true);
    return { kind: 'general-signing', apdu, ciphering: null, bytes };
  }
  if (tag === 0xdd) return decodeGeneralCiphering(bytes);
  if (tag === 0xe0) throw new GbcsDecodeError(0, 'segmented frame (General Block Transfer, tag E0): reassemble the blocks first');
  throw new GbcsDecodeError(0, `unknown frame tag 0x${hex2(tag)} (expected DD General-Ciphering or DF General-Signing)`);
}

function decodeGeneralCiphering(bytes: Uint8Array): GbcsFrame {
  const r = new ByteReader(bytes);
  r.expect(0xdd, 'General-Ciphering tag');
  // GBCS leaves transaction id, originator and recipient titles, date-time, other-information
  // and key-info empty; anything else is not a GBCS frame.
  for (const field of ['transaction-id', 'originator-system-title', 'recipient-system-title', 'date-time', 'other-information', 'key-info']) {
    r.expect(0x00, `General-Ciphering ${field} (GBCS leaves it empty)`);
  }
  const lenAt = r.pos;
  const len = r.derLength('ciphered content');
  if (len !== r.remaining) {
    r.fail(len > r.remaining ? `truncated: ciphered content length ${len}, ${r.remaining} bytes remain` : `${r.remaining - len} trailing bytes after the frame`, lenAt);
  }
  const securityControl = r.u8('security control');
  if (securityControl !== 0x11) r.fail(`security control 0x${hex2(securityControl)}: GBCS uses 0x11 (authenticated)`, r.pos - 1);
  const icAt = r.pos;
  const invocationCounter = Buffer.from(r.take(4, 'invocation counter')).readUInt32BE(0);
  // The MAC's AAD fixes the invocation counter at zero, so any other value would go unauthenticated.
  if (invocationCounter !== 0) r.fail(`invocation counter ${invocationCounter}: GBCS uses 0`, icAt);
  if (r.remaining < MAC_LENGTH) r.fail(`truncated: no room for the ${MAC_LENGTH}-byte MAC`);
  const inner = new ByteReader(bytes, r.pos, bytes.length - MAC_LENGTH);
  const apdu = decodeGeneralSigning(inner, false);
  if (inner.remaining !== 0) inner.fail(`${inner.remaining} bytes between the General-Signing APDU and the MAC`);
  const mac = bytes.subarray(bytes.length - MAC_LENGTH);
  return { kind: 'general-ciphering', apdu, ciphering: { securityControl, invocationCounter, mac }, bytes };
}

/** Reads a General-Signing APDU; `standalone` means it must end exactly at the end of the input. */
export function decodeGeneralSigning(r: ByteReader, standalone: boolean): GeneralSigningApdu {
  const start = r.pos;
  r.expect(0xdf, 'General-Signing tag');
  const signedStart = r.pos;
  r.expect(0x09, 'transaction id length');
  const craAt = r.pos;
  const craByte = r.u8('CRA flag');
  const cra = CRA[craByte];
  if (!cra) r.fail(`CRA flag 0x${hex2(craByte)} is not 1 (command), 2 (response) or 3 (alert)`, craAt);
  const originatorCounter = r.u64('originator counter');
  r.expect(0x08, 'originator system title length');
  const originator = euiFromBytes(r.take(8, 'originator EUI'));
  r.expect(0x08, 'recipient system title length');
  const recipient = euiFromBytes(r.take(8, 'recipient EUI'));
  const dtAt = r.pos;
  const dtTag = r.u8('date-time');
  let dateTime = null;
  if (dtTag === 0x0c) dateTime = decodeDlmsDateTime(r.take(12, 'date-time'));
  else if (dtTag !== 0x00) r.fail(`date-time must be 00 (absent) or 0C + 12 bytes, found 0x${hex2(dtTag)}`, dtAt);
  const oiLen = r.derLength('other-information');
  if (oiLen < 2) r.fail(`other-information of ${oiLen} bytes has no message code`);
  const oi = r.take(oiLen, 'other-information');
  const messageCode = (oi[0]! << 8) | oi[1]!;
  const contentLen = r.derLength('content');
  const content = r.take(contentLen, 'content');
  const signedEnd = r.pos;

  let signatureField: GeneralSigningApdu['signatureField'];
  let signature: Uint8Array | null = null;
  if (r.remaining === 0) {
    signatureField = 'absent';
  } else {
    const sigAt = r.pos;
    const sigLen = r.u8('signature length');
    if (sigLen === 0x00) signatureField = 'empty';
    else if (sigLen === 0x40) {
      signatureField = 'present';
      signature = r.take(64, 'signature');
    } else r.fail(`signature length must be 00 or 40, found 0x${hex2(sigLen)}`, sigAt);
  }
  if (standalone && r.remaining !== 0) r.fail(`${r.remaining} trailing bytes after the General-Signing APDU`);
  return {
    cra: cra!,
    originatorCounter,
    originator,
    recipient,
    dateTime,
    messageCode,
    otherInformation: oi.subarray(2),
    content,
    signatureField,
    signature,
    signedBytes: r.bytes.subarray(signedStart, signedEnd),
    bytes: r.bytes.subarray(start, r.pos),
  };
}
