import type { KeyObject, X509Certificate } from 'node:crypto';
import { diffieHellman } from 'node:crypto';
import type { Eui } from '../../domain/eui.ts';
import { KeyNotFoundError, type KeyStore, type KeyUsage } from '../../gbcs/key-store.ts';
import { signRaw } from '../../gbcs/signature.ts';
import type { Fleet } from './fleet.ts';
import type { TestCa } from '../../keys/test-pki.ts';

/**
 * The platform's view of a simulated fleet's keys: the remote parties' key pairs (as a User's and
 * the DCC's own keystores would hold them) and every device's public keys. Device private keys are
 * not in it: they stay in the devices.
 */
export class FleetKeyStore implements KeyStore {
  readonly #devicePublic = new Map<string, KeyObject>();
  readonly #certificates = new Map<string, Promise<X509Certificate | undefined>>();
  /** With a CA, every party and device key is certified on first request (the SMKI's role in the simulation). */
  constructor(
    private readonly fleet: Fleet,
    private readonly ca?: TestCa,
  ) {}

  #party(eui: Eui, usage: KeyUsage): KeyObject | undefined {
    const p = this.fleet.parties.byEui(eui);
    const pair = p && (usage === 'ds' ? p.ds : usage === 'ka' ? p.ka : p.ppKa);
    return pair?.privateKey;
  }

  async publicKey(eui: Eui, usage: KeyUsage): Promise<KeyObject | undefined> {
    const p = this.fleet.parties.byEui(eui);
    if (p) return (usage === 'ds' ? p.ds : usage === 'ka' ? p.ka : p.ppKa)?.publicKey;
    if (usage === 'pp-ka' || !this.fleet.locate(eui)) return undefined;
    const k = `${eui}/${usage}`;
    let pub = this.#devicePublic.get(k);
    if (!pub) this.#devicePublic.set(k, (pub = this.fleet.deviceKeys(eui)[usage].publicKey));
    return pub;
  }

  certificate(eui: Eui, usage: KeyUsage): Promise<X509Certificate | undefined> {
    const ca = this.ca;
    if (!ca) return Promise.resolve(undefined);
    const k = `${eui}/${usage}`;
    let c = this.#certificates.get(k);
    if (!c) {
      c = (async () => {
        const pub = await this.publicKey(eui, usage);
        if (!pub) return undefined;
        const party = this.fleet.parties.byEui(eui);
        const issued = party
          ? await ca.issueOrganisation({ eui, role: party.role, name: party.name.toUpperCase() }, usage, pub)
          : await ca.issueDevice(eui, usage as 'ds' | 'ka', pub);
        return issued.certificate;
      })();
      this.#certificates.set(k, c);
    }
    return c;
  }

  async hasPrivateKey(eui: Eui, usage: KeyUsage): Promise<boolean> {
    return this.#party(eui, usage) !== undefined;
  }

  async sign(eui: Eui, usage: 'ds', data: Uint8Array): Promise<Uint8Array> {
    const k = this.#party(eui, usage);
    if (!k) throw new KeyNotFoundError(eui, usage, 'private');
    return signRaw(k, data);
  }

  async agree(eui: Eui, usage: 'ka' | 'pp-ka', peer: KeyObject): Promise<Uint8Array> {
    const k = this.#party(eui, usage);
    if (!k) throw new KeyNotFoundError(eui, usage, 'private');
    return diffieHellman({ privateKey: k, publicKey: peer });
  }
}
