import type { Eui } from '../../domain/index.ts';
import type { X509Certificate } from 'node:crypto';
import type { KeyStore, KeyUsage } from '../../gbcs/key-store.ts';
import type { StoreTx } from '../../store/ports.ts';

/** The keys meterops holds to operate one device, playing the Users and the DCC. */
export interface PlatformKeys {
  /** The Users' and the DCC's keys (private keys as verbs: files, an HSM, or the test PKI). */
  readonly keys: KeyStore;
  /** The Access Control Broker whose MAC the DCC adds to every command. */
  readonly acb: Eui;
  /** The DCC's Recovery identity, where meterops holds its DS key (refurbishment to vanilla). */
  readonly recovery: Eui | null;
  /** The SMKI certification path of the certificates this key store holds (CS02b replacements). */
  certificationPath(): Promise<readonly Uint8Array[]>;
}

/** Where the platform's keys for a device come from. */
export interface KeySource {
  forDevice(tx: StoreTx, device: Eui): Promise<PlatformKeys>;
  /** The organisation certificates this source holds for a party's EUI (its User ID); null when it cannot tell. */
  partyCertificates?(tx: StoreTx, party: Eui): Promise<Array<{ usage: KeyUsage; certificate: X509Certificate }> | null>;
}
