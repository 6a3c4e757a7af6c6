import { randomBytes } from 'node:crypto';
import { encodePreCommand, withSignature, wrapGeneralCiphering } from '../../../gbcs/build-frame.ts';
import { SIMPLE_CONTENT, USE_CASES } from '../../../gbcs/use-cases.ts';
import { Picocell } from '../picocell.ts';
import type { PremiseRun } from '../premise-run.ts';
import type { AttackAttempt } from './cloned-hht.ts';

/**
 * Option 3 attacked: someone brings their own GPRS cell to the premise, so the hub takes frames from
 * it as from the WAN. The frames still have to pass the meter: a disable-supply of the attacker's
 * making (no Supplier signature, a guessed ACB MAC), and a genuine one captured from the engineer's
 * earlier cell session and replayed.
 */
export async function runRoguePicocell(target: PremiseRun): Promise<AttackAttempt[]> {
  const now = () => target.clock.now();
  const genuineCell = new Picocell(target.hub, { ...target.a, picocellFailureRate: 0 }, target.rng);
  genuineCell.setUp();
  const captured = await target.frame('ECS43');
  const enable = await target.frame('ECS42');
  const first = genuineCell.deliver(captured, now());
  genuineCell.deliver(enable, now());
  genuineCell.tearDown();
  const rogue = new Picocell(target.hub, { ...target.a, picocellFailureRate: 0 }, target.rng);
  rogue.setUp();
  const c = target.nextCommandCounter() + 1000n;
  const pre = encodePreCommand(
    { cra: 'command', originatorCounter: c, originator: target.supplier, recipient: target.esme.eui, dateTime: null, messageCode: USE_CASES.ECS43!.messageCode },
    SIMPLE_CONTENT.ECS43!(c),
  );
  const forged = wrapGeneralCiphering(withSignature(pre, null), randomBytes(12));
  const out = (attempt: string, r: ReturnType<Picocell['deliver']>): AttackAttempt => ({
    attempt,
    accepted: r.accepted,
    outcome: r.accepted ? `executed; load switch ${target.esme.loadSwitch}` : `refused by the meter: ${r.reason}`,
  });
  return [
    out("the engineer's cell: a genuine ECS43 (captured on the way)", first),
    out("the attacker's cell: an ECS43 of the attacker's making", rogue.deliver(forged, now())),
    out("the attacker's cell: the captured genuine ECS43 replayed", rogue.deliver(captured, now())),
  ];
}
