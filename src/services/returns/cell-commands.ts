import type { Eui } from '../../domain/index.ts';
import type { Fleet } from '../../world/devices/fleet.ts';
import { FleetKeyStore } from '../../world/devices/fleet-key-store.ts';
import type { DeviceReply, SimulatedDevice } from '../../world/devices/simulated-device.ts';
import { buildFrame } from '../../gbcs/build-frame.ts';
import { buildUseCaseFrame } from '../../gbcs/build-use-case.ts';
import { decodeFrame } from '../../gbcs/decode-frame.ts';
import { euiFromBytes } from '../../domain/eui.ts';
import { buildCs02bCommand, CS02B_MODE, readCs02aResponse, ROLE } from '../../gbcs/payloads/credentials.ts';
import { TestCa } from '../../keys/test-pki.ts';
import { withAgreementCache } from '../../gbcs/agreement-cache.ts';
import type { KeyStore } from '../../gbcs/key-store.ts';

// The simulation's SMKI: one test CA per process certifies the fleet parties' keys on demand.
let ca: Promise<TestCa> | undefined;
const simulationCa = () => (ca ??= TestCa.create());

/** What the platform, playing the DCC, sends a simulated device to read or replace its cells. */
export class CellCommands {
  private constructor(
    readonly fleet: Fleet,
    readonly keys: KeyStore,
    readonly ca: TestCa,
  ) {}

  static #made = new WeakMap<Fleet, Promise<CellCommands>>();

  /** One per fleet: its keystore remembers the certificates it has had issued. */
  static for(fleet: Fleet): Promise<CellCommands> {
    let m = CellCommands.#made.get(fleet);
    if (!m) CellCommands.#made.set(fleet, (m = simulationCa().then((c) => new CellCommands(fleet, withAgreementCache(new FleetKeyStore(fleet, c)), c))));
    return m;
  }

  get acb(): Eui {
    return this.fleet.parties.acb.eui;
  }

  /** CS02a from the ACB (the DCC's test service): the frame only, for a bench to deliver. */
  readCellsFrame(device: Eui, counter: bigint): Promise<Uint8Array> {
    return buildUseCaseFrame(this.keys, { useCase: 'CS02a', originator: this.acb, device, counter, acb: this.acb });
  }

  async readCells(device: SimulatedDevice, counter: bigint, now: Date): Promise<{ supplier: Eui | null; networkOperator: Eui | null }> {
    const r = device.receive(await this.readCellsFrame(device.eui, counter), now);
    if (!r.accepted) throw new Error(`${device.eui} refused CS02a: ${r.detail}`);
    const roles = readCs02aResponse(decodeFrame(r.response).apdu.content);
    const ds = (role: number) => {
      const c = roles.find((x) => x.role === role)?.cells?.find((x) => x.keyUsage === 'ds');
      return c ? euiFromBytes(c.subjectUniqueId) : null;
    };
    return { supplier: ds(ROLE.supplier), networkOperator: ds(ROLE.networkOperator) };
  }

  async #certs(holder: Eui, role: number) {
    const party = this.fleet.parties.byEui(holder);
    if (!party) throw new Error(`${holder} is not a party of this fleet`);
    const ds = await this.keys.certificate(holder, 'ds');
    const ka = await this.keys.certificate(holder, 'ka');
    if (!ds || !ka) throw new Error(`no certificates for ${holder}`);
    return [{ certificate: ds.raw, target: { role, keyUsage: 'ds' as const } }, { certificate: ka.raw, target: { role, keyUsage: 'ka' as const } }];
  }

  /**
   * Recovery CS02b (mode 8), signed by Recovery, no ACB MAC: DCC-controlled (ACB) "vanilla"
   * credentials into the Supplier and Network Operator cells, so the device can go to any region.
   */
  async toVanilla(device: SimulatedDevice, counter: bigint, now: Date): Promise<DeviceReply> {
    const recovery = this.fleet.parties.recovery.eui;
    const content = buildCs02bCommand({
      mode: CS02B_MODE.anyExceptAbnormalRootByRecovery, disapplyTimeBasedCpvChecks: true, authorisingCell: { role: ROLE.recovery, keyUsage: 'ds' }, sequenceNumber: counter,
      replacements: [...(await this.#certs(this.acb, ROLE.supplier)), ...(await this.#certs(this.acb, ROLE.networkOperator))],
      certificationPath: [this.ca.issuingCa.raw],
    });
    const frame = await buildFrame(this.keys, { cra: 'command', originatorCounter: counter, originator: recovery, recipient: device.eui, dateTime: null, messageCode: 0x0108 }, content, { sign: true, mac: false, acb: this.acb });
    return device.receive(frame, now);
  }

  /**
   * Hands a cell pair over from its present holder (the ACB, on vanilla stock) to `to`: CS02b mode 3
   * (NO by NO, SRV 6.21) or mode 2 (Supplier by Supplier), signed by the present holder, ACB MACed.
   */
  async handOver(device: SimulatedDevice, role: 'networkOperator' | 'supplier', from: Eui, to: Eui, counter: bigint, now: Date): Promise<DeviceReply> {
    const r = ROLE[role];
    const mode = role === 'networkOperator' ? CS02B_MODE.networkOperatorByNetworkOperator : CS02B_MODE.supplierBySupplier;
    const content = buildCs02bCommand({
      mode, disapplyTimeBasedCpvChecks: false, authorisingCell: { role: r, keyUsage: 'ds' }, sequenceNumber: counter,
      replacements: await this.#certs(to, r), certificationPath: [this.ca.issuingCa.raw],
    });
    const frame = await buildFrame(this.keys, { cra: 'command', originatorCounter: counter, originator: from, recipient: device.eui, dateTime: null, messageCode: 0x0100 | mode }, content, { sign: true, mac: true, acb: this.acb });
    return device.receive(frame, now);
  }
}
