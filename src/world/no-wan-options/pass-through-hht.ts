import type { Eui } from '../../domain/eui.ts';
import { fromHex } from '../../gbcs/byte-reader.ts';
import { signPairing } from '../../gbcs/pairing-authorisation.ts';
import { USE_CASES } from '../../gbcs/use-cases.ts';
import { verifyLocalResponse } from '../../gbcs/verify-local-response.ts';
import { LocalPort, type PortReply } from '../devices/local-port.ts';
import type { PremiseRun } from './premise-run.ts';
import { done, failed, unsupported, type NoWanTask, type TaskOutcome } from './tasks.ts';

export const STUDY_HHT = 'F0F0F0F0F0F01812' as Eui;

/** One command of a captured or carried order: the frame as built for the DCC, and what it is. */
export interface CarriedCommand {
  readonly useCase: string;
  readonly counter: bigint;
  readonly frame: Uint8Array;
}

/** What an HHT carries for one meter: the commands, and the signed pairing for this HHT until the order expires. */
export interface CarriedOrder {
  readonly hht: Eui;
  readonly device: Eui;
  readonly expiresAt: Date;
  readonly pairing: Uint8Array;
  readonly commands: readonly CarriedCommand[];
}

/**
 * Option 7 (the 2012 SDAG paper), as meterops runs it (docs/no-wan.md): the Supplier's signed, ACB-MACed
 * commands and a signed pairing for one HHT, built as `createWorkOrder` and `pullWorkOrder` build
 * them; at the meter the HHT opens the join window, pairs, delivers, and brings the responses back
 * to be verified as `uploadResponses` verifies them (gbcs/verify-local-response.ts).
 */
export class PassThroughHht {
  constructor(
    readonly ctx: PremiseRun,
    readonly hht: Eui = STUDY_HHT,
  ) {}

  async order(useCases: readonly string[], lifetimeHours = this.ctx.a.workOrderLifetimeHours): Promise<CarriedOrder> {
    const ctx = this.ctx;
    const expiresAt = new Date(ctx.clock.now().getTime() + lifetimeHours * 3_600_000);
    const commands: CarriedCommand[] = [];
    for (const uc of useCases) {
      const frame = await ctx.frame(uc);
      commands.push({ useCase: uc, counter: ctx.lastCounter, frame });
    }
    return { hht: this.hht, device: ctx.esme.eui, expiresAt, pairing: await signPairing(ctx.keys, ctx.supplier, this.hht, ctx.esme.eui, expiresAt), commands };
  }

  /** At the meter's local port: join window, pairing, delivery in order. Throws the port's refusal. */
  deliver(order: CarriedOrder, port: LocalPort, now: Date): PortReply[] {
    port.openJoinWindow(now);
    port.pair(order.hht, now, order.pairing);
    return order.commands.map((c) => port.send(order.hht, c.frame, now));
  }

  /** Back online: each response verified as the upload verifies it (device, Supplier, counter, message code, signature or MAC). */
  async verify(order: CarriedOrder, replies: readonly PortReply[]): Promise<Array<{ ok: boolean; reason?: string }>> {
    const out: Array<{ ok: boolean; reason?: string }> = [];
    for (const [i, r] of replies.entries()) {
      const c = order.commands[i]!;
      if (!r.accepted || !r.response) {
        out.push({ ok: false, reason: `refused: ${r.reason}` });
        continue;
      }
      const spec = USE_CASES[c.useCase]!;
      const v = await verifyLocalResponse(
        fromHex(r.response),
        { device: order.device, user: this.ctx.supplier, counter: c.counter, messageCode: spec.messageCode, critical: spec.critical },
        this.ctx.keys,
        this.ctx.acb,
      );
      out.push(v.ok ? { ok: true } : { ok: false, reason: v.reason });
    }
    return out;
  }
}

/** The installed meter's port, which requires a signed pairing. */
export const installedPort = (ctx: PremiseRun) => new LocalPort(ctx.esme, ctx.fleet.options.seed, { requirePairingAuthorisation: true, returnedFault: false });

/** Option 7 at one premise: each task a visit carrying its signed commands; every response verified. */
export async function runPassThroughHht(ctx: PremiseRun): Promise<Record<NoWanTask, TaskOutcome>> {
  const a = ctx.a;
  const hht = new PassThroughHht(ctx);
  const port = installedPort(ctx);
  /** A visit carrying one command; `shared`: carried in the previous task's visit (no visit of its own). */
  const visit = async (useCase: string, check: () => boolean, what: string, shared = false): Promise<TaskOutcome> => {
    const order = await hht.order([useCase]);
    const replies = hht.deliver(order, port, ctx.clock.now());
    const [v] = await hht.verify(order, replies);
    const visits = shared ? 0 : 1;
    const hours = (shared ? 0 : a.visitHours) + a.commandMinutes / 60;
    const how = shared ? 'carried in the enable-supply visit' : 'delivered by the HHT';
    if (!v!.ok) return failed('run', visits, hours, `${useCase}: ${v!.reason}`);
    return check() ? done('run', visits, hours, `${useCase} ${how}, response verified: ${what}`) : failed('run', visits, hours, `${useCase} verified but ${what} not seen`);
  };
  const unsimulated = (what: string, note = '', ownVisit = true) =>
    a.unsimulatedSignedCommandsCarried
      ? done('assumption', ownVisit ? 1 : 0, (ownVisit ? a.visitHours : 0) + a.commandMinutes / 60, `unsimulatedSignedCommandsCarried: ${what} carried as a signed command${note}`)
      : unsupported('assumption', `unsimulatedSignedCommandsCarried is false: no ${what}`);
  const before = ctx.esme.creditPence;
  return {
    installation: await (async () => {
      const order = await hht.order(['ECS45']);
      const [v] = await hht.verify(order, hht.deliver(order, port, ctx.clock.now()));
      return v!.ok
        ? done('run', 1, a.installationHours, 'meter fitted; the HHT paired with its signed pairing and read the load switch')
        : failed('run', 1, a.installationHours, `pairing check: ${v!.reason}`);
    })(),
    'han-ihd-pairing': unsimulated('adding the IHD or PPMID to the hub (a DCC command)', ' in the installation visit; the pairing signed for the HHT itself was run', false),
    commissioning: a.commissioningNeedsWan
      ? unsupported('assumption', 'commissioningNeedsWan: waits until the hub finds a WAN')
      : done('assumption', 0, 0, 'commissioningNeedsWan is false'),
    'tariff-change': unsimulated('tariff change'),
    'supply-disable': await visit('ECS43', () => ctx.esme.loadSwitch === 'disabled', 'load switch open'),
    'supply-enable': await visit('ECS42', () => ctx.esme.loadSwitch === 'enabled', 'load switch closed'),
    'top-up': await visit('CS01a', () => ctx.esme.creditPence === before + 1000, 'credit +1000p', true),
    'switch-to-credit': unsimulated('payment-mode change', '; meterops work orders do not carry one yet (HHT use cases: ECS42-45, CS01a/b, GCS32/33/39)'),
    'credential-change': await (async () => {
      const now = ctx.clock.now();
      port.openJoinWindow(now);
      port.pair(hht.hht, now, (await hht.order([])).pairing);
      const r = await ctx.changeCredentials((f, at) => port.send(hht.hht, f, at));
      const hours = a.visitHours + a.commandMinutes / 60;
      return r.accepted
        ? done('run', 1, hours, `CS02b delivered at the port: ${r.detail} (meterops work orders do not carry CS02b yet)`)
        : failed('run', 1, hours, `CS02b refused: ${r.detail}`);
    })(),
    firmware: unsimulated('firmware update'),
  };
}
