import { createCipheriv } from 'node:crypto';

/** The full 16-byte AES-128-GCM tag over empty plaintext: GBCS's MAC (first 12) and UTRN (last 4). */
export function gcmTag(key: Uint8Array, iv: Uint8Array, ...aad: Uint8Array[]): Buffer {
  const c = createCipheriv('aes-128-gcm', key, iv, { authTagLength: 16 });
  // GCM accepts its AAD in parts, which spares copying the APDU behind a prefix.
  for (const part of aad) c.setAAD(part);
  c.final();
  return c.getAuthTag();
}
