// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata polyfill.
import { randomBytes } from 'node:crypto';
import 'reflect-metadata';
import { createHash, KeyObject, webcrypto, X509Certificate as NodeX509 } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import type { Eui } from '../domain/eui.ts';
import { caName, deviceSubjectAltName, EMPTY_NAME, organisationName } from './gbcs-names.ts';

x509.cryptoProvider.set(webcrypto as never);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const SAN_OID = '2.5.29.17';

export type PkiUsage = 'ds' | 'ka' | 'pp-ka';

export interface OrganisationSpec {
  readonly eui: Eui;
  readonly role: number;
  readonly name: string;
  readonly usages: readonly PkiUsage[];
}

export interface DeviceSpec {
  readonly eui: Eui;
  readonly usages: readonly ('ds' | 'ka')[];
}

export interface IssuedKey {
  readonly eui: Eui;
  readonly usage: PkiUsage;
  readonly certificate: NodeX509;
  readonly privateKey: KeyObject;
}

export interface TestPki {
  readonly root: NodeX509;
  readonly issuingCa: NodeX509;
  readonly keys: readonly IssuedKey[];
}

export interface TestPkiOptions {
  readonly organisations: readonly OrganisationSpec[];
  readonly devices: readonly DeviceSpec[];
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

async function keyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
}

/** GBCS subject key identifiers are 8 bytes: here the first 8 of SHA-256 over the public key. */
async function ski(publicKey: CryptoKey): Promise<string> {
  const spki = Buffer.from(await webcrypto.subtle.exportKey('spki', publicKey));
  return createHash('sha256').update(spki).digest().subarray(0, 8).toString('hex');
}

/** A random 63-bit serial (positive, as X.509 wants): unique without a counter kept anywhere. */
const nextSerial = () => {
  const b = randomBytes(8);
  b[0] = (b[0]! & 0x7f) | 0x01;
  return b.toString('hex');
};

/**
 * meterops' own test CA, shaped like the SMKI: a root (OU=00) and an issuing CA (OU=07) that issue
 * organisation certificates (role in OU, EUI in x500UniqueIdentifier) and device certificates
 * (empty subject, EUI in the hardwareModuleName subjectAltName). Tests run on it with no DCC
 * material; a simulated fleet has its seed-derived keys certified by it.
 */
export class TestCa {
  private constructor(
    readonly root: NodeX509,
    readonly issuingCa: NodeX509,
    private readonly caKey: CryptoKey,
    private readonly caName: x509.Name,
    private readonly caSki: string,
    private readonly notBefore: Date,
    private readonly notAfter: Date,
  ) {}

  static async create(opts: { notBefore?: Date; notAfter?: Date } = {}): Promise<TestCa> {
    const notBefore = opts.notBefore ?? new Date(Date.UTC(2020, 0, 1));
    const notAfter = opts.notAfter ?? new Date(Date.UTC(2099, 11, 31, 23, 59, 59));
    const rootKeys = await keyPair();
    const rootName = new x509.Name(caName('00', 'meterops test root'));
    const rootSki = await ski(rootKeys.publicKey);
    const root = await x509.X509CertificateGenerator.create({
      serialNumber: nextSerial(),
      subject: rootName,
      issuer: rootName,
      notBefore,
      notAfter,
      signingAlgorithm: ALG,
      publicKey: rootKeys.publicKey,
      signingKey: rootKeys.privateKey,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        new x509.SubjectKeyIdentifierExtension(rootSki),
      ],
    });
    const caKeys = await keyPair();
    const caNameObj = new x509.Name(caName('07', 'meterops test issuing CA'));
    const caSki = await ski(caKeys.publicKey);
    const ca = await x509.X509CertificateGenerator.create({
      serialNumber: nextSerial(),
      subject: caNameObj,
      issuer: rootName,
      notBefore,
      notAfter,
      signingAlgorithm: ALG,
      publicKey: caKeys.publicKey,
      signingKey: rootKeys.privateKey,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
        new x509.SubjectKeyIdentifierExtension(caSki),
        new x509.AuthorityKeyIdentifierExtension(rootSki),
      ],
    });
    return new TestCa(new NodeX509(Buffer.from(root.rawData)), new NodeX509(Buffer.from(ca.rawData)), caKeys.privateKey, caNameObj, caSki, notBefore, notAfter);
  }

  /** Certifies a public key (given, or a fresh pair made here, whose private key is returned). */
  async #issue(subject: Uint8Array, usage: PkiUsage, extra: x509.Extension[], given?: KeyObject): Promise<{ certificate: NodeX509; privateKey?: KeyObject }> {
    const kp = given ? null : await keyPair();
    const publicKey = kp
      ? kp.publicKey
      : await webcrypto.subtle.importKey('spki', given!.export({ type: 'spki', format: 'der' }), { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']);
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: nextSerial(),
      subject: new x509.Name(subject),
      issuer: this.caName,
      notBefore: this.notBefore,
      notAfter: this.notAfter,
      signingAlgorithm: ALG,
      publicKey,
      signingKey: this.caKey,
      extensions: [
        new x509.KeyUsagesExtension(usage === 'ds' ? x509.KeyUsageFlags.digitalSignature : x509.KeyUsageFlags.keyAgreement, true),
        new x509.SubjectKeyIdentifierExtension(await ski(publicKey)),
        new x509.AuthorityKeyIdentifierExtension(this.caSki),
        ...extra,
      ],
    });
    return { certificate: new NodeX509(Buffer.from(cert.rawData)), ...(kp ? { privateKey: KeyObject.from(kp.privateKey) } : {}) };
  }

  issueOrganisation(o: { eui: Eui; role: number; name: string }, usage: PkiUsage, publicKey?: KeyObject) {
    return this.#issue(organisationName(o.name, o.role, o.eui), usage, [], publicKey);
  }

  issueDevice(eui: Eui, usage: 'ds' | 'ka', publicKey?: KeyObject) {
    return this.#issue(EMPTY_NAME, usage, [new x509.Extension(SAN_OID, true, deviceSubjectAltName(eui))], publicKey);
  }
}

/** A whole test PKI with fresh keys for the organisations and devices named. */
export async function generateTestPki(opts: TestPkiOptions): Promise<TestPki> {
  const ca = await TestCa.create(opts);
  const keys: IssuedKey[] = [];
  for (const o of opts.organisations) {
    for (const usage of o.usages) {
      const r = await ca.issueOrganisation(o, usage);
      keys.push({ eui: o.eui, usage, certificate: r.certificate, privateKey: r.privateKey! });
    }
  }
  for (const d of opts.devices) {
    for (const usage of d.usages) {
      const r = await ca.issueDevice(d.eui, usage);
      keys.push({ eui: d.eui, usage, certificate: r.certificate, privateKey: r.privateKey! });
    }
  }
  return { root: ca.root, issuingCa: ca.issuingCa, keys };
}

/**
 * Writes the PKI in the DCC Boxed layout (`<eui>[-pp]-<ds|ka>.pem` and `.key`) plus root.pem and
 * issuing-ca.pem. Private keys are PKCS#8 encrypted with AES-256-CBC under the passphrase: meterops
 * never writes a private key in the clear.
 */
export function writeTestPki(pki: TestPki, dir: string, passphrase: string): void {
  if (passphrase.length < 8) throw new Error('the keystore passphrase must be at least 8 characters');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'root.pem'), pki.root.toString());
  writeFileSync(join(dir, 'issuing-ca.pem'), pki.issuingCa.toString());
  for (const k of pki.keys) {
    const base = `${k.eui.toLowerCase()}${k.usage === 'pp-ka' ? '-pp-ka' : `-${k.usage}`}`;
    writeFileSync(join(dir, `${base}.pem`), k.certificate.toString());
    writeFileSync(join(dir, `${base}.key`), k.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }), { mode: 0o600 });
  }
}
