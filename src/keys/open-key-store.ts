import type { KeyStore } from '../gbcs/key-store.ts';
import { CompositeKeyStore } from './composite-key-store.ts';
import { FileKeyStore } from './file-key-store.ts';
import { Pkcs11KeyStore } from './pkcs11-key-store.ts';

export interface KeyStoreSettings {
  /** Certificates (and, without an HSM, private keys) in the DCC Boxed directory layout. */
  readonly keystoreDir?: string;
  readonly keystorePassphrase?: string;
  /** A PKCS#11 module holding the private keys (an HSM, or SoftHSM2), its token label and user PIN. */
  readonly pkcs11Module?: string;
  readonly pkcs11Token?: string;
  readonly pkcs11Pin?: string;
}

export interface OpenedKeyStore {
  readonly keys: KeyStore;
  /** Which custody holds the private keys. */
  readonly kind: 'files' | 'pkcs11';
  close(): void;
}

/**
 * The deployment's keystore, chosen by configuration: private keys in an HSM over PKCS#11 (with
 * certificates from the directory beside it), or files alone; none when neither is configured.
 */
export function openKeyStore(s: KeyStoreSettings): OpenedKeyStore | undefined {
  const files = s.keystoreDir ? new FileKeyStore(s.keystoreDir, s.keystorePassphrase) : undefined;
  if (s.pkcs11Module) {
    const hsm = Pkcs11KeyStore.open({ library: s.pkcs11Module, tokenLabel: s.pkcs11Token ?? '', pin: s.pkcs11Pin ?? '' });
    return { keys: files ? new CompositeKeyStore([hsm, files]) : hsm, kind: 'pkcs11', close: () => hsm.close() };
  }
  return files ? { keys: files, kind: 'files', close: () => {} } : undefined;
}
