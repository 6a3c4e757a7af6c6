import { createHash, createPublicKey, type KeyObject, type X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as Pkcs11Types from 'pkcs11js';

// pkcs11js is CommonJS whose constants ESM named-export detection cannot see: load it with require.
const pkcs11js = createRequire(import.meta.url)('pkcs11js') as typeof Pkcs11Types;
import type { Eui } from '../domain/eui.ts';
import { KeyNotFoundError, type KeyStore, type KeyUsage } from '../gbcs/key-store.ts';

// DER OID of prime256v1 (1.2.840.10045.3.1.7), the only curve GBCS uses.
const P256_PARAMS = Buffer.from('06082a8648ce3d030107', 'hex');

export interface Pkcs11Options {
  /** The PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so. */
  readonly library: string;
  readonly tokenLabel: string;
  readonly pin: string;
}

const label = (eui: Eui, usage: KeyUsage) => `${eui}-${usage}`;

// A PKCS#11 module is initialised once per process: keystores on the same library share it.
const modules = new Map<string, { p11: Pkcs11Types.PKCS11; refs: number }>();

function acquireModule(library: string): Pkcs11Types.PKCS11 {
  let m = modules.get(library);
  if (!m) {
    const p11 = new pkcs11js.PKCS11();
    p11.load(library);
    p11.C_Initialize();
    modules.set(library, (m = { p11, refs: 0 }));
  }
  m.refs++;
  return m.p11;
}

function releaseModule(library: string): void {
  const m = modules.get(library);
  if (!m || --m.refs > 0) return;
  modules.delete(library);
  m.p11.C_Finalize();
}

function pointOf(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.concat([Buffer.of(0x04), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
}

function keyFromPoint(point: Buffer): KeyObject {
  return createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33, 65).toString('base64url') }, format: 'jwk' });
}

/**
 * Private keys held in an HSM through PKCS#11 (tested against SoftHSM2): keys are found by label
 * `<EUI>-<usage>`, created non-extractable, and used only through the token: ECDSA signs a
 * SHA-256 digest, ECDH1 derives Z. Z leaves the token as the input of the GBCS KDF, which the
 * token does not implement. Certificates come from elsewhere (CompositeKeyStore).
 */
export class Pkcs11KeyStore implements KeyStore {
  private constructor(
    private readonly p11: Pkcs11Types.PKCS11,
    private readonly session: Buffer,
    private readonly library: string,
  ) {}

  static open(opts: Pkcs11Options): Pkcs11KeyStore {
    const p11 = acquireModule(opts.library);
    try {
      const slot = p11.C_GetSlotList(true).find((s) => p11.C_GetTokenInfo(s).label.trim() === opts.tokenLabel);
      if (!slot) throw new Error(`no PKCS#11 token labelled "${opts.tokenLabel}" in ${opts.library}`);
      const session = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
      try {
        p11.C_Login(session, pkcs11js.CKU_USER, opts.pin);
      } catch (e) {
        p11.C_CloseSession(session);
        if (/CKR_USER_ALREADY_LOGGED_IN/.test(String(e)))
          return new Pkcs11KeyStore(p11, p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION), opts.library);
        throw new Error(`PKCS#11 login to "${opts.tokenLabel}" failed: ${(e as Error).message}`, { cause: e });
      }
      return new Pkcs11KeyStore(p11, session, opts.library);
    } catch (e) {
      releaseModule(opts.library);
      throw e;
    }
  }

  close(): void {
    try {
      this.p11.C_CloseSession(this.session);
    } finally {
      releaseModule(this.library);
    }
  }

  #find(cls: number, eui: Eui, usage: KeyUsage): Buffer | null {
    this.p11.C_FindObjectsInit(this.session, [
      { type: pkcs11js.CKA_CLASS, value: cls },
      { type: pkcs11js.CKA_LABEL, value: label(eui, usage) },
    ]);
    try {
      return this.p11.C_FindObjects(this.session);
    } finally {
      this.p11.C_FindObjectsFinal(this.session);
    }
  }

  #templates(eui: Eui, usage: KeyUsage) {
    const ds = usage === 'ds';
    const common = [
      { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_EC },
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_LABEL, value: label(eui, usage) },
    ];
    const pub = [
      ...common,
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY },
      { type: pkcs11js.CKA_EC_PARAMS, value: P256_PARAMS },
      { type: pkcs11js.CKA_VERIFY, value: ds },
    ];
    const priv = [
      ...common,
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
      { type: pkcs11js.CKA_PRIVATE, value: true },
      { type: pkcs11js.CKA_SENSITIVE, value: true },
      { type: pkcs11js.CKA_EXTRACTABLE, value: false },
      { type: pkcs11js.CKA_SIGN, value: ds },
      { type: pkcs11js.CKA_DERIVE, value: !ds },
    ];
    return { pub, priv };
  }

  /** Moves an existing private key into the token (it cannot be read back out). */
  importPrivateKey(eui: Eui, usage: KeyUsage, privateKey: KeyObject): void {
    if (this.#find(pkcs11js.CKO_PRIVATE_KEY, eui, usage)) throw new Error(`the token already holds ${label(eui, usage)}`);
    const jwk = privateKey.export({ format: 'jwk' });
    if (jwk.crv !== 'P-256' || !jwk.d) throw new Error('only P-256 private keys go into the token');
    const { pub, priv } = this.#templates(eui, usage);
    this.p11.C_CreateObject(this.session, [...priv, { type: pkcs11js.CKA_EC_PARAMS, value: P256_PARAMS }, { type: pkcs11js.CKA_VALUE, value: Buffer.from(jwk.d, 'base64url') }]);
    this.p11.C_CreateObject(this.session, [...pub, { type: pkcs11js.CKA_EC_POINT, value: Buffer.concat([Buffer.of(0x04, 0x41), pointOf(privateKey)]) }]);
  }

  /** Generates a key pair inside the token; the private key never exists outside it. */
  generateKeyPair(eui: Eui, usage: KeyUsage): KeyObject {
    const { pub, priv } = this.#templates(eui, usage);
    this.p11.C_GenerateKeyPair(this.session, { mechanism: pkcs11js.CKM_EC_KEY_PAIR_GEN }, pub, priv);
    return this.#publicKeySync(eui, usage)!;
  }

  #publicKeySync(eui: Eui, usage: KeyUsage): KeyObject | undefined {
    const h = this.#find(pkcs11js.CKO_PUBLIC_KEY, eui, usage);
    if (!h) return undefined;
    const [attr] = this.p11.C_GetAttributeValue(this.session, h, [{ type: pkcs11js.CKA_EC_POINT }]);
    const der = attr!.value as Buffer;
    // CKA_EC_POINT is a DER OCTET STRING around the uncompressed point.
    return keyFromPoint(der[0] === 0x04 && der[1] === 0x41 ? der.subarray(2) : der);
  }

  async publicKey(eui: Eui, usage: KeyUsage): Promise<KeyObject | undefined> {
    return this.#publicKeySync(eui, usage);
  }

  async certificate(): Promise<X509Certificate | undefined> {
    return undefined;
  }

  async hasPrivateKey(eui: Eui, usage: KeyUsage): Promise<boolean> {
    return this.#find(pkcs11js.CKO_PRIVATE_KEY, eui, usage) !== null;
  }

  #privateHandle(eui: Eui, usage: KeyUsage): Buffer {
    const h = this.#find(pkcs11js.CKO_PRIVATE_KEY, eui, usage);
    if (!h) throw new KeyNotFoundError(eui, usage, 'private');
    return h;
  }

  async sign(eui: Eui, usage: 'ds', data: Uint8Array): Promise<Uint8Array> {
    const key = this.#privateHandle(eui, usage);
    const digest = createHash('sha256').update(data).digest();
    this.p11.C_SignInit(this.session, { mechanism: pkcs11js.CKM_ECDSA }, key);
    // PKCS#11 ECDSA output is r||s, each 32 bytes: GBCS's own encoding.
    return Uint8Array.from(this.p11.C_Sign(this.session, digest, Buffer.alloc(64)));
  }

  async agree(eui: Eui, usage: 'ka' | 'pp-ka', peer: KeyObject): Promise<Uint8Array> {
    const key = this.#privateHandle(eui, usage);
    const secret = this.p11.C_DeriveKey(
      this.session,
      { mechanism: pkcs11js.CKM_ECDH1_DERIVE, parameter: { type: pkcs11js.CK_PARAMS_EC_DH, kdf: pkcs11js.CKD_NULL, publicData: pointOf(peer) } as Pkcs11Types.ECDH1 },
      key,
      [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
        { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_GENERIC_SECRET },
        { type: pkcs11js.CKA_VALUE_LEN, value: 32 },
        { type: pkcs11js.CKA_TOKEN, value: false },
        { type: pkcs11js.CKA_SENSITIVE, value: false },
        { type: pkcs11js.CKA_EXTRACTABLE, value: true },
      ],
    );
    try {
      const [attr] = this.p11.C_GetAttributeValue(this.session, secret, [{ type: pkcs11js.CKA_VALUE }]);
      return Uint8Array.from(attr!.value as Buffer);
    } finally {
      this.p11.C_DestroyObject(this.session, secret);
    }
  }
}
