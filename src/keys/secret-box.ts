import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Secrets kept encrypted at rest (webhook signing secrets): AES-256-GCM under the deployment's
 * notice key, a random 96-bit nonce per secret, the record's id as associated data (so a sealed
 * secret copied onto another row does not open). Sealed form: `v1.<nonce>.<tag>.<ciphertext>`, base64url.
 */
export interface SecretBox {
  seal(plain: string, aad: string): string;
  open(sealed: string, aad: string): string;
}

export function secretBoxOf(key: Uint8Array): SecretBox {
  if (key.length !== 32) throw new Error('the notice key is 32 bytes (AES-256)');
  const k = Buffer.from(key);
  return {
    seal(plain, aad) {
      const nonce = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', k, nonce);
      c.setAAD(Buffer.from(aad));
      const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return ['v1', nonce, c.getAuthTag(), ct].map((x) => (typeof x === 'string' ? x : x.toString('base64url'))).join('.');
    },
    open(sealed, aad) {
      const [v, nonce, tag, ct] = sealed.split('.');
      if (v !== 'v1' || !nonce || !tag || ct === undefined) throw new Error('not a sealed secret');
      const d = createDecipheriv('aes-256-gcm', k, Buffer.from(nonce, 'base64url'));
      d.setAAD(Buffer.from(aad));
      d.setAuthTag(Buffer.from(tag, 'base64url'));
      try {
        return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
      } catch {
        throw new Error('the sealed secret does not open under this notice key (another key, or altered)');
      }
    },
  };
}

/**
 * The notice key in `path` (64 hex digits), made on first use with mode 0600, exclusively, so two
 * processes starting together end up with the one file. Every process of one database must be given
 * the same file (as the audit log's key).
 */
export function openNoticeKeyFile(path: string): SecretBox {
  const read = (): SecretBox => {
    const hex = readFileSync(path, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`the notice key ${path} is not 64 hex digits`);
    return secretBoxOf(Buffer.from(hex, 'hex'));
  };
  try {
    return read();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(dirname(path), { recursive: true });
  try {
    writeFileSync(path, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return read();
}
