import { ValidationError } from '../../domain/errors.ts';
import { randomBytes } from 'node:crypto';
import type { Eui } from '../../domain/eui.ts';
import { euiToBytes } from '../../domain/eui.ts';
import { encodePreCommand, signedRegion, withSignature, wrapGeneralCiphering } from '../../gbcs/build-frame.ts';
import { buildUseCaseFrame } from '../../gbcs/build-use-case.ts';
import { decodeFrame } from '../../gbcs/decode-frame.ts';
import { signPairing } from '../../gbcs/pairing-authorisation.ts';
import { SIMPLE_CONTENT, USE_CASES } from '../../gbcs/use-cases.ts';
import { signRaw } from '../../gbcs/signature.ts';
import type { CommsHub } from '../devices/comms-hub.ts';
import { deriveKeyPair } from '../devices/derived-keys.ts';
import type { Esme } from '../devices/esme.ts';
import { Fleet } from '../devices/fleet.ts';
import { FleetKeyStore } from '../devices/fleet-key-store.ts';
import { LocalPort } from '../devices/local-port.ts';
import { DEFAULT_RELAY_POLICY, linkHoursPerYear, PpmidRelay, RELAY_LINK_USE, type RelayLink, type RelayOutcome, type RelayPolicy } from '../devices/ppmid-relay.ts';
import type { DeviceReply } from '../devices/simulated-device.ts';
import { SimClock } from '../devices/sim-clock.ts';

export interface RouteTally {
  readonly attempts: number;
  readonly executed: number;
  /** Where each attempt stopped: hub allow-list, device log, rate limit, or the device's own check. */
  readonly stoppedAt: Readonly<Record<string, number>>;
  /** How long the legitimate command was held up, in seconds. */
  readonly legitimateDelaySeconds: number;
  readonly achieved: string;
}

export interface AttackResult {
  readonly attack: string;
  readonly description: string;
  readonly relay: RouteTally;
  /** The same attack on HHT local delivery, by someone holding a stolen, still valid order. */
  readonly hht: RouteTally | { readonly notApplicable: string };
}

export interface RelayRiskReport {
  readonly link: RelayLink;
  readonly policy: { readonly allowed: string[]; readonly perDevicePerHour: number };
  readonly attacks: readonly AttackResult[];
  /** Hours a year an attacker can reach the device's command path without being at the premise. */
  readonly exposure: { readonly relayHoursPerYear: number; readonly hhtHoursPerYear: number; readonly hhtVisitsPerYear: number };
  readonly findings: readonly string[];
}

const MINUTE = 60_000;
const name = (code: number) => Object.entries(USE_CASES).find(([, s]) => s.messageCode === code)?.[0] ?? `0x${code.toString(16)}`;

class Tally {
  attempts = 0;
  executed = 0;
  delay = 0;
  readonly stopped: Record<string, number> = {};
  add(where: string): void {
    this.attempts++;
    if (where === 'executed') this.executed++;
    else this.stopped[where] = (this.stopped[where] ?? 0) + 1;
  }
  relay(o: RelayOutcome): void {
    if (o.stage === 'delivered') this.device(o.reply);
    else if (o.stage === 'rate-limited') this.add('hub: rate limit');
    else this.add(/allow-list/.test(o.reason) ? 'hub: allow-list' : /device log/.test(o.reason) ? 'hub: device log' : 'hub: malformed');
  }
  device(r: DeviceReply): void {
    this.add(r.accepted ? 'executed' : `device: ${r.reason}`);
  }
  result(achieved?: string): RouteTally {
    return {
      attempts: this.attempts,
      executed: this.executed,
      stoppedAt: this.stopped,
      legitimateDelaySeconds: Math.round(this.delay / 1000),
      achieved: achieved ?? (this.executed ? `${this.executed} commands executed` : this.delay ? `delay of ${Math.round(this.delay / 1000)} s, nothing executed` : 'nothing'),
    };
  }
}

/**
 * Plays the attacker on the PPMID link (Wi-Fi, USB or NFC) of a simulated prepayment premise: it
 * sees every frame the User sends, and may replay, forge, tamper with, re-target, flood, withhold
 * and inject. Each attack is run for real through the relay, the CH and the target device, and the
 * same attack against HHT local delivery, so that the report states measured outcomes, not hopes.
 */
export async function runRelayAttackSuite(
  opts: { seed?: string; link?: RelayLink; floodHours?: number; hhtVisitsPerYear?: number; /** The hub's forwarding rule (default the allow-list). */ policy?: RelayPolicy } = {},
): Promise<RelayRiskReport> {
  const fleet = new Fleet({ premises: 4, seed: opts.seed ?? 'relay-attacks', prepaymentRate: 1, gasRate: 0, noWanRate: 1 });
  const keys = new FleetKeyStore(fleet);
  const acb = fleet.parties.acb.eui;
  const victim = fleet.premise(0);
  const neighbour = fleet.premise(1);
  const esmeEui = victim.devices.ESME!;
  const esme = fleet.device(esmeEui) as Esme;
  const hub = fleet.device(victim.devices.CHF!) as CommsHub;
  const link = opts.link ?? 'wifi';
  const policy = opts.policy ?? DEFAULT_RELAY_POLICY;
  const relay = new PpmidRelay(hub, link, policy);
  const clock = new SimClock(new Date('2026-01-05T08:00:00Z'));
  let counter = 0n;
  const legit = (useCase: string, device: Eui = esmeEui, supplier: Eui = victim.supplier) =>
    buildUseCaseFrame(keys, { useCase, originator: supplier, device, counter: ++counter, acb });
  // The HHT route for comparison: a stolen order gives the thief a valid pairing until expiry.
  const hht = 'F0F0F0F0F0F0BAD1' as Eui;
  const port = new LocalPort(esme, fleet.options.seed, { requirePairingAuthorisation: true, returnedFault: false });
  port.openJoinWindow(clock.now());
  port.pair(hht, clock.now(), await signPairing(keys, victim.supplier, hht, esmeEui, new Date(clock.now().getTime() + 72 * 60 * MINUTE)));
  const attacks: AttackResult[] = [];
  const step = () => clock.advance(15 * MINUTE);

  {
    // Replay a captured top-up and a captured enable-supply.
    const topUp = await buildUseCaseFrame(keys, {
      useCase: 'CS01a',
      originator: victim.supplier,
      device: esmeEui,
      counter: (counter = 1n << 32n),
      acb,
      value: 10,
      valueClass: 'pounds',
    });
    const enable = await legit('ECS42');
    relay.relay(topUp, step());
    relay.relay(enable, step());
    const r = new Tally();
    const h = new Tally();
    for (let i = 0; i < 10; i++) {
      for (const f of [topUp, enable]) {
        r.relay(relay.relay(f, step()));
        h.device(esme.receive(f, clock.now()));
      }
    }
    attacks.push({ attack: 'replay', description: 'resend a captured top-up (CS01a) and enable-supply (ECS42) 10 times each', relay: r.result(), hht: h.result() });
  }

  {
    // Forge commands under the Supplier's EUI with the attacker's own keys.
    const attacker = deriveKeyPair('attacker', 'ds');
    const r = new Tally();
    const h = new Tally();
    for (let i = 0; i < 10; i++) {
      for (const uc of ['ECS42', 'ECS43', 'CS01a'] as const) {
        const c = ++counter + 1000n;
        const pre = encodePreCommand(
          { cra: 'command', originatorCounter: c, originator: victim.supplier, recipient: esmeEui, dateTime: null, messageCode: USE_CASES[uc]!.messageCode },
          SIMPLE_CONTENT[uc]!(c, '12345678901234567890'),
        );
        const apdu = withSignature(pre, USE_CASES[uc]!.critical ? signRaw(attacker.privateKey, signedRegion(pre)) : null);
        const f = wrapGeneralCiphering(apdu, randomBytes(12));
        r.relay(relay.relay(f, step()));
        h.device(esme.receive(f, clock.now()));
      }
    }
    attacks.push({
      attack: 'forgery',
      description: "commands under the Supplier's EUI, signed with the attacker's key and a guessed MAC (ECS42, ECS43, CS01a)",
      relay: r.result(),
      hht: h.result(),
    });
  }

  {
    // Tamper with a genuine frame in flight: every byte of the content in turn.
    const f = await legit('ECS42');
    const content = decodeFrame(f).apdu.content;
    const start = Buffer.from(f).indexOf(Buffer.from(content));
    const r = new Tally();
    const h = new Tally();
    for (let i = 0; i < content.length; i++) {
      const t = Uint8Array.from(f);
      t[start + i]! ^= 0x01;
      r.relay(relay.relay(t, step()));
      h.device(esme.receive(t, clock.now()));
    }
    attacks.push({ attack: 'tampering', description: `flip one bit in each of the ${content.length} content bytes of a genuine ECS42`, relay: r.result(), hht: h.result() });
  }

  {
    // Re-target: a neighbour's genuine frame through this PPMID, and this premise's frame re-addressed.
    const theirs = await legit('ECS42', neighbour.devices.ESME!, neighbour.supplier);
    const ours = Uint8Array.from(await legit('ECS42'));
    const at = Buffer.from(ours).indexOf(Buffer.from(euiToBytes(esmeEui)));
    ours.set(euiToBytes(neighbour.devices.ESME!), at);
    const neighbourEsme = fleet.device(neighbour.devices.ESME!) as Esme;
    const neighbourRelay = new PpmidRelay(fleet.device(neighbour.devices.CHF!) as CommsHub, link, policy);
    const r = new Tally();
    const h = new Tally();
    r.relay(relay.relay(theirs, step()));
    r.relay(neighbourRelay.relay(ours, step()));
    h.device(esme.receive(theirs, clock.now()));
    h.device(neighbourEsme.receive(ours, clock.now()));
    attacks.push({
      attack: 'wrong target',
      description: "a neighbour's genuine command sent through this PPMID; this premise's command re-addressed to the neighbour",
      relay: r.result(),
      hht: h.result(),
    });
  }

  {
    // Flood: keep the per-device window full; the User's genuine read waits until the flood stops.
    const hours = opts.floodHours ?? 6;
    if (!Number.isInteger(hours) || hours < 1 || hours > 48) throw new ValidationError('floodHours', 'flood-hours', 'floodHours is a whole number from 1 to 48');
    const junk = await legit('ECS45');
    relay.relay(junk, step());
    const r = new Tally();
    const started = clock.now().getTime();
    let delivered: number | null = null;
    const genuine = await legit('ECS45');
    while (delivered === null) {
      const now = clock.advance(MINUTE).getTime();
      if (now - started < hours * 60 * MINUTE) for (let i = 0; i < 10; i++) r.relay(relay.relay(junk, clock.now()));
      if ((now - started) % (10 * MINUTE) === 0) {
        const o = relay.relay(genuine, clock.now());
        if (o.stage === 'delivered') delivered = now;
        // A hub that forwards no reads would hold the User's read up for ever: no flood to measure.
        else if (o.stage === 'hub-refused') throw new ValidationError('policy', 'relay-forwards-reads', `the flood needs a hub that forwards ECS45 reads: ${o.reason}`);
      }
    }
    r.delay = delivered - started;
    const h = new Tally();
    h.device(esme.receive(await legit('ECS45'), clock.now()));
    attacks.push({
      attack: 'flooding',
      description: `10 frames a minute for ${hours} h at the victim's meter; the User retries a genuine read every 10 minutes`,
      relay: r.result(`no command executed; the genuine read was held up ${Math.round(r.delay / 60_000)} minutes, as long as the flood lasted`),
      hht: { notApplicable: 'the port has no shared rate limit: a flood needs the attacker at the premise during the 60-minute join window, and it does not delay the engineer' },
    });
  }

  {
    // Withhold a genuine enable-supply and release it later; and after a newer command.
    const held = await legit('ECS42');
    clock.advance(2 * 60 * MINUTE);
    const r = new Tally();
    r.relay(relay.relay(held, clock.now()));
    r.delay = 2 * 60 * MINUTE;
    const held2 = await legit('ECS45');
    const newer = await legit('ECS45');
    relay.relay(newer, step());
    r.relay(relay.relay(held2, step()));
    attacks.push({
      attack: 'withhold and release',
      description: 'drop a genuine ECS42 and deliver it 2 h later; hold a genuine read back until a newer command has been delivered',
      relay: r.result('delay only: the late ECS42 did what the User asked, 2 h late; a held command older than one delivered since is refused'),
      hht: { notApplicable: 'an engineer carries the order; a delay is the visit itself' },
    });
  }

  {
    // Withhold the User's genuine disconnection and release it when the attacker chooses.
    const held = await legit('ECS43');
    clock.advance(2 * 60 * MINUTE);
    const r = new Tally();
    const o = relay.relay(held, clock.now());
    r.relay(o);
    const ran = o.stage === 'delivered' && o.reply.accepted;
    if (ran) r.delay = 2 * 60 * MINUTE;
    attacks.push({
      attack: 'withhold a disconnection',
      description: "drop the User's genuine ECS43 (disable supply) and deliver it 2 h later, at a moment of the attacker's choosing",
      relay: r.result(
        ran
          ? "the consumer's supply was disabled 2 h late, when the attacker chose: the hub forwards disconnections"
          : 'refused at the hub: a disconnection never takes this route, so there is none to time',
      ),
      hht: { notApplicable: 'an engineer carries the order; a delay is the visit itself' },
    });
    if (ran) esme.loadSwitch = 'enabled';
  }

  {
    // Genuine commands the allow-list keeps off the relay.
    const r = new Tally();
    for (const uc of ['ECS43', 'ECS44', 'CS02bSupplierBySupplier'] as const) {
      const f =
        uc === 'CS02bSupplierBySupplier'
          ? wrapGeneralCiphering(
              withSignature(
                encodePreCommand(
                  { cra: 'command', originatorCounter: ++counter, originator: victim.supplier, recipient: esmeEui, dateTime: null, messageCode: USE_CASES[uc]!.messageCode },
                  Uint8Array.of(0),
                ),
                null,
              ),
              randomBytes(12),
            )
          : await legit(uc);
      r.relay(relay.relay(f, step()));
    }
    attacks.push({
      attack: 'outside the allow-list',
      description: 'genuine disable-supply (ECS43), arm (ECS44) and a credential change (CS02b) offered to the relay',
      relay: r.result(),
      hht: { notApplicable: 'an HHT carries only the commands of its order, each built for it by the DCC' },
    });
  }

  const visits = opts.hhtVisitsPerYear ?? 2;
  // A withheld command that is released still is the User's own: not an attacker's execution.
  const executed = attacks
    .filter((a) => a.attack !== 'withhold and release' && a.attack !== 'withhold a disconnection' && a.attack !== 'outside the allow-list')
    .reduce((n, a) => n + a.relay.executed, 0);
  const flood = attacks.find((a) => a.attack === 'flooding')!.relay;
  const use = RELAY_LINK_USE[link];
  const outside = use.reachableFromOutside ? linkHoursPerYear(use) : 0;
  return {
    link,
    policy: { allowed: [...policy.allowed].map(name), perDevicePerHour: policy.perDevicePerHour },
    attacks,
    exposure: { relayHoursPerYear: outside, hhtHoursPerYear: visits, hhtVisitsPerYear: visits },
    findings: [
      `commands of the attacker's making executed through the relay: ${executed} (replay, forgery, tampering and re-targeting are stopped by the device's own MAC, signature, recipient and counter checks, as on the HHT route)`,
      `denial of service: flooding held a genuine command up ${Math.round(flood.legitimateDelaySeconds / 60)} minutes, for the whole flood; the per-device rate limit cannot tell the attacker's frames from the User's, because the CH cannot check the ACB MAC`,
      use.reachableFromOutside
        ? `exposure: the relay link is reachable ${outside} h a year from outside the premise (${link}); HHT local delivery needs someone at the meter during a join window, about ${visits} h a year at ${visits} visits`
        : `exposure: nobody outside the premise reaches the ${link} link; it is up about ${linkHoursPerYear(use)} h a year, while the consumer connects it (a meterops assumption), so an attacker must be inside with the consumer, as for HHT delivery (about ${visits} h a year at ${visits} visits)`,
      policy === DEFAULT_RELAY_POLICY
        ? 'the allow-list keeps disconnection, arming and credential changes off the relay entirely'
        : `with this forwarding rule the hub passed ${attacks.find((a) => a.attack === 'outside the allow-list')!.relay.executed} of 3 genuine disconnection, arming and credential commands, and a withheld disconnection ran when the attacker released it`,
    ],
  };
}
