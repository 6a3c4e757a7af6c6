import { sign, verify, type KeyObject } from 'node:crypto';

/** ECDSA P-256 / SHA-256 with GBCS's raw r||s encoding (IEEE P1363). */
export function signRaw(privateKey: KeyObject, data: Uint8Array): Buffer {
  return sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
}

export function verifyRaw(publicKey: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  try {
    return verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}
