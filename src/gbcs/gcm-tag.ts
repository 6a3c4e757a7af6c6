import { createCipheriv } from 'node:crypto';

/** The full 16-byte AES-128-GCM tag over empty plaintext: GBCS's MAC (first 12) and UTRN (last 4). */
export function gcmTag(key: Uint8Array, iv: Uint8Array, aad: Uint8Array): Buffer {
  const c = createCipheriv('aes-128-gcm', key, iv, { authTagLength: 16 });
  c.setAAD(aad);
  c.final();
  return c.getAuthTag();
}
