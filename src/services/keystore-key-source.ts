import { ValidationError, type Eui } from '../domain/index.ts';
import { withAgreementCache } from '../gbcs/agreement-cache.ts';
import type { X509Certificate } from 'node:crypto';
import type { KeyStore, KeyUsage } from '../gbcs/key-store.ts';
import type { KeySource, PlatformKeys } from './ports/key-source.ts';

/**
 * The deployment's own keystore (files in the DCC Boxed layout, or an HSM over PKCS#11) behind the
 * key source: the same keys for every device, under the given ACB, and the DCC Recovery identity
 * where the keystore holds its DS key. It issues no certificates.
 */
export function keystoreKeySource(keys: KeyStore, acb: Eui, recovery: Eui | null = null): KeySource {
  const k: PlatformKeys = { keys: withAgreementCache(keys), acb, recovery, certificationPath: async () => [] };
  return {
    forDevice: async () => k,
    partyCertificates: async (_tx, party) => {
      const out: Array<{ usage: KeyUsage; certificate: X509Certificate }> = [];
      for (const usage of ['ds', 'ka', 'pp-ka'] as const) {
        const certificate = await keys.certificate(party, usage).catch(() => undefined);
        if (certificate) out.push({ usage, certificate });
      }
      return out;
    },
  };
}

/** A key source for a deployment with no keystore: every request names the setting to make. */
export function noKeySource(): KeySource {
  return {
    forDevice: async (_tx, device) => {
      throw new ValidationError('keystore', 'keystore-configured', `no keystore is configured for ${device} (METEROPS_KEYSTORE_DIR, or METEROPS_PKCS11_MODULE)`);
    },
  };
}
