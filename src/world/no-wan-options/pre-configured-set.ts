import type { PremiseRun } from './premise-run.ts';
import { attempt, done, MechanismRefusal, refusalOf, unsupported, type NoWanTask, type TaskOutcome } from './tasks.ts';

/**
 * Option 2 (the 2012 SDAG paper): the whole set (hub, meters, IHD, optional PPMID) arrives with its HAN
 * formed at the factory and is installed as one. Without a WAN or an HHT nothing can reach it
 * afterwards but the consumer's keypad (a SMETS2 meter accepts UTRNs offline); a failed part or a
 * tariff change means a new set.
 */
export class PreConfiguredSet {
  constructor(readonly ctx: PremiseRun) {}

  /** The HAN the factory formed: the meters (and the PPMID) in the hub's device log. */
  han(): string[] {
    const members = [this.ctx.esme.eui, ...(this.ctx.ppmid ? [this.ctx.ppmid.eui] : [])];
    const missing = members.filter((e) => !this.ctx.hub.deviceLog.has(e));
    if (missing.length) throw new MechanismRefusal(`${missing.join(', ')} not in the hub's device log: the set was not configured`);
    return members;
  }

  /** Nothing but the keypad reaches the set until the hub finds a WAN. */
  remote(what: string): never {
    throw new MechanismRefusal(`${what}: no WAN and no HHT reach a pre-configured set; only its keypad works offline`);
  }
}

/** Option 2 at one premise: install the set, with its chance of a failed part; changes replace the set. */
export async function runPreConfiguredSet(ctx: PremiseRun): Promise<Record<NoWanTask, TaskOutcome>> {
  const a = ctx.a;
  const set = new PreConfiguredSet(ctx);
  const replaceSet = (why: string) => done('run', 1, a.setReplacementHours, `${why}: the entire set is replaced`, a.setPence);
  // A part that fails at installation: "the entire SME would need to be replaced".
  const partFailed = ctx.rng.chance(a.setComponentFailureRate);
  const installation = partFailed
    ? done('run', 2, a.installationHours + a.setReplacementHours, 'a part failed at installation: the entire set was replaced on a second visit', 2 * a.setPence)
    : done('run', 1, a.installationHours, 'pre-configured set fitted', a.setPence);
  return {
    installation,
    'han-ihd-pairing': attempt(() => done('run', 0, 0, `formed at the factory: ${set.han().length} HAN devices in the hub's device log (the IHD is not simulated)`)),
    commissioning: a.commissioningNeedsWan
      ? unsupported('assumption', 'commissioningNeedsWan: waits until the hub finds a WAN')
      : done('assumption', 0, 0, 'commissioningNeedsWan is false'),
    'tariff-change': replaceSet(refusalOf(() => set.remote('tariff change'))),
    'supply-enable': attempt(() => set.remote('enable supply')),
    'supply-disable': attempt(() => set.remote('disable supply')),
    'top-up': await ctx.keypadTopUp(),
    'switch-to-credit': replaceSet(refusalOf(() => set.remote('switch to credit mode'))),
    'credential-change': attempt(() => set.remote('credential change')),
    firmware: attempt(() => set.remote('firmware update')),
  };
}
