import type { KeyObject, X509Certificate } from 'node:crypto';
import type { Eui } from '../domain/eui.ts';
import { certificateRole } from './certificate-role.ts';
import type { KeyStore, KeyUsage } from './key-store.ts';

/**
 * A keystore whose ECDH results are remembered per (our key, their key), and its certificates once fetched: Z for a key pair never
 * changes, while each message's AES key still comes fresh from the KDF over its counter. This is
 * what lets a head-end check thousands of MACs a second. Bounded: the oldest entry goes first.
 */
export function withAgreementCache(keys: KeyStore, maxEntries = 100_000): KeyStore {
  // Promises are cached, so a hit costs no extra microtask and concurrent misses share one ECDH.
  const cache = new Map<string, Promise<Uint8Array>>();
  // A keystore's certificates do not change while it is open: each is fetched and parsed once.
  const certificates = new Map<string, Promise<X509Certificate | undefined>>();
  const roles = new Map<string, Promise<number | undefined>>();
  const peerIds = new WeakMap<KeyObject, number>();
  let nextPeer = 0;
  const peerId = (k: KeyObject) => {
    let id = peerIds.get(k);
    if (id === undefined) peerIds.set(k, (id = nextPeer++));
    return id;
  };
  return {
    publicKey: (eui: Eui, usage: KeyUsage) => keys.publicKey(eui, usage),
    certificate(eui: Eui, usage: KeyUsage): Promise<X509Certificate | undefined> {
      const k = `${eui}/${usage}`;
      let c = certificates.get(k);
      if (!c) {
        certificates.set(k, (c = keys.certificate(eui, usage)));
        c.catch(() => certificates.delete(k));
      }
      return c;
    },
    certificateRole(eui: Eui, usage: KeyUsage): Promise<number | undefined> {
      const k = `${eui}/${usage}`;
      let r = roles.get(k);
      if (!r) roles.set(k, (r = this.certificate(eui, usage).then((c) => c && certificateRole(c))));
      return r;
    },
    hasPrivateKey: (eui: Eui, usage: KeyUsage) => keys.hasPrivateKey(eui, usage),
    sign: (eui: Eui, usage: 'ds', data: Uint8Array) => keys.sign(eui, usage, data),
    agree(eui: Eui, usage: 'ka' | 'pp-ka', peer: KeyObject): Promise<Uint8Array> {
      const k = `${eui}/${usage}/${peerId(peer)}`;
      const hit = cache.get(k);
      if (hit) return hit;
      const z = keys.agree(eui, usage, peer);
      if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
      cache.set(k, z);
      z.catch(() => cache.delete(k));
      return z;
    },
  };
}
