import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { keyIdOf, type AuditKey } from '../domain/index.ts';

/** An Ed25519 private key as the audit log's signing key. */
export function auditKeyOf(privateKey: KeyObject): AuditKey {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`the audit log key must be Ed25519, not ${privateKey.asymmetricKeyType}`);
  const publicKey = createPublicKey(privateKey);
  return { keyId: keyIdOf(publicKey), publicKey, sign: (data) => sign(null, data, privateKey) };
}

// PKCS#8 PrivateKeyInfo for Ed25519 (RFC 8410 section 7) up to the 32-byte seed.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The Ed25519 key of a 32-byte seed (RFC 8032): fixed keys for tests. */
export function auditKeyFromSeed(seed: Uint8Array): AuditKey {
  if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes');
  return auditKeyOf(createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' }));
}

/**
 * The signing key in `path` (PKCS#8 PEM), made on first use: a new Ed25519 key written with mode
 * 0600, exclusively, so two processes starting together end up with the one file.
 */
export function openAuditKeyFile(path: string): AuditKey {
  try {
    return auditKeyOf(createPrivateKey(readFileSync(path)));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read the audit log key ${path}: ${(e as Error).message}`);
  }
  mkdirSync(dirname(path), { recursive: true });
  const { privateKey } = generateKeyPairSync('ed25519');
  try {
    writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return auditKeyOf(createPrivateKey(readFileSync(path)));
}
