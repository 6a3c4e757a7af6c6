import { timingSafeEqual } from 'node:crypto';
import type { Eui } from '../domain/eui.ts';
import { MAC_LENGTH } from './decode-frame.ts';
import type { GeneralSigningApdu } from './frame.ts';
import { gcmTag } from './gcm-tag.ts';
import { deriveKey, KDF_MODE } from './kdf.ts';

const AAD_PREFIX = Uint8Array.of(0x11, 0x00, 0x00, 0x00, 0x00, 0x00);

/** The 12-byte General-Ciphering MAC over a General-Signing APDU, given the ECDH secret Z. */
export function frameMac(z: Uint8Array, apdu: Pick<GeneralSigningApdu, 'cra' | 'originator' | 'recipient' | 'originatorCounter'>, apduBytes: Uint8Array): Buffer {
  const key = deriveKey(z, apdu.originator, KDF_MODE[apdu.cra], apdu.originatorCounter, apdu.recipient);
  const iv = Buffer.alloc(12);
  iv.write(apdu.originator, 0, 8, 'hex');
  return gcmTag(key, iv, AAD_PREFIX, apduBytes).subarray(0, MAC_LENGTH);
}

export function macEquals(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * PPMID-originated commands (PCS01, PCS02) travel device to device over the HAN: their MAC is keyed
 * between the PPMID and the meter, not by the ACB.
 */
export const HAN_ORIGINATED_COMMANDS: ReadonlySet<number> = new Set([0x009b, 0x0090]);

/** Which two parties' KA keys key the MAC: the ACB and the device for commands, device and recipient otherwise. */
export function macParties(apdu: Pick<GeneralSigningApdu, 'cra' | 'originator' | 'recipient' | 'messageCode'>, acb: Eui): [Eui, Eui] {
  if (apdu.cra === 'command' && !HAN_ORIGINATED_COMMANDS.has(apdu.messageCode)) return [acb, apdu.recipient];
  return [apdu.originator, apdu.recipient];
}
