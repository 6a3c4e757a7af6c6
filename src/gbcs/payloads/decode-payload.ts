import type { GeneralSigningApdu } from '../frame.ts';
import { GbcsDecodeError } from '../gbcs-error.ts';
import { encryptionTarget } from '../decrypt-payload.ts';
import { decodeDer } from './decode-der.ts';
import { decodeDlms } from './decode-dlms.ts';
import { decodeGbz } from './decode-gbz.ts';
import { NO_PAYLOAD_KEYS, type PayloadKeys } from './payload-keys.ts';
import { derSchemaFor, dlmsUseCase, payloadFamily } from './payload-registry.ts';
import type { DecodedPayload } from './payload-tree.ts';

/**
 * Decodes a frame's Content to a tree of named fields, decrypting what the payload keys allow.
 * Pure over bytes: the keys were fetched beforehand (see payloadKeysFor). Malformed content is a
 * GbcsDecodeError with the offset into the Content; nothing else is thrown.
 */
export function decodePayload(
  apdu: Pick<GeneralSigningApdu, 'cra' | 'messageCode' | 'content' | 'originator' | 'recipient' | 'originatorCounter' | 'otherInformation'>,
  keys: PayloadKeys = NO_PAYLOAD_KEYS,
): DecodedPayload {
  const content = apdu.content;
  const family = payloadFamily(content);
  if (!family) throw new GbcsDecodeError(0, content.length ? `payload starting 0x${content[0]!.toString(16).padStart(2, '0')} is not DLMS, GBZ or ASN.1` : 'empty payload');
  try {
    if (family === 'dlms') {
      const target = encryptionTarget(apdu);
      const u = dlmsUseCase(apdu.messageCode);
      // Every context has the same properties in the same order, so the decoder's reads of it stay monomorphic.
      const ctx = {
        originator: apdu.originator,
        recipient: apdu.recipient,
        keys,
        encryption: target,
        requests: u.requests,
        protectedObjects: u.protectedObjects,
        alertBody: u.alertBody,
      };
      const { root, encrypted } = decodeDlms(content, ctx);
      return { family, root, encrypted };
    }
    if (family === 'gbz') {
      const fromDevice = apdu.cra !== 'command';
      const target = encryptionTarget(apdu);
      const { root, encrypted } = decodeGbz(content, {
        alert: apdu.cra === 'alert',
        device: fromDevice ? apdu.originator : apdu.recipient,
        party: fromDevice ? target.party : apdu.originator,
        counter: target.counter,
        keys,
      });
      return { family, root, encrypted };
    }
    return { family, root: decodeDer(content, derSchemaFor(apdu.messageCode, apdu.cra, content)).root, encrypted: [] };
  } catch (e) {
    if (e instanceof GbcsDecodeError) throw e;
    // A decoder bug must still surface as a typed refusal, never as another kind of exception.
    throw new GbcsDecodeError(0, `payload could not be decoded: ${(e as Error).message}`);
  }
}
