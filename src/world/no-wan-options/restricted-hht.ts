import type { Eui } from '../../domain/eui.ts';
import type { Esme } from '../devices/esme.ts';
import { localHanJoin } from './engineering-menu.ts';
import type { PremiseRun } from './premise-run.ts';
import { STUDY_HHT } from './pass-through-hht.ts';
import { attempt, done, MechanismRefusal, unsupported, type NoWanTask, type TaskOutcome } from './tasks.ts';

/**
 * The commands the restricted interface admits: "a limited set of actions", with the scope
 * "defined in a HHT interface specification" that the 2012 SDAG paper leaves to be written. meterops' own
 * reading of "the way maintenance field tools work today": supply and payment-mode maintenance.
 */
export const RESTRICTED_HHT_COMMANDS = ['readStatus', 'enableSupply', 'disableSupply', 'armSupply', 'switchToCreditMode'] as const;
export type RestrictedCommand = (typeof RESTRICTED_HHT_COMMANDS)[number];

/**
 * Option 8 (the 2012 SDAG paper): the meter recognises an HHT and limits the commands it accepts from it;
 * "Commands from HHT will not be signed". Recognition is of the identity the HHT presents (its
 * EUI, from the list the Supplier put on the meter): nothing in an unsigned command proves which
 * device sent it, so whoever presents a recognised identity is obeyed.
 */
export class RestrictedHhtInterface {
  readonly recognised = new Set<Eui>();

  constructor(readonly esme: Esme) {}

  recognise(hht: Eui): void {
    this.recognised.add(hht);
  }

  command(hht: Eui, command: string): string {
    if (!this.recognised.has(hht)) throw new MechanismRefusal(`${hht} is not a recognised HHT`);
    if (!(RESTRICTED_HHT_COMMANDS as readonly string[]).includes(command))
      throw new MechanismRefusal(`"${command}" is outside the HHT interface (${RESTRICTED_HHT_COMMANDS.join(', ')})`);
    const c = command as RestrictedCommand;
    if (c === 'enableSupply') this.esme.loadSwitch = 'enabled';
    else if (c === 'disableSupply') this.esme.loadSwitch = 'disabled';
    else if (c === 'armSupply') this.esme.loadSwitch = 'armed';
    else if (c === 'switchToCreditMode') this.esme.paymentMode = 'credit';
    return `${c}: load switch ${this.esme.loadSwitch}, ${this.esme.paymentMode} mode`;
  }
}

/** Option 8 at one premise: the Supplier's HHT is recognised at installation; each task a visit with unsigned menu commands. */
export async function runRestrictedHht(ctx: PremiseRun): Promise<Record<NoWanTask, TaskOutcome>> {
  const a = ctx.a;
  const iface = new RestrictedHhtInterface(ctx.esme);
  iface.recognise(STUDY_HHT);
  const visit = (command: string, prepare: () => void = () => {}) =>
    attempt(() => {
      prepare();
      return done('run', 1, a.visitHours + a.commandMinutes / 60, `unsigned ${iface.command(STUDY_HHT, command)}`);
    });
  return {
    installation: done('run', 1, a.installationHours, `meter fitted; HHT ${STUDY_HHT} recognised by the meter`),
    'han-ihd-pairing': localHanJoin(ctx, 'from the HHT menu'),
    commissioning: a.commissioningNeedsWan
      ? unsupported('assumption', 'commissioningNeedsWan: waits until the hub finds a WAN')
      : done('assumption', 0, 0, 'commissioningNeedsWan is false'),
    'tariff-change': visit('setTariff'),
    'supply-disable': visit('disableSupply'),
    'supply-enable': visit('enableSupply'),
    'top-up': await ctx.keypadTopUp(),
    'switch-to-credit': visit('switchToCreditMode', () => ctx.toPrepayment()),
    'credential-change': visit('replaceCredentials'),
    firmware: visit('updateFirmware'),
  };
}
