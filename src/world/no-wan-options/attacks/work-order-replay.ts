import { LocalPortError } from '../../devices/local-port.ts';
import { installedPort, PassThroughHht, type CarriedOrder } from '../pass-through-hht.ts';
import type { PremiseRun } from '../premise-run.ts';
import type { AttackAttempt } from './cloned-hht.ts';

/**
 * A captured pass-through work order (its frames and signed pairing, copied off the HHT or the
 * wire) replayed elsewhere and later. Every refusal is the meter's own GBCS check (recipient,
 * counter, signer, MAC) or its check of the signed pairing (HHT, device, not-after, signature);
 * responses carried back are verified as the upload verifies them.
 */
export async function runWorkOrderReplay(target: PremiseRun, neighbour: PremiseRun): Promise<AttackAttempt[]> {
  const a = target.a;
  const hht = new PassThroughHht(target);
  const port = installedPort(target);
  const order = await hht.order(['ECS43', 'ECS42']);
  const out: AttackAttempt[] = [];
  const at = (ms: number) => new Date(target.clock.now().getTime() + ms);
  const pairAndSend = (attempt: string, o: CarriedOrder, p: ReturnType<typeof installedPort>, when: Date, frames = o.commands.map((c) => c.frame)) => {
    try {
      p.openJoinWindow(when);
      p.pair(o.hht, when, o.pairing);
      const replies = frames.map((f) => p.send(o.hht, f, when));
      const ok = replies.filter((r) => r.accepted).length;
      out.push({
        attempt,
        accepted: ok > 0,
        outcome: replies.map((r) => (r.accepted ? 'executed' : `refused by the meter: ${r.reason} (${r.alertCode})`)).join('; '),
      });
      return replies;
    } catch (e) {
      if (!(e instanceof LocalPortError)) throw e;
      out.push({ attempt, accepted: false, outcome: `pairing refused: ${e.message}` });
      return [];
    }
  };
  const genuine = pairAndSend('the genuine visit (disable, then enable supply)', order, port, at(0));
  const verified = await hht.verify(order, genuine);
  out.push({
    attempt: 'its responses, verified as the upload verifies them',
    accepted: verified.every((v) => v.ok),
    outcome: verified.map((v) => (v.ok ? 'verified' : v.reason)).join('; '),
  });
  pairAndSend('the captured order replayed at the same meter an hour later', order, port, at(3_600_000));
  const expired = at((a.workOrderLifetimeHours + 1) * 3_600_000);
  pairAndSend('replayed at the same meter after the order expired', order, port, expired);
  // The port still lists the HHT it paired before expiry (a port session is the device's RAM): the counter is what stops the frames then.
  const late = order.commands.map((c) => port.send(order.hht, c.frame, expired));
  out.push({
    attempt: 'sent after expiry over the pairing made before it',
    accepted: late.some((r) => r.accepted),
    outcome: late.map((r) => (r.accepted ? 'executed' : `the port took it; refused by the meter: ${r.reason} (${r.alertCode})`)).join('; '),
  });
  const theirs = installedPort(neighbour);
  pairAndSend("replayed at the neighbour's meter", order, theirs, at(60_000));
  // With a genuine pairing for the neighbour's meter (its own order, stolen too), the captured frames still fail there.
  const theirOrder = await new PassThroughHht(neighbour).order(['ECS45']);
  pairAndSend(
    "the captured frames at the neighbour's meter, paired with the neighbour's own stolen order",
    theirOrder,
    theirs,
    at(120_000),
    order.commands.map((c) => c.frame),
  );
  // A response to the replay carried back as if to the genuine command: the counter and signer are under the check.
  const replayReply = theirs.send(theirOrder.hht, theirOrder.commands[0]!.frame, at(180_000));
  const asGenuine = await hht.verify({ ...order, commands: [order.commands[0]!] }, [replayReply]);
  out.push({
    attempt: "the neighbour's response uploaded as the answer to the captured order's ECS43",
    accepted: asGenuine[0]!.ok,
    outcome: asGenuine[0]!.ok ? 'verified' : `rejected: ${asGenuine[0]!.reason}`,
  });
  return out;
}
