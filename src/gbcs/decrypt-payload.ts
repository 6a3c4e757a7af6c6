import { asBuffer } from './byte-reader.ts';
import { euiFromBytes, type Eui } from '../domain/eui.ts';
import type { GeneralSigningApdu } from './frame.ts';

/**
 * Whom a device encrypted a payload for, and under which counter. A response routed via the ACB
 * for a User names that User in Other-Information (supplementary remote party id, then counters):
 * the payload is encrypted for that User, under the frame's counter, or, when Other-Information
 * carries a second counter (GCS16b for an unknown remote party), under that one. Otherwise: the
 * frame's recipient and counter. Found by trial and checked on all 63 encrypted payloads of the
 * RTDS (GBZ components and DLMS protected attributes; decryption itself: payloads/payload-keys.ts); the GBCS text was not available to confirm it.
 */
export function encryptionTarget(apdu: Pick<GeneralSigningApdu, 'recipient' | 'originatorCounter' | 'otherInformation'>): { party: Eui; counter: bigint } {
  const oi = asBuffer(apdu.otherInformation);
  if (oi.length >= 24) return { party: euiFromBytes(oi.subarray(0, 8)), counter: oi.readBigUInt64BE(16) };
  if (oi.length >= 8) return { party: euiFromBytes(oi.subarray(0, 8)), counter: apdu.originatorCounter };
  return { party: apdu.recipient, counter: apdu.originatorCounter };
}
