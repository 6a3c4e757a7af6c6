import { ConflictError, ValidationError, type Eui } from '../../domain/index.ts';
import { euiFromBytes } from '../../domain/eui.ts';
import { buildFrame } from '../../gbcs/build-frame.ts';
import { buildUseCaseFrame } from '../../gbcs/build-use-case.ts';
import { decodeFrame } from '../../gbcs/decode-frame.ts';
import { buildCs02bCommand, CS02B_MODE, readCs02aResponse, ROLE } from '../../gbcs/payloads/credentials.ts';
import type { DeviceAnswer, DeviceSession } from '../ports/device-gateway.ts';
import type { PlatformKeys } from '../ports/key-source.ts';

export interface CellReading {
  readonly supplier: Eui | null;
  readonly networkOperator: Eui | null;
}

/**
 * What the platform, playing the DCC, sends a device to read or replace its credential cells: the
 * frames are built and signed here with the key source's keys, and carried by whichever session
 * reaches the device (a bench at refurbishment, the gateway at reinstallation).
 */
export class CellCommands {
  constructor(readonly platform: PlatformKeys) {}

  get acb(): Eui {
    return this.platform.acb;
  }

  /** The DCC's Recovery identity, which signs the Recovery CS02b; refused where meterops holds no Recovery key. */
  get recovery(): Eui {
    const r = this.platform.recovery;
    if (!r) throw new ValidationError('keystore', 'recovery-key', 'meterops holds no DCC Recovery key for this device, so it cannot write vanilla credentials');
    return r;
  }

  /** CS02a from the ACB (the DCC's test service): the frame only, for a bench to deliver. */
  readCellsFrame(device: Eui, counter: bigint): Promise<Uint8Array> {
    return buildUseCaseFrame(this.platform.keys, { useCase: 'CS02a', originator: this.acb, device, counter, acb: this.acb });
  }

  async readCells(session: DeviceSession, device: Eui, counter: bigint, now: Date): Promise<CellReading> {
    const r = await session.deliver(device, await this.readCellsFrame(device, counter), now);
    if (!r.accepted || !r.response) throw new ConflictError('device-refused', `${device} refused CS02a: ${r.detail ?? ''}`);
    const roles = readCs02aResponse(decodeFrame(r.response).apdu.content);
    const ds = (role: number) => {
      const c = roles.find((x) => x.role === role)?.cells?.find((x) => x.keyUsage === 'ds');
      return c ? euiFromBytes(c.subjectUniqueId) : null;
    };
    return { supplier: ds(ROLE.supplier), networkOperator: ds(ROLE.networkOperator) };
  }

  async #certs(holder: Eui, role: number) {
    const ds = await this.platform.keys.certificate(holder, 'ds');
    const ka = await this.platform.keys.certificate(holder, 'ka');
    if (!ds || !ka) throw new ValidationError('keystore', 'party-certificates', `the key source has no DS and KA certificates for ${holder}`);
    return [
      { certificate: ds.raw, target: { role, keyUsage: 'ds' as const } },
      { certificate: ka.raw, target: { role, keyUsage: 'ka' as const } },
    ];
  }

  /**
   * Recovery CS02b (mode 8), signed by Recovery, no ACB MAC: DCC-controlled (ACB) "vanilla"
   * credentials into the Supplier and Network Operator cells, so the device can go to any region.
   */
  async toVanilla(session: DeviceSession, device: Eui, counter: bigint, now: Date): Promise<DeviceAnswer> {
    const recovery = this.recovery;
    const content = buildCs02bCommand({
      mode: CS02B_MODE.anyExceptAbnormalRootByRecovery,
      disapplyTimeBasedCpvChecks: true,
      authorisingCell: { role: ROLE.recovery, keyUsage: 'ds' },
      sequenceNumber: counter,
      replacements: [...(await this.#certs(this.acb, ROLE.supplier)), ...(await this.#certs(this.acb, ROLE.networkOperator))],
      certificationPath: [...(await this.platform.certificationPath())],
    });
    const frame = await buildFrame(
      this.platform.keys,
      { cra: 'command', originatorCounter: counter, originator: recovery, recipient: device, dateTime: null, messageCode: 0x0108 },
      content,
      { sign: true, mac: false, acb: this.acb },
    );
    return session.deliver(device, frame, now);
  }

  /**
   * Hands a cell pair over from its present holder (the ACB, on vanilla stock) to `to`: CS02b mode 3
   * (NO by NO, SRV 6.21) or mode 2 (Supplier by Supplier), signed by the present holder, ACB MACed.
   */
  async handOver(session: DeviceSession, device: Eui, role: 'networkOperator' | 'supplier', from: Eui, to: Eui, counter: bigint, now: Date): Promise<DeviceAnswer> {
    const r = ROLE[role];
    const mode = role === 'networkOperator' ? CS02B_MODE.networkOperatorByNetworkOperator : CS02B_MODE.supplierBySupplier;
    const content = buildCs02bCommand({
      mode,
      disapplyTimeBasedCpvChecks: false,
      authorisingCell: { role: r, keyUsage: 'ds' },
      sequenceNumber: counter,
      replacements: await this.#certs(to, r),
      certificationPath: [...(await this.platform.certificationPath())],
    });
    const frame = await buildFrame(
      this.platform.keys,
      { cra: 'command', originatorCounter: counter, originator: from, recipient: device, dateTime: null, messageCode: 0x0100 | mode },
      content,
      { sign: true, mac: true, acb: this.acb },
    );
    return session.deliver(device, frame, now);
  }
}
