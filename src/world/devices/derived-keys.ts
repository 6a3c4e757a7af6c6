import { createECDH, createHmac, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

// The order n of P-256: a private scalar must be in [1, n-1].
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

export interface DerivedKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/**
 * A P-256 key pair derived from a fleet secret and a label (EUI and usage): HMAC-SHA256 gives the
 * scalar. Simulated fleets use this so that a million devices need no stored keys and every key
 * can be rebuilt when needed. Never for real devices.
 */
export function deriveKeyPair(secret: string, label: string): DerivedKeyPair {
  let d = 0n;
  for (let i = 0; d === 0n; i++) {
    const h = createHmac('sha256', secret).update(`${label}/${i}`).digest();
    d = BigInt(`0x${h.toString('hex')}`) % P256_N;
  }
  const dBytes = Buffer.from(d.toString(16).padStart(64, '0'), 'hex');
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(dBytes);
  const pub = ecdh.getPublicKey();
  const jwk = { kty: 'EC', crv: 'P-256', x: pub.subarray(1, 33).toString('base64url'), y: pub.subarray(33, 65).toString('base64url') };
  const privateKey = createPrivateKey({ key: { ...jwk, d: dBytes.toString('base64url') }, format: 'jwk' });
  // The public half from the private key object: a third cheaper than a second JWK import.
  return { privateKey, publicKey: createPublicKey(privateKey) };
}
