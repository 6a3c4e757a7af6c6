import { ValidationError } from '../../domain/errors.ts';
import { Fleet, type SimPremise } from '../devices/fleet.ts';
import { SimClock } from '../devices/sim-clock.ts';
import type { SimulatedWorld } from '../simulated-world.ts';
import { describeAssumptions, resolveAssumptions, type NoWanAssumptions } from './assumptions.ts';
import { runClonedHht, type AttackAttempt } from './attacks/cloned-hht.ts';
import { measureCodeSpace, runCodeGuessing, runCodeReplay, type CodeSpace, type LockoutRun } from './attacks/config-code-guessing.ts';
import { runOpticalPortAttack, type OpticalPortAttackResult } from './attacks/optical-port-left-enabled.ts';
import { runPinGuessing, type PinGuessingResult } from './attacks/pin-guessing.ts';
import { runRoguePicocell } from './attacks/rogue-picocell.ts';
import { runRelayAttackSuite } from '../studies/relay-attack-suite.ts';
import { runWorkOrderReplay } from './attacks/work-order-replay.ts';
import type { OpticalPort } from './optical-port.ts';
import { OPTION_RUNNERS } from './option-runners.ts';
import { PremiseRun } from './premise-run.ts';
import { NO_WAN_OPTION_IDS, SEED_OPTIONS, type NoWanOptionId, type SeedOption } from './seed-options.ts';
import { NO_WAN_TASKS, type NoWanTask, type TaskOutcome } from './tasks.ts';
import { compareVerdicts, type VerdictComparison } from './verdicts.ts';

/** Limits on what the caller controls, and the defaults: a fleet with a few dozen no-WAN premises. */
import { DEFAULT_STUDY_SEED, NO_WAN_OPTIONS_LIMITS } from './no-wan-options-limits.ts';
export { DEFAULT_STUDY_SEED, NO_WAN_OPTIONS_LIMITS } from './no-wan-options-limits.ts';
const START = new Date('2026-01-05T08:00:00Z');

export interface TaskSummary {
  readonly premises: number;
  readonly done: number;
  readonly failed: number;
  readonly unsupported: number;
  /** Where the verdicts came from: the run, a stated assumption, or both (across premises). */
  readonly basis: ReadonlyArray<TaskOutcome['basis']>;
  readonly visits: number;
  readonly hours: number;
  readonly equipmentPence: number;
  /** What happened, each distinct account once (at most 4). */
  readonly details: readonly string[];
  /** What happened where it failed, each distinct account once (at most 4). */
  readonly failures: readonly string[];
}

export interface OptionSummary {
  readonly id: NoWanOptionId;
  readonly seed: SeedOption;
  readonly tasks: Readonly<Record<NoWanTask, TaskSummary>>;
  readonly totals: { readonly visits: number; readonly hours: number; readonly costPence: number; readonly failedTasks: number };
  readonly perPremise: { readonly visits: number; readonly hours: number; readonly costPence: number };
  readonly attacker: string;
}

export interface NoWanAttacks {
  readonly pinGuessing: PinGuessingResult;
  readonly clonedHht: { readonly restricted: readonly AttackAttempt[]; readonly passThrough: readonly AttackAttempt[] };
  readonly opticalPort: OpticalPortAttackResult;
  readonly configurationCodes: { readonly codeSpace: CodeSpace; readonly guessing: LockoutRun; readonly replay: readonly AttackAttempt[] };
  readonly workOrderReplay: readonly AttackAttempt[];
  readonly roguePicocell: readonly AttackAttempt[];
}

/** The later route (SECMP0038's PPMID relay, not a 2012 option), from its own study (`meterops simulate ppmid-relay`), for comparison. */
export interface LaterRoute {
  readonly route: 'ppmid-relay';
  readonly attackerCommandsExecuted: number;
  readonly floodDelayMinutes: number;
  readonly reachableHoursPerYear: number;
  readonly findings: readonly string[];
}

export interface NoWanOptionsReport {
  readonly fleet: { readonly seed: string; readonly premises: number; readonly noWanPremises: number; readonly studied: number; readonly premiseIndexes: readonly number[] };
  readonly assumptions: ReturnType<typeof describeAssumptions>;
  readonly tasks: readonly NoWanTask[];
  readonly options: readonly OptionSummary[];
  readonly attacks: NoWanAttacks;
  readonly verdicts: readonly VerdictComparison[];
  readonly laterRoute: LaterRoute;
  /** How meterops' own routing treats option 6: the study measures it whatever the governance setting. */
  readonly configurationCodesInRouting: string;
}

/** The study runs option 6 as the 2012 paper put it; routing offers it only as a governance extension. */
export const CONFIGURATION_CODES_IN_ROUTING =
  'configuration codes (option 6) are measured here as the 2012 paper put them; meterops routing offers them for Enable Supply only as an extension, off by default (governance.routes.configurationCodes; IssueSEC0009: installed meters are not to change)';

export interface NoWanOptionsRequest {
  readonly premises?: number;
  readonly seed?: string;
  /** Only this option's row (the attacks all run: they compare the options). */
  readonly option?: string;
  readonly assumptions?: Readonly<Record<string, unknown>>;
  /** METEROPS_KEYPAD_LOCKOUT_MINUTES, the default of `menuLockoutMinutes`. */
  readonly keypadLockoutMinutes?: number;
}

/** The request checked, as the CLI and the HTTP route check it before any work: a clear error naming what is wrong. */
export function checkNoWanOptionsRequest(r: NoWanOptionsRequest): { premises: number; seed: string; options: NoWanOptionId[]; a: NoWanAssumptions } {
  const premises = r.premises ?? NO_WAN_OPTIONS_LIMITS.defaultPremises;
  const { minPremises: min, maxPremises: max } = NO_WAN_OPTIONS_LIMITS;
  if (!Number.isInteger(premises) || premises < min || premises > max)
    throw new ValidationError('premises', 'study-premises', `premises is a whole number from ${min} to ${max}, got ${premises}`);
  const seed = r.seed ?? DEFAULT_STUDY_SEED;
  if (!/^[\w.-]{1,64}$/.test(seed)) throw new ValidationError('seed', 'fleet-seed', 'the seed is 1 to 64 letters, digits, dots, dashes or underscores');
  if (r.option !== undefined && !(NO_WAN_OPTION_IDS as readonly string[]).includes(r.option))
    throw new ValidationError('option', 'no-wan-option', `unknown option "${r.option}"; one of ${NO_WAN_OPTION_IDS.join(', ')}`);
  const options = r.option ? [r.option as NoWanOptionId] : [...NO_WAN_OPTION_IDS];
  return { premises, seed, options, a: resolveAssumptions(r.assumptions ?? {}, r.keypadLockoutMinutes === undefined ? {} : { keypadLockoutMinutes: r.keypadLockoutMinutes }) };
}

const distinct = (outcomes: readonly TaskOutcome[]) => [...new Set(outcomes.map((o) => o.detail.replace(/[0-9A-F]{16}/g, 'EUI')))].slice(0, 4);

function summarise(outcomes: readonly TaskOutcome[]): TaskSummary {
  const n = (s: TaskOutcome['status']) => outcomes.filter((o) => o.status === s).length;
  const sum = (f: (o: TaskOutcome) => number) => outcomes.reduce((x, o) => x + f(o), 0);
  return {
    premises: outcomes.length,
    done: n('done'),
    failed: n('failed'),
    unsupported: n('unsupported'),
    basis: [...new Set(outcomes.map((o) => o.basis))].sort(),
    visits: sum((o) => o.visits),
    hours: Math.round(sum((o) => o.hours) * 100) / 100,
    equipmentPence: sum((o) => o.equipmentPence),
    details: distinct(outcomes),
    failures: distinct(outcomes.filter((o) => o.status === 'failed')),
  };
}

/**
 * `meterops report no-wan-options`: the 2012 SDAG paper's eight options, each run as a mechanism at every
 * no-WAN premise of a fleet generated from the seed (each option finds each premise as generated),
 * every attack run against the mechanisms and the simulated meters, and the seed's verdicts set
 * beside what was measured.
 */
export async function noWanOptionsReport(world: SimulatedWorld, req: NoWanOptionsRequest = {}): Promise<NoWanOptionsReport> {
  const { premises, seed, options, a } = checkNoWanOptionsRequest(req);
  const fleet = new Fleet({ premises, seed });
  const noWan: SimPremise[] = [];
  for (let i = 0; i < fleet.premiseCount; i++) if (fleet.premise(i).wan === 'none') noWan.push(fleet.premise(i));
  if (noWan.length < 2)
    throw new ValidationError(
      'premises',
      'no-wan-premises',
      `the fleet of ${premises} premises (seed "${seed}") has ${noWan.length} premises with no WAN; the study needs 2: give more premises`,
    );
  const studied = noWan.slice(0, NO_WAN_OPTIONS_LIMITS.maxStudied);
  const platform = await world.fleetKeys(fleet);
  const run = (p: SimPremise, stream: string) => new PremiseRun(fleet, p, platform, new SimClock(START), a, stream);

  const summaries: OptionSummary[] = [];
  const opticalPorts: OpticalPort[] = [];
  for (const id of options) {
    const byTask = new Map<NoWanTask, TaskOutcome[]>(NO_WAN_TASKS.map((t) => [t, []]));
    for (const p of studied) {
      const r = await OPTION_RUNNERS[id](run(p, id));
      for (const t of NO_WAN_TASKS) byTask.get(t)!.push(r.tasks[t]);
      if (r.opticalPort) opticalPorts.push(r.opticalPort);
    }
    const tasks = Object.fromEntries(NO_WAN_TASKS.map((t) => [t, summarise(byTask.get(t)!)])) as Record<NoWanTask, TaskSummary>;
    const visits = NO_WAN_TASKS.reduce((x, t) => x + tasks[t].visits, 0);
    const hours = Math.round(NO_WAN_TASKS.reduce((x, t) => x + tasks[t].hours, 0) * 100) / 100;
    const costPence = Math.round(hours * a.engineerHourPence) + NO_WAN_TASKS.reduce((x, t) => x + tasks[t].equipmentPence, 0);
    const per = (v: number) => Math.round((v / studied.length) * 100) / 100;
    summaries.push({
      id,
      seed: SEED_OPTIONS[id],
      tasks,
      totals: { visits, hours, costPence, failedTasks: NO_WAN_TASKS.reduce((x, t) => x + tasks[t].failed, 0) },
      perPremise: { visits: per(visits), hours: per(hours), costPence: Math.round(costPence / studied.length) },
      attacker: '',
    });
  }
  if (!opticalPorts.length) for (const p of studied) opticalPorts.push((await OPTION_RUNNERS['optical-port'](run(p, 'optical-port'))).opticalPort!);

  const [first, second] = [studied[0]!, studied[1]!];
  const others = studied.slice(1).map((p) => run(p, 'pin-guessing'));
  const codeTarget = run(first, 'code-guessing');
  const attacks: NoWanAttacks = {
    pinGuessing: runPinGuessing(run(first, 'pin-guessing'), others),
    clonedHht: await runClonedHht(run(first, 'cloned-hht'), run(first, 'stolen-hht')),
    opticalPort: runOpticalPortAttack(opticalPorts),
    configurationCodes: {
      codeSpace: measureCodeSpace(seed, NO_WAN_OPTIONS_LIMITS.codeSpaceSamples),
      guessing: await runCodeGuessing(codeTarget),
      replay: await runCodeReplay(run(first, 'code-replay'), run(second, 'code-replay')),
    },
    workOrderReplay: await runWorkOrderReplay(run(first, 'work-order-replay'), run(second, 'work-order-replay')),
    roguePicocell: await runRoguePicocell(run(first, 'rogue-picocell')),
  };
  const relay = await runRelayAttackSuite({ seed: `${seed}/relay` });
  const laterRoute: LaterRoute = {
    route: 'ppmid-relay',
    attackerCommandsExecuted: relay.attacks.filter((x) => x.attack !== 'withhold and release').reduce((n, x) => n + x.relay.executed, 0),
    floodDelayMinutes: Math.round(relay.attacks.find((x) => x.attack === 'flooding')!.relay.legitimateDelaySeconds / 60),
    reachableHoursPerYear: relay.exposure.relayHoursPerYear,
    findings: relay.findings,
  };
  const { verdicts, attacker } = compareVerdicts(summaries, attacks, a);
  return {
    fleet: { seed, premises, noWanPremises: noWan.length, studied: studied.length, premiseIndexes: studied.map((p) => p.index) },
    assumptions: describeAssumptions(a),
    tasks: NO_WAN_TASKS,
    options: summaries.map((s) => ({ ...s, attacker: attacker[s.id] })),
    attacks,
    verdicts: verdicts.filter((v) => options.includes(v.option)),
    laterRoute,
    configurationCodesInRouting: CONFIGURATION_CODES_IN_ROUTING,
  };
}
