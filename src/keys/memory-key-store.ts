import { createPublicKey, diffieHellman, type KeyObject, type X509Certificate } from 'node:crypto';
import type { Eui } from '../domain/eui.ts';
import { KeyNotFoundError, type KeyStore, type KeyUsage } from '../gbcs/key-store.ts';
import { signRaw } from '../gbcs/signature.ts';

/** Keys held in memory (tests, short-lived tools): private keys, optional certificates. */
export class MemoryKeyStore implements KeyStore {
  readonly #keys = new Map<string, { privateKey?: KeyObject; publicKey: KeyObject; certificate?: X509Certificate }>();

  add(eui: Eui, usage: KeyUsage, k: { privateKey?: KeyObject; publicKey?: KeyObject; certificate?: X509Certificate }): this {
    const publicKey = k.publicKey ?? k.certificate?.publicKey ?? (k.privateKey && createPublicKey(k.privateKey));
    if (!publicKey) throw new Error('a key needs a private key, a public key or a certificate');
    this.#keys.set(`${eui}/${usage}`, { ...k, publicKey });
    return this;
  }
  async publicKey(eui: Eui, usage: KeyUsage) {
    return this.#keys.get(`${eui}/${usage}`)?.publicKey;
  }
  async certificate(eui: Eui, usage: KeyUsage) {
    return this.#keys.get(`${eui}/${usage}`)?.certificate;
  }
  async hasPrivateKey(eui: Eui, usage: KeyUsage) {
    return !!this.#keys.get(`${eui}/${usage}`)?.privateKey;
  }
  async sign(eui: Eui, usage: 'ds', data: Uint8Array) {
    const k = this.#keys.get(`${eui}/${usage}`)?.privateKey;
    if (!k) throw new KeyNotFoundError(eui, usage, 'private');
    return signRaw(k, data);
  }
  async agree(eui: Eui, usage: 'ka' | 'pp-ka', peer: KeyObject) {
    const k = this.#keys.get(`${eui}/${usage}`)?.privateKey;
    if (!k) throw new KeyNotFoundError(eui, usage, 'private');
    return diffieHellman({ privateKey: k, publicKey: peer });
  }
}
