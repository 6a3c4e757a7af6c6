import type { PremiseRun } from './premise-run.ts';
import { attempt, done, MechanismRefusal, refusalOf, type NoWanTask, type TaskOutcome } from './tasks.ts';

/**
 * Option 1 (the 2012 SDAG paper): no HHT and no pre-configured equipment; the existing meter stays, or a new
 * "dumb" or smart-ready meter is fitted. Such a meter records energy and keeps the tariff it was
 * built with: it has no HAN (so no IHD), no load switch under remote control, no keypad for codes
 * and no credentials. Everything else is a meter exchange.
 */
export class SmartReadyMeter {
  paymentMode: 'credit' | 'prepayment';

  constructor(
    readonly kind: 'dumb' | 'smart-ready',
    paymentMode: 'credit' | 'prepayment',
  ) {
    this.paymentMode = paymentMode;
  }

  pairHan(): never {
    throw new MechanismRefusal(`a ${this.kind} meter has no HAN: "The consumer would not be provided with an IHD"`);
  }
  commission(): never {
    throw new MechanismRefusal(`a ${this.kind} meter has nothing to commission with the DCC until it is replaced by a smart meter`);
  }
  setTariff(): never {
    throw new MechanismRefusal(`a ${this.kind} meter cannot be re-programmed: exchange it for one built with the new tariff`);
  }
  switchSupply(): never {
    throw new MechanismRefusal(`a ${this.kind} meter has no load switch it can be told to open or close`);
  }
  switchMode(): never {
    throw new MechanismRefusal(`a ${this.kind} prepayment meter cannot be switched to credit in the field`);
  }
  enterCode(): never {
    throw new MechanismRefusal(`a ${this.kind} meter has no keypad for UTRNs or codes`);
  }
  replaceCredentials(): never {
    throw new MechanismRefusal(`a ${this.kind} meter holds no security credentials`);
  }
  updateFirmware(): never {
    throw new MechanismRefusal(`a ${this.kind} meter takes no firmware updates in the field`);
  }
}

/** Option 1 at one premise: a smart-ready meter fitted; a tariff or payment-mode change is a meter exchange. */
export async function runSmartReadyMeter(ctx: PremiseRun): Promise<Record<NoWanTask, TaskOutcome>> {
  const a = ctx.a;
  const meter = new SmartReadyMeter('smart-ready', ctx.premise.paymentMode);
  const exchange = (why: string): TaskOutcome => done('run', 1, a.meterExchangeHours, `${why}: the meter is exchanged for one built for the change`, a.meterPence);
  return {
    installation: done('run', 1, a.installationHours, 'smart-ready meter fitted; no smart functions until a WAN and a smart meter', a.meterPence),
    'han-ihd-pairing': attempt(() => meter.pairHan()),
    commissioning: attempt(() => meter.commission()),
    'tariff-change': exchange(refusalOf(() => meter.setTariff())),
    'supply-enable': attempt(() => meter.switchSupply()),
    'supply-disable': attempt(() => meter.switchSupply()),
    'top-up': attempt(() => meter.enterCode()),
    'switch-to-credit': (() => {
      meter.paymentMode = 'prepayment';
      return exchange(refusalOf(() => meter.switchMode()));
    })(),
    'credential-change': attempt(() => meter.replaceCredentials()),
    firmware: attempt(() => meter.updateFirmware()),
  };
}
