import { createPrivateKey, createPublicKey, sign, verify, type BinaryLike, type KeyLike } from 'node:crypto';
import type { SignatureAlgorithm } from 'xml-crypto';

/** The XML-DSig identifier of ECDSA with SHA-256 (RFC 6931 §2.3.6), as DUIS signs. */
export const ECDSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256';

/**
 * ECDSA P-256 / SHA-256 for xml-crypto, which ships RSA and HMAC only and takes further algorithms
 * as classes. XML-DSig carries the signature as r||s (RFC 4050 §3.3), so node:crypto's
 * ieee-p1363 encoding is the wire form; the hash, the curve arithmetic and the base64 are node's.
 */
export class EcdsaSha256 implements SignatureAlgorithm {
  getSignature(signedInfo: BinaryLike, privateKey: KeyLike): string;
  getSignature(signedInfo: BinaryLike, privateKey: KeyLike, callback?: (err: Error | null, sig?: string) => void): void;
  getSignature(signedInfo: BinaryLike, privateKey: KeyLike, callback?: (err: Error | null, sig?: string) => void): string | void {
    const key = typeof privateKey === 'string' || Buffer.isBuffer(privateKey) ? createPrivateKey(privateKey) : privateKey;
    const value = sign('sha256', typeof signedInfo === 'string' ? Buffer.from(signedInfo, 'utf8') : signedInfo, { key, dsaEncoding: 'ieee-p1363' }).toString('base64');
    if (callback) return callback(null, value);
    return value;
  }

  verifySignature(material: string, key: KeyLike, signatureValue: string): boolean;
  verifySignature(material: string, key: KeyLike, signatureValue: string, callback?: (err: Error | null, ok?: boolean) => void): void;
  verifySignature(material: string, key: KeyLike, signatureValue: string, callback?: (err: Error | null, ok?: boolean) => void): boolean | void {
    const publicKey = typeof key === 'string' || Buffer.isBuffer(key) ? createPublicKey(key) : key;
    // A signature value may be wrapped (DCC Boxed puts "&#13; " inside it): base64 ignores the whitespace.
    const sig = Buffer.from(signatureValue.replace(/\s+/g, ''), 'base64');
    const ok = sig.length === 64 && verify('sha256', Buffer.from(material, 'utf8'), { key: publicKey, dsaEncoding: 'ieee-p1363' }, sig);
    if (callback) return callback(null, ok);
    return ok;
  }

  getAlgorithmName(): string {
    return ECDSA_SHA256;
  }
}
