import { randomBytes } from 'node:crypto';
import type { Eui } from '../../../domain/eui.ts';
import { encodePreCommand, signedRegion, withSignature, wrapGeneralCiphering } from '../../../gbcs/build-frame.ts';
import { signRaw } from '../../../gbcs/signature.ts';
import { SIMPLE_CONTENT, USE_CASES } from '../../../gbcs/use-cases.ts';
import { deriveKeyPair } from '../../devices/derived-keys.ts';
import { LocalPortError } from '../../devices/local-port.ts';
import { installedPort, PassThroughHht, STUDY_HHT } from '../pass-through-hht.ts';
import type { PremiseRun } from '../premise-run.ts';
import { RestrictedHhtInterface } from '../restricted-hht.ts';
import { MechanismRefusal } from '../tasks.ts';

export interface AttackAttempt {
  readonly attempt: string;
  readonly accepted: boolean;
  /** What stopped it, or what it did. */
  readonly outcome: string;
}

const tryIt = (attempt: string, step: () => string): AttackAttempt => {
  try {
    return { attempt, accepted: true, outcome: step() };
  } catch (e) {
    if (e instanceof MechanismRefusal || e instanceof LocalPortError) return { attempt, accepted: false, outcome: e.message };
    throw e;
  }
};

/**
 * A cloned or stolen HHT. Against the restricted interface (option 8) the attacker presents the
 * Supplier's HHT identity and sends unsigned menu commands; against pass-through delivery (option 7)
 * the attacker holds a stolen HHT with a valid order for a read, and sends a disable-supply of its
 * own making (no Supplier signature, a guessed MAC; or signed with the attacker's key).
 */
export async function runClonedHht(restrictedTarget: PremiseRun, passThroughTarget: PremiseRun): Promise<{ restricted: AttackAttempt[]; passThrough: AttackAttempt[] }> {
  const iface = new RestrictedHhtInterface(restrictedTarget.esme);
  iface.recognise(STUDY_HHT);
  const stranger = 'F0F0F0F0F0F0BAD2' as Eui;
  const restricted = [
    tryIt(`unknown HHT ${stranger}: disableSupply`, () => iface.command(stranger, 'disableSupply')),
    tryIt(`cloned identity ${STUDY_HHT}: disableSupply (unsigned)`, () => {
      iface.command(STUDY_HHT, 'disableSupply');
      if (restrictedTarget.esme.loadSwitch !== 'disabled') throw new Error('simulation: the disable did not take');
      return "supply disabled: the meter cannot tell a clone from the Supplier's HHT";
    }),
    tryIt(`cloned identity: armSupply then enableSupply`, () => `${iface.command(STUDY_HHT, 'armSupply')}; then ${iface.command(STUDY_HHT, 'enableSupply')}`),
    tryIt('cloned identity: replaceCredentials', () => iface.command(STUDY_HHT, 'replaceCredentials')),
  ];

  const ctx = passThroughTarget;
  const hht = new PassThroughHht(ctx);
  const port = installedPort(ctx);
  const stolen = await hht.order(['ECS45']);
  const now = ctx.clock.now();
  port.openJoinWindow(now);
  port.pair(stolen.hht, now, stolen.pairing);
  const forged = (signed: boolean) => {
    const c = ctx.nextCommandCounter() + 1000n;
    const pre = encodePreCommand(
      { cra: 'command', originatorCounter: c, originator: ctx.supplier, recipient: ctx.esme.eui, dateTime: null, messageCode: USE_CASES.ECS43!.messageCode },
      SIMPLE_CONTENT.ECS43!(c),
    );
    return wrapGeneralCiphering(withSignature(pre, signed ? signRaw(deriveKeyPair('attacker', 'ds').privateKey, signedRegion(pre)) : null), randomBytes(12));
  };
  const send = (attempt: string, frame: Uint8Array): AttackAttempt => {
    const r = port.send(stolen.hht, frame, ctx.clock.now());
    return { attempt, accepted: r.accepted, outcome: r.accepted ? `executed; load switch ${ctx.esme.loadSwitch}` : `refused by the meter: ${r.reason} (${r.alertCode})` };
  };
  const passThrough = [
    send('stolen HHT, paired by its order: unsigned ECS43 with a guessed MAC', forged(false)),
    send("stolen HHT: ECS43 signed with the attacker's key", forged(true)),
    send("stolen HHT: the order's own ECS45 (what the Supplier ordered)", stolen.commands[0]!.frame),
    tryIt(`cloned identity ${stranger} with the stolen pairing`, () => {
      port.openJoinWindow(ctx.clock.now());
      port.pair(stranger, ctx.clock.now(), stolen.pairing);
      return 'paired';
    }),
  ];
  return { restricted, passThrough };
}
