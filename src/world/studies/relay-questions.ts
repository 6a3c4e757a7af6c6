import { z } from 'zod';
import { ValidationError } from '../../domain/errors.ts';
import { Fleet } from '../devices/fleet.ts';
import { FORWARD_ANYTHING, linkHoursPerYear, NO_RELAY, PpmidRelay, RELAY_LINK_USE, type RelayLink } from '../devices/ppmid-relay.ts';
import { SeededRandom } from '../devices/seeded-random.ts';
import type { CommsHub } from '../devices/comms-hub.ts';
import { buildUseCaseFrame } from '../../gbcs/build-use-case.ts';
import { FleetKeyStore } from '../devices/fleet-key-store.ts';
import { runRelayAttackSuite, type RelayRiskReport } from './relay-attack-suite.ts';
import { runResponsePath, type ResponsePathReport } from './relay-response-path.ts';
import { LATENCY_MODEL } from './route-latency.ts';

const HOURS_A_YEAR = 365 * 24;
const LINKS: readonly RelayLink[] = ['wifi', 'usb', 'nfc'];

/**
 * What the answers rest on where no run can say: each a meterops assumption, stated, and
 * configurable (`meterops simulate relay-questions --assumptions JSON`). None is from the papers.
 */
const ChannelSchema = z
  .object({
    /** An attacker outside the premise can reach the link (radio range through the walls). */
    reachableFromOutside: z.boolean(),
    /** The link is up all year (Wi-Fi) rather than only while someone connects it (a cable, a phone held to it). */
    alwaysOn: z.boolean(),
    /** When not always on: how often the consumer connects it, and for how long. */
    sessionsPerYear: z.number().int().min(1).max(8_760),
    minutesPerSession: z.number().positive().max(600),
  })
  .strict();

export const RelayAssumptionsSchema = z
  .object({
    channels: z.object({ wifi: ChannelSchema, usb: ChannelSchema, nfc: ChannelSchema }).strict(),
    firmware: z
      .object({
        /** Premises of the simulated fleet whose hubs need the relay function. */
        premises: z.number().int().min(100).max(1_000_000),
        /** Hubs the campaign offers the image to per day. */
        hubsPerDay: z.number().int().min(1).max(1_000_000),
        /** Chance one over-the-air attempt completes on a covered hub. */
        coveredSuccess: z.number().min(0).max(1),
        /** Chance on an intermittent hub (default: 1 minus the latency model's intermittent timeout share). */
        intermittentSuccess: z.number().min(0).max(1),
        maxAttempts: z.number().int().min(1).max(50),
        daysBetweenAttempts: z.number().int().min(1).max(60),
      })
      .strict(),
    /** User commands per premise a year on the relay, for the delivery-delay run. */
    commandsPerYear: z.number().int().min(1).max(10_000),
  })
  .strict();

export type RelayAssumptions = z.infer<typeof RelayAssumptionsSchema>;

export const DEFAULT_RELAY_ASSUMPTIONS: RelayAssumptions = {
  channels: { wifi: { ...RELAY_LINK_USE.wifi }, usb: { ...RELAY_LINK_USE.usb }, nfc: { ...RELAY_LINK_USE.nfc } },
  firmware: {
    premises: 10_000,
    hubsPerDay: 1_000,
    coveredSuccess: 0.98,
    intermittentSuccess: 1 - LATENCY_MODEL.intermittentFailure,
    maxAttempts: 5,
    daysBetweenAttempts: 1,
  },
  commandsPerYear: 24,
};

/** The defaults with the caller's JSON laid over them, validated; a bad value names its path. */
export function relayAssumptions(json?: string): RelayAssumptions {
  if (json === undefined) return DEFAULT_RELAY_ASSUMPTIONS;
  let over: unknown;
  try {
    over = JSON.parse(json);
  } catch (e) {
    throw new ValidationError('assumptions', 'json', `--assumptions is not JSON: ${(e as Error).message}`);
  }
  const merged = merge(DEFAULT_RELAY_ASSUMPTIONS, over);
  const r = RelayAssumptionsSchema.safeParse(merged);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new ValidationError('assumptions', 'relay-assumptions', `assumptions.${i.path.join('.')}: ${i.message}`);
  }
  return r.data;
}

function merge(base: unknown, over: unknown): unknown {
  if (over === null || typeof over !== 'object' || Array.isArray(over) || base === null || typeof base !== 'object') return over;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) out[k] = merge((base as Record<string, unknown>)[k], v);
  return out;
}

export interface ChannelAnswer {
  readonly link: RelayLink;
  readonly consumerPresent: boolean;
  /** Hours a year the link is up at all, and of those, reachable by someone outside the premise. */
  readonly hoursUpPerYear: number;
  readonly exposureFromOutsideHoursPerYear: number;
  /** The attack suite over this link, if an outsider can reach it; otherwise why not. */
  readonly outsideAttacks: { readonly executed: number; readonly floodDelayMinutes: number } | { readonly notPossible: string };
  /** A year of the User's commands at random times, each waiting for the link to be up: hours. */
  readonly deliveryDelay: { readonly commands: number; readonly p50Hours: number; readonly p95Hours: number };
}

/** Delivery waits for the next session; sessions are evenly spaced through the year. */
export function deliveryDelayRun(channel: RelayAssumptions['channels']['wifi'], commands: number, seed: string): ChannelAnswer['deliveryDelay'] {
  if (channel.alwaysOn) return { commands, p50Hours: 0, p95Hours: 0 };
  const rng = new SeededRandom(`${seed}/delivery`);
  const interval = HOURS_A_YEAR / channel.sessionsPerYear;
  const open = channel.minutesPerSession / 60;
  const waits = Array.from({ length: commands }, () => {
    const t = rng.next() * HOURS_A_YEAR;
    const into = t % interval;
    return into < open ? 0 : interval - into;
  }).sort((a, b) => a - b);
  const q = (p: number) => Math.round(waits[Math.min(waits.length - 1, Math.floor(p * waits.length))]! * 10) / 10;
  return { commands, p50Hours: q(0.5), p95Hours: q(0.95) };
}

export interface FirmwareAnswer {
  readonly hubs: number;
  readonly byWan: { readonly covered: number; readonly intermittent: number; readonly none: number };
  readonly upgraded: number;
  /** Reachable hubs still not upgraded after every attempt, by WAN state. */
  readonly failed: { readonly covered: number; readonly intermittent: number };
  /** Hubs with no WAN cannot take an over-the-air image: each needs a visit. */
  readonly needVisit: number;
  readonly attempts: number;
  readonly daysToLastUpgrade: number;
  /** Of the hubs the relay is for (intermittent WAN), the share upgraded by the campaign. */
  readonly intermittentUpgradedShare: number;
}

/** The CH firmware campaign the relay needs, over a generated fleet's hubs. */
export function firmwareRolloutRun(a: RelayAssumptions['firmware'], seed: string): FirmwareAnswer {
  const fleet = new Fleet({ premises: a.premises, seed: `${seed}/firmware` });
  const rng = new SeededRandom(`${seed}/firmware-attempts`);
  const byWan = { covered: 0, intermittent: 0, none: 0 };
  const failed = { covered: 0, intermittent: 0 };
  let upgraded = 0;
  let attempts = 0;
  let lastDay = 0;
  let reachable = 0;
  for (let p = 0; p < a.premises; p++) {
    const wan = fleet.premise(p).wan;
    byWan[wan]++;
    if (wan === 'none') continue;
    const firstDay = Math.floor(reachable++ / a.hubsPerDay);
    const chance = wan === 'covered' ? a.coveredSuccess : a.intermittentSuccess;
    let done = false;
    for (let k = 0; k < a.maxAttempts && !done; k++) {
      attempts++;
      if (rng.chance(chance)) {
        done = true;
        upgraded++;
        lastDay = Math.max(lastDay, firstDay + k * a.daysBetweenAttempts + 1);
      }
    }
    if (!done) failed[wan]++;
  }
  return {
    hubs: a.premises,
    byWan,
    upgraded,
    failed,
    needVisit: byWan.none,
    attempts,
    daysToLastUpgrade: lastDay,
    intermittentUpgradedShare: byWan.intermittent ? Math.round(((byWan.intermittent - failed.intermittent) / byWan.intermittent) * 1000) / 1000 : 1,
  };
}

export interface RelayQuestionsReport {
  readonly assumptions: RelayAssumptions;
  readonly channels: readonly ChannelAnswer[];
  readonly allowListVersusForwardAnything: {
    readonly allowList: RelayRiskReport['findings'];
    readonly forwardAnything: RelayRiskReport['findings'];
    readonly genuineOffListPassed: { readonly allowList: number; readonly forwardAnything: number };
    readonly withheldDisconnectionRan: { readonly allowList: boolean; readonly forwardAnything: boolean };
  };
  readonly responsePath: ResponsePathReport;
  readonly firmware: FirmwareAnswer;
  /** Today's Wi-Fi PPMID (its hub forwards nothing from it) beside the relay, over the same link. */
  readonly addedRiskOverTodaysPpmid: {
    readonly todayForwarded: { readonly attempts: number; readonly forwarded: number };
    readonly relayFloodDelayMinutes: number;
    readonly relayCommandTypesReachable: number;
    readonly finding: string;
  };
  readonly answers: readonly string[];
}

/** SECMP0038's questions, each answered from a run here or from a stated assumption above. */
export async function answerRelayQuestions(opts: { seed?: string; floodHours?: number; assumptions?: RelayAssumptions } = {}): Promise<RelayQuestionsReport> {
  const seed = opts.seed ?? 'relay-questions';
  const a = opts.assumptions ?? DEFAULT_RELAY_ASSUMPTIONS;
  const floodHours = opts.floodHours ?? 6;
  const allowList = await runRelayAttackSuite({ seed, floodHours });
  const anything = await runRelayAttackSuite({ seed, floodHours, policy: FORWARD_ANYTHING });
  const attack = (r: RelayRiskReport, name: string) => r.attacks.find((x) => x.attack === name)!.relay;
  const floodMinutes = Math.round(attack(allowList, 'flooding').legitimateDelaySeconds / 60);
  const executedBy = (r: RelayRiskReport) =>
    r.attacks.filter((x) => ['replay', 'forgery', 'tampering', 'wrong target', 'flooding'].includes(x.attack)).reduce((n, x) => n + x.relay.executed, 0);
  const attackerExecuted = executedBy(allowList);
  const passed = (r: RelayRiskReport) => attack(r, 'outside the allow-list').executed;
  const ran = (r: RelayRiskReport) => attack(r, 'withhold a disconnection').executed > 0;

  const channels = LINKS.map((link): ChannelAnswer => {
    const c = a.channels[link];
    const up = linkHoursPerYear(c);
    return {
      link,
      consumerPresent: !c.alwaysOn,
      hoursUpPerYear: up,
      exposureFromOutsideHoursPerYear: c.reachableFromOutside ? up : 0,
      outsideAttacks: c.reachableFromOutside
        ? { executed: attackerExecuted, floodDelayMinutes: floodMinutes }
        : { notPossible: `the ${link} link reaches no further than the PPMID: an attacker must be in the premise, with the consumer, while it is connected` },
      deliveryDelay: deliveryDelayRun(c, a.commandsPerYear * 100, `${seed}/${link}`),
    };
  });

  const responsePath = await runResponsePath({ seed });
  const firmware = firmwareRolloutRun(a.firmware, seed);

  // Today: the attacker's frames on a Wi-Fi PPMID whose hub has no relay function.
  const fleet = new Fleet({ premises: 2, seed: `${seed}/today`, prepaymentRate: 1, gasRate: 0, noWanRate: 1 });
  const keys = new FleetKeyStore(fleet);
  const p = fleet.premise(0);
  const today = new PpmidRelay(fleet.device(p.devices.CHF!) as CommsHub, 'wifi', NO_RELAY);
  let forwarded = 0;
  const uses = ['ECS45', 'CS01a', 'ECS42', 'ECS43'] as const;
  for (let i = 0; i < uses.length; i++) {
    const f = await buildUseCaseFrame(keys, {
      useCase: uses[i]!,
      originator: p.supplier,
      device: p.devices.ESME!,
      counter: BigInt(i + 1) << 32n,
      acb: fleet.parties.acb.eui,
      value: 5,
      valueClass: 'pounds',
    });
    if (today.relay(f, new Date('2026-02-02T10:00:00Z')).stage !== 'hub-refused') forwarded++;
  }

  const wifi = channels.find((c) => c.link === 'wifi')!;
  const answers = [
    `channel: Wi-Fi is up ${wifi.hoursUpPerYear} h a year and reachable from outside, so the attacks run from the street (${attackerExecuted} executed, a flood held the User's command ${floodMinutes} min); USB and NFC need the consumer present (${channels
      .filter((c) => c.link !== 'wifi')
      .map((c) => `${c.link} up ${c.hoursUpPerYear} h a year, a command waits p50 ${c.deliveryDelay.p50Hours} h, p95 ${c.deliveryDelay.p95Hours} h for it`)
      .join('; ')}): no outside attacker, and no service until the consumer connects`,
    `allow-list versus forward-anything: with the allow-list ${passed(allowList)} of 3 genuine disconnection, arming and credential commands passed and the withheld disconnection ${ran(allowList) ? 'ran 2 h late' : 'was refused at the hub'}; forwarding anything passed ${passed(anything)} of 3 and the withheld disconnection ${ran(anything) ? 'ran 2 h late, when the attacker let it go' : 'was refused'}; attacker commands executed: ${attackerExecuted} with the allow-list, ${executedBy(anything)} forwarding anything (the meter's own checks)`,
    `response path: ${responsePath.finding}`,
    `CH firmware: ${firmware.hubs} hubs need the image; ${firmware.upgraded} upgraded over the air in ${firmware.daysToLastUpgrade} days with ${firmware.attempts} attempts; ${firmware.failed.covered + firmware.failed.intermittent} still fail after ${a.firmware.maxAttempts} attempts and ${firmware.needVisit} have no WAN at all, so need a visit; of the intermittent-WAN hubs the relay is for, ${Math.round(firmware.intermittentUpgradedShare * 1000) / 10}% were upgraded`,
    `added risk over today's Wi-Fi PPMIDs: today the hub forwarded ${forwarded} of ${uses.length} commands offered on the PPMID's link and a flood there delays nothing the User sends over the WAN; the relay opens ${allowList.policy.allowed.length} command types to that link, and a flood on it held the User's command ${floodMinutes} min`,
  ];

  return {
    assumptions: a,
    channels,
    allowListVersusForwardAnything: {
      allowList: allowList.findings,
      forwardAnything: anything.findings,
      genuineOffListPassed: { allowList: passed(allowList), forwardAnything: passed(anything) },
      withheldDisconnectionRan: { allowList: ran(allowList), forwardAnything: ran(anything) },
    },
    responsePath,
    firmware,
    addedRiskOverTodaysPpmid: {
      todayForwarded: { attempts: uses.length, forwarded },
      relayFloodDelayMinutes: floodMinutes,
      relayCommandTypesReachable: allowList.policy.allowed.length,
      finding: answers[4]!,
    },
    answers,
  };
}
