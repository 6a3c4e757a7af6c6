import { ROLE } from '../../gbcs/payloads/credentials.ts';
import { REFUSAL_ALERT, type RefusalReason } from './alert-codes.ts';
import { buildAccessResponse, CONTROL_STATE, DATA_ACCESS_RESULT, LOAD_SWITCH_SCRIPTS, readAccessRequest, type AccessRequest } from '../../gbcs/payloads/dlms.ts';
import { GbcsDecodeError } from '../../gbcs/gbcs-error.ts';
import { credentialCommands } from './credential-commands.ts';
import { Refusal, SimulatedDevice, type CommandSpec } from './simulated-device.ts';
import { UtrnAcceptor, type AcceptedCode } from './utrn-acceptor.ts';

export type LoadSwitch = 'enabled' | 'disabled' | 'armed';
export type PaymentMode = 'credit' | 'prepayment';

const SCRIPT_STATE: Record<number, LoadSwitch> = { [LOAD_SWITCH_SCRIPTS.ECS42]: 'enabled', [LOAD_SWITCH_SCRIPTS.ECS43]: 'disabled', [LOAD_SWITCH_SCRIPTS.ECS44]: 'armed' };
const CONTROL: Record<LoadSwitch, number> = { enabled: CONTROL_STATE.connected, disabled: CONTROL_STATE.disconnected, armed: CONTROL_STATE.ready_for_reconnection };

export interface KeypadResult {
  readonly accepted: boolean;
  /** Why a code was refused, in the device's refusal words. */
  readonly reason?: RefusalReason;
  readonly alertCode?: number;
  readonly detail: string;
}

/** The electricity meter: load switch, credit and emergency credit, payment mode, UTRN keypad. */
export class Esme extends SimulatedDevice {
  loadSwitch: LoadSwitch = 'enabled';
  paymentMode: PaymentMode = 'credit';
  creditPence = 0;
  emergencyCreditPence = 0;
  readonly utrn = new UtrnAcceptor(this.eui, this.model, this.anchors, () => this.keys);
  #commands: Map<number, CommandSpec> | undefined;

  protected commands(): ReadonlyMap<number, CommandSpec> {
    return (this.#commands ??= new Map<number, CommandSpec>([
      [0x004f, this.#loadSwitchSpec('ECS42')],
      [0x0050, this.#loadSwitchSpec('ECS43')],
      [0x0051, this.#loadSwitchSpec('ECS44')],
      [
        0x0052,
        {
          useCase: 'ECS45',
          critical: false,
          signerRole: null,
          allowedRoles: [ROLE.supplier],
          handle: ({ apdu }) => {
            const req = this.#request(apdu.content, 'get');
            return buildAccessResponse(req.invokeId, [{ type: 'enum', value: CONTROL[this.loadSwitch] }], [{ kind: 'get', result: 0 }]);
          },
        },
      ],
      [
        0x0007,
        {
          useCase: 'CS01a',
          critical: false,
          signerRole: null,
          allowedRoles: [ROLE.supplier],
          responseDateTime: true,
          handle: ({ apdu, now }) => {
            const req = this.#request(apdu.content, 'action');
            const arg = req.data[0];
            if (req.specs[0]?.kind !== 'action' || req.specs[0].classId !== 115 || arg?.type !== 'octet-string')
              throw new Refusal('malformed', 'CS01a is ACTION enter(octet-string) on the token gateway');
            const utrn = Buffer.from(arg.value).toString('ascii');
            let code: AcceptedCode;
            try {
              code = this.utrn.check(utrn, now, apdu.originatorCounter);
              this.#checkCeiling(code);
            } catch (e) {
              if (!(e instanceof Refusal)) throw e;
              // The command was authentic; the top-up failed: a response with a failed Action-Result.
              throw new Refusal(e.reason, e.detail, buildAccessResponse(req.invokeId, [{ type: 'null' }], [{ kind: 'action', result: DATA_ACCESS_RESULT.hardwareFault }]));
            }
            this.#apply(code);
            return buildAccessResponse(req.invokeId, [{ type: 'null' }], [{ kind: 'action', result: 0 }]);
          },
        },
      ],
      ...credentialCommands(this.anchors),
    ]));
  }

  #request(content: Uint8Array, kind: 'get' | 'action'): AccessRequest {
    try {
      const req = readAccessRequest(content);
      if (req.specs.length !== 1 || req.specs[0]!.kind !== kind) throw new Refusal('malformed', `expected one ${kind.toUpperCase()} request`);
      return req;
    } catch (e) {
      if (e instanceof GbcsDecodeError) throw new Refusal('malformed', e.message);
      throw e;
    }
  }

  #loadSwitchSpec(useCase: 'ECS42' | 'ECS43' | 'ECS44'): CommandSpec {
    return {
      useCase,
      critical: true,
      signerRole: ROLE.supplier,
      allowedRoles: [ROLE.supplier],
      handle: ({ apdu }) => {
        const req = this.#request(apdu.content, 'action');
        const spec = req.specs[0]!;
        const script = req.data[0];
        if (spec.kind !== 'action' || spec.classId !== 9 || script?.type !== 'long-unsigned' || LOAD_SWITCH_SCRIPTS[useCase] !== script.value) {
          throw new Refusal('malformed', `${useCase} must execute script ${LOAD_SWITCH_SCRIPTS[useCase]} of the disconnect control script table`);
        }
        this.loadSwitch = SCRIPT_STATE[script.value]!;
        return buildAccessResponse(req.invokeId, [{ type: 'null' }], [{ kind: 'action', result: 0 }]);
      },
    };
  }

  #checkCeiling(code: AcceptedCode): void {
    if (code.kind === 'credit' && this.creditPence + code.pence > this.model.maxCreditPence) {
      throw new Refusal('utrn-exceeds-max-credit', `credit would exceed the maximum of ${this.model.maxCreditPence} pence`);
    }
  }

  #apply(code: AcceptedCode): void {
    this.utrn.commit(code);
    if (code.kind === 'credit') this.creditPence += code.pence;
    else if (code.action === 'switchToCreditMode') this.paymentMode = 'credit';
    else this.loadSwitch = 'enabled';
  }

  /** A UTRN or configuration code typed on the meter's keypad (or forwarded by the PPMID). */
  enterCode(code: string, now: Date): KeypadResult {
    try {
      const accepted = this.utrn.check(code, now);
      this.#checkCeiling(accepted);
      this.#apply(accepted);
      return { accepted: true, detail: accepted.kind === 'credit' ? `credit +${accepted.pence}p` : `configuration: ${accepted.action}` };
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      if (e.reason === 'utrn-not-authentic' && this.utrn.recordWrongEntry(now)) {
        return { accepted: false, reason: e.reason, alertCode: 0x81c4, detail: `${e.detail}; keypad entry suspended for ${this.model.lockoutMinutes} minutes` };
      }
      return { accepted: false, reason: e.reason, alertCode: refusalCode(e), detail: e.detail };
    }
  }

  protected exportOwn(): Record<string, unknown> {
    return this.stateSnapshot();
  }

  protected restoreOwn(o: Record<string, unknown>): void {
    this.loadSwitch = o.loadSwitch as LoadSwitch;
    this.paymentMode = o.paymentMode as PaymentMode;
    this.creditPence = o.credit as number;
    this.emergencyCreditPence = o.emergency as number;
    this.utrn.restore(o.utrn as Record<string, unknown>);
  }

  protected resetState(): void {
    this.loadSwitch = 'enabled';
    this.paymentMode = 'credit';
    this.creditPence = 0;
    this.emergencyCreditPence = 0;
    this.utrn.reset();
  }

  protected stateSnapshot(): Record<string, unknown> {
    return { loadSwitch: this.loadSwitch, paymentMode: this.paymentMode, credit: this.creditPence, emergency: this.emergencyCreditPence, utrn: this.utrn.snapshot() };
  }
}

const refusalCode = (e: Refusal) => REFUSAL_ALERT[e.reason];
