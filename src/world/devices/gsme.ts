import type { KeyObject } from 'node:crypto';
import type { GeneralSigningApdu } from '../../gbcs/frame.ts';
import { GbcsDecodeError } from '../../gbcs/gbcs-error.ts';
import { ROLE } from '../../gbcs/payloads/credentials.ts';
import {
  buildDefaultResponse,
  buildReadValveResponse,
  buildSupplyStatusResponse,
  buildTopUpResponse,
  CLUSTER,
  readChangeSupply,
  readConsumerTopUp,
  readGbz,
  SUPPLY_STATUS,
  TOP_UP_RESULT,
  VALVE_USE_CASES,
  type GbzComponent,
} from '../../gbcs/payloads/gbz.ts';
import { credentialCommands } from './credential-commands.ts';
import { Refusal, SimulatedDevice, type CommandSpec, type DeviceReply } from './simulated-device.ts';
import { UtrnAcceptor } from './utrn-acceptor.ts';

export type Valve = 'open' | 'closed' | 'armed';
const VALVE_OF: Record<number, Valve> = { [SUPPLY_STATUS.off]: 'closed', [SUPPLY_STATUS.armed]: 'armed', [SUPPLY_STATUS.on]: 'open' };
const STATUS_OF: Record<Valve, number> = { closed: SUPPLY_STATUS.off, armed: SUPPLY_STATUS.armed, open: SUPPLY_STATUS.on };
/** ZSE top-up result for each refusal (gbcs-payloads.md section 2.4). */
const TOP_UP_REFUSAL: Record<string, number> = {
  'utrn-duplicate': TOP_UP_RESULT.duplicate,
  'utrn-exceeds-max-credit': TOP_UP_RESULT.maxCredit,
  'utrn-locked-out': TOP_UP_RESULT.keypadLock,
};

/**
 * The gas meter: valve, credit, and a battery. Every wake costs energy; a wake that changes nothing
 * (a refused command, or one asking for the state the meter is already in) is needless, and is
 * counted: the gas-battery wastage the seeds warn about.
 */
export class Gsme extends SimulatedDevice {
  valve: Valve = 'open';
  creditPence = 0;
  wakes = 0;
  needlessWakes = 0;
  /** The PPMID paired over the HAN, whose KA key keys PCS01 MACs. */
  hanPeer: KeyObject | undefined;
  hanPeerEui: string | undefined;
  readonly utrn = new UtrnAcceptor(this.eui, this.model, this.anchors, () => this.keys);
  #commands: Map<number, CommandSpec> | undefined;

  get batteryRemaining(): number {
    return Math.max(0, (this.model.batteryWakes ?? 0) - this.wakes);
  }

  override receive(bytes: Uint8Array, now: Date): DeviceReply {
    this.wakes++;
    const before = JSON.stringify(this.stateSnapshot());
    const reply = super.receive(bytes, now);
    const changed = JSON.stringify(this.stateSnapshot()) !== before;
    const isRead = reply.accepted && reply.useCase === 'GCS33';
    if (!reply.accepted || (!changed && !isRead)) this.needlessWakes++;
    return reply;
  }

  protected override macPeer(apdu: GeneralSigningApdu): KeyObject | undefined {
    // PCS01 comes from the PPMID over the HAN: MACed between the two devices, not by the ACB.
    return apdu.messageCode === 0x009b ? this.hanPeer : super.macPeer(apdu);
  }

  #component(content: Uint8Array): GbzComponent {
    try {
      const [c, ...rest] = readGbz(content);
      if (!c || rest.length) throw new Refusal('malformed', 'expected one GBZ component');
      return c;
    } catch (e) {
      if (e instanceof GbcsDecodeError) throw new Refusal('malformed', e.message);
      throw e;
    }
  }

  #topUp(useCase: 'CS01b' | 'PCS01'): CommandSpec {
    return {
      useCase,
      critical: false,
      signerRole: null,
      allowedRoles: [ROLE.supplier],
      ...(useCase === 'PCS01' ? { authorise: (o: string) => o === this.hanPeerEui } : {}),
      responseDateTime: useCase === 'CS01b',
      handle: ({ apdu, now }) => {
        let t;
        try {
          t = readConsumerTopUp(this.#component(apdu.content));
        } catch (e) {
          if (e instanceof GbcsDecodeError) throw new Refusal('malformed', e.message);
          throw e;
        }
        try {
          const code = this.utrn.check(t.utrn, now, useCase === 'CS01b' ? apdu.originatorCounter : undefined);
          if (code.kind !== 'credit') throw new Refusal('utrn-not-authentic', 'a configuration code is not a top-up');
          if (this.creditPence + code.pence > this.model.maxCreditPence) throw new Refusal('utrn-exceeds-max-credit', `credit would exceed ${this.model.maxCreditPence} pence`);
          this.utrn.commit(code);
          this.creditPence += code.pence;
          // Money in 1/1000 penny, as the RTDS shows.
          return buildTopUpResponse(TOP_UP_RESULT.accepted, code.pence * 1000, t.originatingDevice, this.creditPence * 1000);
        } catch (e) {
          if (!(e instanceof Refusal)) throw e;
          throw new Refusal(e.reason, e.detail, buildTopUpResponse(TOP_UP_REFUSAL[e.reason] ?? TOP_UP_RESULT.invalid, -1, t.originatingDevice, -1));
        }
      },
    };
  }

  protected commands(): ReadonlyMap<number, CommandSpec> {
    const valveSpec = (useCase: 'GCS32' | 'GCS39'): CommandSpec => ({
      useCase,
      critical: true,
      signerRole: ROLE.supplier,
      allowedRoles: [ROLE.supplier],
      handle: ({ apdu }) => {
        const c = this.#component(apdu.content);
        let req;
        try {
          req = readChangeSupply(c);
        } catch (e) {
          if (e instanceof GbcsDecodeError) throw new Refusal('malformed', e.message);
          throw e;
        }
        if (req.proposedSupplyStatus !== VALVE_USE_CASES[useCase]) {
          return buildDefaultResponse(CLUSTER.metering, 0x0b, 0xc0);
        }
        this.valve = VALVE_OF[req.proposedSupplyStatus]!;
        return buildSupplyStatusResponse(req.issuerEventId, req.proposedSupplyStatus);
      },
    });
    return (this.#commands ??= new Map<number, CommandSpec>([
      [0x0081, valveSpec('GCS32')],
      [0x0085, valveSpec('GCS39')],
      [
        0x0082,
        {
          useCase: 'GCS33',
          critical: false,
          signerRole: null,
          allowedRoles: [ROLE.supplier],
          handle: ({ apdu }) => {
            this.#component(apdu.content);
            return buildReadValveResponse(Math.floor(this.batteryRemaining / 10), STATUS_OF[this.valve]);
          },
        },
      ],
      [0x0097, this.#topUp('CS01b')],
      [0x009b, this.#topUp('PCS01')],
      ...credentialCommands(this.anchors, [0x0102, 0x0108]),
    ]));
  }

  protected exportOwn(): Record<string, unknown> {
    return { ...this.stateSnapshot(), wakes: this.wakes, needlessWakes: this.needlessWakes };
  }

  protected restoreOwn(o: Record<string, unknown>): void {
    this.valve = o.valve as Valve;
    this.creditPence = o.credit as number;
    this.wakes = o.wakes as number;
    this.needlessWakes = o.needlessWakes as number;
    this.utrn.restore(o.utrn as Record<string, unknown>);
  }

  protected resetState(): void {
    this.valve = 'open';
    this.creditPence = 0;
    this.utrn.reset();
  }

  protected stateSnapshot(): Record<string, unknown> {
    return { valve: this.valve, credit: this.creditPence, utrn: this.utrn.snapshot() };
  }
}
