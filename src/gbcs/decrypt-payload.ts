import { createDecipheriv } from 'node:crypto';
import { asBuffer } from './byte-reader.ts';
import { euiFromBytes, euiToBytes, type Eui } from '../domain/eui.ts';
import type { GeneralSigningApdu } from './frame.ts';
import { deriveKey, KDF_MODE } from './kdf.ts';
import type { KeyStore } from './key-store.ts';
import { readGbz } from './payloads/gbz.ts';

const TAG_LENGTH = 12;

/**
 * Whom a device encrypted a payload for, and under which counter. A response routed via the ACB
 * for a User names that User in Other-Information (supplementary remote party id, then counters):
 * the payload is encrypted for that User, under the frame's counter, or, when Other-Information
 * carries a second counter (GCS16b for an unknown remote party), under that one. Otherwise: the
 * frame's recipient and counter. Found by trial and checked on all 43 encrypted GBZ components of
 * the RTDS; the GBCS text was not available to confirm it.
 */
export function encryptionTarget(apdu: Pick<GeneralSigningApdu, 'recipient' | 'originatorCounter' | 'otherInformation'>): { party: Eui; counter: bigint } {
  const oi = asBuffer(apdu.otherInformation);
  if (oi.length >= 24) return { party: euiFromBytes(oi.subarray(0, 8)), counter: oi.readBigUInt64BE(16) };
  if (oi.length >= 8) return { party: euiFromBytes(oi.subarray(0, 8)), counter: apdu.originatorCounter };
  return { party: apdu.recipient, counter: apdu.originatorCounter };
}

export type DecryptedComponent =
  | { readonly index: number; readonly status: 'decrypted'; readonly plaintext: Uint8Array }
  | { readonly index: number; readonly status: 'failed' | 'unverifiable'; readonly reason: string };

/**
 * Decrypts the encrypted GBZ components of a frame from a device (KDF mode 04, AES-128-GCM,
 * IV = originator EUI || invocation counter, AAD = the security control byte 31, 12-byte tag).
 */
export async function decryptGbzComponents(apdu: GeneralSigningApdu, keys: KeyStore): Promise<DecryptedComponent[]> {
  if (apdu.content[0] !== 0x01 || apdu.content[1] !== 0x09 || apdu.cra === 'alert') return [];
  const components = readGbz(apdu.content);
  if (!components.some((c) => c.encrypted)) return [];
  const { party, counter } = encryptionTarget(apdu);
  const device = await keys.publicKey(apdu.originator, 'ka');
  const canAgree = device && (await keys.hasPrivateKey(party, 'ka'));
  const key = canAgree ? deriveKey(await keys.agree(party, 'ka', device), apdu.originator, KDF_MODE.encryption, counter, party) : null;
  const out: DecryptedComponent[] = [];
  components.forEach((c, index) => {
    if (!c.encrypted) return;
    if (!key) {
      out.push({ index, status: 'unverifiable', reason: `no KA private key for ${party} with ${apdu.originator}'s certificate` });
      return;
    }
    const p = Buffer.from(c.payload);
    if (p.length < 2) return out.push({ index, status: 'failed', reason: 'no ciphered length' });
    const len = p.readUInt16BE(0);
    if (len < 5 + TAG_LENGTH || 2 + len > p.length) return out.push({ index, status: 'failed', reason: `ciphered length ${len} does not fit the component` });
    const security = p.subarray(2, 7);
    const decipher = createDecipheriv('aes-128-gcm', key, Buffer.concat([euiToBytes(apdu.originator), security.subarray(1)]), { authTagLength: TAG_LENGTH });
    decipher.setAAD(security.subarray(0, 1));
    decipher.setAuthTag(p.subarray(2 + len - TAG_LENGTH, 2 + len));
    try {
      out.push({ index, status: 'decrypted', plaintext: Buffer.concat([decipher.update(p.subarray(7, 2 + len - TAG_LENGTH)), decipher.final()]) });
    } catch {
      out.push({ index, status: 'failed', reason: 'authentication tag does not match' });
    }
  });
  return out;
}
