import type { Eui } from '../../domain/eui.ts';
import { buildUseCaseFrame } from '../../gbcs/build-use-case.ts';
import { USE_CASES } from '../../gbcs/use-cases.ts';
import { verifyLocalResponse } from '../../gbcs/verify-local-response.ts';
import type { CommsHub } from '../devices/comms-hub.ts';
import type { Esme } from '../devices/esme.ts';
import { Fleet } from '../devices/fleet.ts';
import { FleetKeyStore } from '../devices/fleet-key-store.ts';
import { PpmidRelay, type RelayLink, type RelayPolicy } from '../devices/ppmid-relay.ts';

/** What the relay's way back (device → CH → PPMID → link → User) does to a response, measured. */
export interface ResponsePathReport {
  /** Genuine responses that came back over the relay and passed the User's check (signature or MAC, counter, sender). */
  readonly genuineVerified: { readonly attempts: number; readonly verified: number };
  /** One bit flipped in each byte of a genuine response on the link: how many the User's check refused. */
  readonly tampered: { readonly attempts: number; readonly refused: number };
  /** A genuine response handed back as the answer to a later command: refused by the counter. */
  readonly replayedAnswer: { readonly refused: boolean; readonly reason: string };
  /** The response withheld on the link: the command ran, the User has no proof it did. */
  readonly withheld: { readonly executed: boolean; readonly userKnows: boolean };
  readonly finding: string;
}

/**
 * Sends genuine commands through the simulated relay and plays the attacker on the way back: the
 * User checks each response as it checks one an HHT carried back (verifyLocalResponse), so the
 * report says what the return path can and cannot do to the User's knowledge of the outcome.
 */
export async function runResponsePath(opts: { seed?: string; link?: RelayLink; policy?: RelayPolicy } = {}): Promise<ResponsePathReport> {
  const fleet = new Fleet({ premises: 2, seed: opts.seed ?? 'relay-response-path', prepaymentRate: 1, gasRate: 0, noWanRate: 1 });
  const keys = new FleetKeyStore(fleet);
  const acb = fleet.parties.acb.eui;
  const premise = fleet.premise(0);
  const esmeEui = premise.devices.ESME!;
  const esme = fleet.device(esmeEui) as Esme;
  const relay = new PpmidRelay(fleet.device(premise.devices.CHF!) as CommsHub, opts.link ?? 'wifi', ...(opts.policy ? [opts.policy] : []));
  let at = new Date('2026-02-02T09:00:00Z').getTime();
  const now = () => new Date((at += 20 * 60_000));
  let counter = 0n;
  const send = async (useCase: 'ECS45' | 'ECS42') => {
    const c = ++counter;
    const o = relay.relay(await buildUseCaseFrame(keys, { useCase, originator: premise.supplier, device: esmeEui, counter: c, acb }), now());
    if (o.stage !== 'delivered' || !o.reply.accepted) throw new Error(`the relay did not deliver a genuine ${useCase}: ${JSON.stringify(o)}`);
    return {
      response: o.reply.response,
      want: { device: esmeEui, user: premise.supplier as Eui, counter: c, messageCode: USE_CASES[useCase]!.messageCode, critical: USE_CASES[useCase]!.critical },
    };
  };

  let verified = 0;
  const read = await send('ECS45');
  if ((await verifyLocalResponse(read.response, read.want, keys, acb)).ok) verified++;
  esme.loadSwitch = 'disabled';
  const enable = await send('ECS42');
  if ((await verifyLocalResponse(enable.response, enable.want, keys, acb)).ok) verified++;

  let refused = 0;
  for (const r of [read, enable]) {
    for (let i = 0; i < r.response.length; i++) {
      const t = Uint8Array.from(r.response);
      t[i]! ^= 0x01;
      if (!(await verifyLocalResponse(t, r.want, keys, acb)).ok) refused++;
    }
  }
  const tamperAttempts = read.response.length + enable.response.length;

  const later = await send('ECS45');
  const replay = await verifyLocalResponse(read.response, later.want, keys, acb);

  // Withheld: the meter's supply is switched on, and nothing reaches the User to say so.
  esme.loadSwitch = 'disabled';
  await send('ECS42');
  // Read back through a widened type: the assignment above narrows the property for tsc.
  const executed = (esme.loadSwitch as string) === 'enabled';

  return {
    genuineVerified: { attempts: 2, verified },
    tampered: { attempts: tamperAttempts, refused },
    replayedAnswer: { refused: !replay.ok, reason: replay.ok ? 'accepted' : replay.reason },
    withheld: { executed, userKnows: false },
    finding: `the way back cannot forge an outcome: ${refused} of ${tamperAttempts} tampered responses and a replayed answer were refused by the User's check; but it can hide one: a withheld response leaves the User not knowing whether its command ran (${executed ? 'it did' : 'it did not'}), until it reads the meter by another route`,
  };
}
