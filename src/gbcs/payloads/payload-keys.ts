import { createDecipheriv } from 'node:crypto';
import { euiToBytes, type Eui } from '../../domain/eui.ts';
import { deriveKey, KDF_MODE } from '../kdf.ts';

const TAG_LENGTH = 12;
/** Security control 0x31: authenticated and encrypted (the only one GBCS payload encryption uses). */
export const PAYLOAD_SECURITY_CONTROL = 0x31;

/**
 * The shared secrets a decoder may use to decrypt a frame's payload, fetched beforehand (ECDH is
 * asynchronous behind the KeyStore port) so that decoding stays a pure function over bytes. `get`
 * answers the ECDH secret Z between a device and a remote party, or why it cannot be had.
 */
export interface PayloadKeys {
  secret(device: Eui, party: Eui): Uint8Array | string;
}

export const NO_PAYLOAD_KEYS: PayloadKeys = { secret: () => 'no keystore given' };

export type Decryption = { readonly ok: true; readonly plaintext: Uint8Array } | { readonly ok: false; readonly status: 'failed' | 'unverifiable'; readonly reason: string };

/**
 * Decrypts GBCS payload ciphertext: `31` ‖ invocation counter(4) ‖ ciphertext ‖ tag(12), with
 * AES-128-GCM under the KDF mode-04 key for (originator, counter, recipient), IV = originator EUI ‖
 * invocation counter and AAD = the security control byte. The same rule serves GBZ components and
 * DLMS protected attributes (checked on every encrypted payload of the RTDS).
 */
export function decryptCiphered(keys: PayloadKeys, device: Eui, party: Eui, originator: Eui, recipient: Eui, counter: bigint, ciphered: Uint8Array): Decryption {
  if (ciphered.length < 5 + TAG_LENGTH) return { ok: false, status: 'failed', reason: `ciphered data of ${ciphered.length} bytes has no room for header and tag` };
  if (ciphered[0] !== PAYLOAD_SECURITY_CONTROL) return { ok: false, status: 'failed', reason: `security control 0x${ciphered[0]!.toString(16)} is not 0x31` };
  const z = keys.secret(device, party);
  if (typeof z === 'string') return { ok: false, status: 'unverifiable', reason: z };
  const key = deriveKey(z, originator, KDF_MODE.encryption, counter, recipient);
  const iv = Buffer.concat([euiToBytes(originator), ciphered.subarray(1, 5)]);
  const decipher = createDecipheriv('aes-128-gcm', key, iv, { authTagLength: TAG_LENGTH });
  decipher.setAAD(ciphered.subarray(0, 1));
  decipher.setAuthTag(ciphered.subarray(ciphered.length - TAG_LENGTH));
  try {
    return { ok: true, plaintext: Buffer.concat([decipher.update(ciphered.subarray(5, ciphered.length - TAG_LENGTH)), decipher.final()]) };
  } catch {
    return { ok: false, status: 'failed', reason: 'authentication tag does not match' };
  }
}

export const CIPHER_TAG_LENGTH = TAG_LENGTH;
