import type { KeyObject, X509Certificate } from 'node:crypto';
import type { Eui } from '../domain/eui.ts';

/** Key usages of GBCS: digital signing, key agreement, and a Supplier's prepayment top-up KA. */
export type KeyUsage = 'ds' | 'ka' | 'pp-ka';

/**
 * Where keys live. Public keys come from certificates; private-key operations are verbs, so an
 * implementation can keep private keys in an HSM and never hand them out.
 */
export interface KeyStore {
  publicKey(eui: Eui, usage: KeyUsage): Promise<KeyObject | undefined>;
  /** The certificate behind the public key, where the store has one. */
  certificate(eui: Eui, usage: KeyUsage): Promise<X509Certificate | undefined>;
  /** The GBCS role in that certificate (its subject OU), for stores that remember it: builders check it per frame. */
  certificateRole?(eui: Eui, usage: KeyUsage): Promise<number | undefined>;
  hasPrivateKey(eui: Eui, usage: KeyUsage): Promise<boolean>;
  /** ECDSA P-256 / SHA-256 over data; raw r||s (64 bytes). */
  sign(eui: Eui, usage: 'ds', data: Uint8Array): Promise<Uint8Array>;
  /** The ECDH P-256 shared secret Z between our private key and the peer's public key. */
  agree(eui: Eui, usage: 'ka' | 'pp-ka', peer: KeyObject): Promise<Uint8Array>;
}

export class KeyNotFoundError extends Error {
  constructor(
    readonly eui: string,
    readonly usage: KeyUsage,
    readonly which: 'public' | 'private',
  ) {
    super(`no ${which} ${usage.toUpperCase()} key for ${eui}`);
  }
}
