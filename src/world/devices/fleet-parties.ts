import { createHash, type KeyObject } from 'node:crypto';
import type { Eui } from '../../domain/eui.ts';
import { DNO_REGIONS } from '../../domain/dno-regions.ts';
import { ROLE } from '../../gbcs/payloads/credentials.ts';
import { deriveKeyPair, type DerivedKeyPair } from './derived-keys.ts';

export interface FleetParty {
  readonly eui: Eui;
  readonly role: number;
  readonly name: string;
  readonly ds: DerivedKeyPair;
  readonly ka?: DerivedKeyPair;
  /** A Supplier's prepayment top-up KA key. */
  readonly ppKa?: DerivedKeyPair;
  readonly distributorId?: number;
}

/** The GBCS subject key id the simulation gives a key: 8 bytes of SHA-256 over its SPKI. */
export function simSubjectKeyId(key: KeyObject): Uint8Array {
  return Uint8Array.from(
    createHash('sha256')
      .update(key.export({ type: 'spki', format: 'der' }))
      .digest()
      .subarray(0, 8),
  );
}

/**
 * The remote parties of a simulated fleet, keys derived from the fleet secret: the DCC's ACB,
 * Recovery, Transitional CoS and WAN Provider, two Suppliers, and the Network Operator of each of
 * the 14 DNO regions.
 */
export class FleetParties {
  readonly acb: FleetParty;
  readonly recovery: FleetParty;
  readonly transCoS: FleetParty;
  readonly wanProvider: FleetParty;
  readonly suppliers: readonly FleetParty[];
  readonly networkOperators: ReadonlyMap<number, FleetParty>;
  readonly all: readonly FleetParty[];

  /** Party EUIs are the fleet's tag then FFFF: a range no device EUI of the fleet reaches. */
  constructor(secret: string, tag: string) {
    const party = (eui: string, role: number, name: string, usages: { ka?: boolean; pp?: boolean } = {}, distributorId?: number): FleetParty => ({
      eui: eui as Eui,
      role,
      name,
      ds: deriveKeyPair(secret, `${eui}/ds`),
      ...(usages.ka ? { ka: deriveKeyPair(secret, `${eui}/ka`) } : {}),
      ...(usages.pp ? { ppKa: deriveKeyPair(secret, `${eui}/pp-ka`) } : {}),
      ...(distributorId !== undefined ? { distributorId } : {}),
    });
    this.acb = party(`${tag}FFFF00000004`, ROLE.acb, 'Simulated DCC ACB', { ka: true });
    this.recovery = party(`${tag}FFFF00000001`, ROLE.recovery, 'Simulated DCC Recovery');
    this.transCoS = party(`${tag}FFFF00000005`, ROLE.transCoS, 'Simulated Transitional CoS');
    this.wanProvider = party(`${tag}FFFF00000006`, ROLE.wanProvider, 'Simulated WAN Provider', { ka: true });
    this.suppliers = [
      party(`${tag}FFFF00020001`, ROLE.supplier, 'Simulated Supplier A', { ka: true, pp: true }),
      party(`${tag}FFFF00020002`, ROLE.supplier, 'Simulated Supplier B', { ka: true, pp: true }),
    ];
    this.networkOperators = new Map(
      DNO_REGIONS.map((r) => [r.distributorId, party(`${tag}FFFF000300${r.distributorId}`, ROLE.networkOperator, `Simulated NO ${r.name}`, { ka: true }, r.distributorId)]),
    );
    this.all = [this.acb, this.recovery, this.transCoS, this.wanProvider, ...this.suppliers, ...this.networkOperators.values()];
  }

  byEui(eui: Eui): FleetParty | undefined {
    return this.all.find((p) => p.eui === eui);
  }
}
