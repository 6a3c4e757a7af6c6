import type { NoWanAssumptions } from './assumptions.ts';
import type { NoWanAttacks, OptionSummary, TaskSummary } from './no-wan-options-report.ts';
import type { NoWanOptionId } from './seed-options.ts';
import type { NoWanTask } from './tasks.ts';

/** One of the seed's own verdicts, word for word, beside what the run measured. */
export interface VerdictComparison {
  readonly option: NoWanOptionId;
  readonly seed: string;
  readonly measured: string;
  /** Whether the measurement bears the verdict out: yes, no, partly, or not measured in this run. */
  readonly agrees: 'yes' | 'no' | 'partly' | 'not measured';
}

const of = (t: TaskSummary) => `${t.done} of ${t.premises}`;
const accepted = (xs: ReadonlyArray<{ accepted: boolean }>) => xs.filter((x) => x.accepted).length;

/** The seed's verdicts against the run, and for each option a line on what an attacker gets. */
export function compareVerdicts(
  options: readonly OptionSummary[],
  k: NoWanAttacks,
  a: NoWanAssumptions,
): { verdicts: VerdictComparison[]; attacker: Record<NoWanOptionId, string> } {
  const task = (id: NoWanOptionId, t: NoWanTask) => options.find((o) => o.id === id)?.tasks[t];
  const v: VerdictComparison[] = [];
  const add = (option: NoWanOptionId, seed: string, measured: () => [string, VerdictComparison['agrees']]) => {
    if (!options.some((o) => o.id === option)) return;
    const [m, agrees] = measured();
    v.push({ option, seed, measured: m, agrees });
  };
  const pin = k.pinGuessing;
  const opt = k.opticalPort;
  const codes = k.configurationCodes;

  add('dumb-or-smart-ready', 'The consumer would not be provided with an IHD (no possibility to configure the HAN)', () => {
    const t = task('dumb-or-smart-ready', 'han-ihd-pairing')!;
    return [`HAN and IHD pairing: ${t.unsupported} of ${t.premises} refused by the meter (no HAN)`, t.unsupported === t.premises ? 'yes' : 'no'];
  });
  add(
    'dumb-or-smart-ready',
    'Any smart-ready meter would have to be replaced with a meter pre- configured with the correct tariff to effect a tariff change for a consumer',
    () => {
      const t = task('dumb-or-smart-ready', 'tariff-change')!;
      return [
        `tariff change: ${t.visits} meter exchanges for ${t.premises} premises, ${t.hours} h, ${t.equipmentPence / 100} pounds of meters`,
        t.visits === t.premises ? 'yes' : 'no',
      ];
    },
  );
  add(
    'pre-configured-set',
    'In the event of any component failure, the entire SME would need to be replaced, as this equipment can only be installed as a pre-configured set',
    () => {
      const t = task('pre-configured-set', 'installation')!;
      const replaced = t.visits - t.premises;
      return [
        `${replaced} of ${t.premises} sets had a failed part at installation (setComponentFailureRate ${a.setComponentFailureRate}) and each was replaced whole`,
        replaced > 0 ? 'yes' : 'not measured',
      ];
    },
  );
  add('pre-configured-set', 'No support for tariff upgrade except by replacing entire SME', () => {
    const t = task('pre-configured-set', 'tariff-change')!;
    return [`tariff change: ${t.visits} whole sets replaced for ${t.premises} premises, ${t.equipmentPence / 100} pounds of equipment`, 'yes'];
  });
  add('picocell', 'Time-consuming to set up, may not always be possible', () => {
    const tasks = Object.values(options.find((o) => o.id === 'picocell')!.tasks);
    const failed = tasks.reduce((x, t) => x + t.failed, 0);
    const visits = tasks.reduce((x, t) => x + t.visits, 0);
    return [
      `${a.picocellSetUpMinutes} min set-up per attempt (picocellSetUpMinutes); ${visits} visits for the work, ${failed} tasks given up after ${a.picocellMaxVisits} visits with no cell (picocellFailureRate ${a.picocellFailureRate})`,
      a.picocellFailureRate > 0 ? 'yes' : 'partly',
    ];
  });
  add('picocell', 'Can perform all installation and maintenance functions through the WAN', () => {
    const o = options.find((x) => x.id === 'picocell')!;
    const run = Object.entries(o.tasks)
      .filter(([, t]) => t.basis.every((b) => b === 'run') && t.done > 0)
      .map(([n]) => n);
    return [
      `run at every premise (over the cell where the meter needs the WAN; top-up at the keypad): ${run.join(', ')}; tariff, payment mode and firmware by assumption (unsimulatedSignedCommandsCarried)`,
      'partly',
    ];
  });
  add('engineering-menu', 'Not practical or reliable for configuring tariffs', () => {
    const t = task('engineering-menu', 'tariff-change')!;
    const keys = a.tariffValues * a.digitsPerValue;
    return [
      `${keys} keystrokes (${Math.round((keys * a.secondsPerKeystroke) / 60)} min) per tariff; ${t.failed} of ${t.premises} tariffs went in with a wrong value unnoticed (keystrokeErrorRate ${a.keystrokeErrorRate})`,
      t.failed > 0 ? 'yes' : 'partly',
    ];
  });
  add('engineering-menu', 'Any critical functions available from the menu left enabled would present a significant security risk', () => [
    `PIN found after ${pin.guessesToSuccess} guesses in ${pin.hoursToSuccess} h (${pin.lockouts} lock-outs; every PIN: ${pin.worstCaseDays} days); then disable supply ${pin.disableSupplyAccepted ? 'accepted' : 'refused'}; the same PIN opened ${pin.otherMetersOpened} of ${pin.otherMeters} other meters`,
    pin.disableSupplyAccepted ? 'yes' : 'no',
  ]);
  add('optical-port', 'Can be used to perform complex configuration including tariff programming and load switching times', () => {
    const t = task('optical-port', 'tariff-change')!;
    return [`tariff programmed by the field tool at ${of(t)} premises, ${a.opticalTariffMinutes} min each`, t.done === t.premises ? 'yes' : 'partly'];
  });
  add('optical-port', 'If left enabled, would present a significant security risk', () => [
    `${opt.leftEnabled} of ${opt.premises} ports left enabled after the work (opticalLeftEnabledRate ${a.opticalLeftEnabledRate} per visit); an optical head with no key disabled supply at ${opt.disableSupplyAccepted}; a wrong key authenticated on ${opt.wrongKeyAuthenticated} of ${opt.lockedPorts} locked ports`,
    opt.leftEnabled === 0 ? 'not measured' : opt.disableSupplyAccepted === opt.leftEnabled ? 'yes' : 'no',
  ]);
  add('configuration-codes', 'Codes would only work on the target meter, and would only be accepted once by the meter', () => {
    const r = codes.replay;
    const refusedReplays = r.filter((x, i) => i > 0 && i !== 3 && !x.accepted).length;
    return [
      `${refusedReplays} of 3 replays refused (again; on the neighbour's meter; older after newer); guessing: ${codes.guessing.accepted} of ${codes.guessing.evaluated} guesses accepted`,
      refusedReplays === 3 ? 'yes' : 'no',
    ];
  });
  add('pass-through-hht', 'Can support all business processes that would otherwise rely on the WAN', () => {
    const o = options.find((x) => x.id === 'pass-through-hht')!;
    const run = Object.entries(o.tasks)
      .filter(([, t]) => t.basis.every((b) => b === 'run') && t.done > 0)
      .map(([n]) => n);
    return [
      `run at the port, responses verified (top-up in the enable visit): ${run.join(', ')}; commissioning waits for the WAN (commissioningNeedsWan); tariff, IHD join, payment mode and firmware by assumption`,
      'partly',
    ];
  });
  add('restricted-hht', 'Vulnerable to attack through misuse of HHT / through the HHT interface', () => {
    const clone = k.clonedHht.restricted.find((x) => x.attempt.startsWith('cloned identity') && x.attempt.includes('disableSupply'))!;
    return [`a cloned HHT identity's unsigned disableSupply: ${clone.accepted ? 'accepted, supply disabled' : 'refused'}`, clone.accepted ? 'yes' : 'no'];
  });

  const replays = k.workOrderReplay.slice(2);
  const attacker: Record<NoWanOptionId, string> = {
    'dumb-or-smart-ready': 'nothing to command: the meter has no HAN, load switch control, keypad or credentials (refused by the mechanism)',
    'pre-configured-set': `the keypad only: UTRN guessing as for configuration codes (${codes.guessing.accepted} of ${codes.guessing.evaluated} guesses accepted)`,
    picocell: `a rogue cell: ${accepted(k.roguePicocell.slice(1))} of 2 forged or replayed disables executed (the meter's MAC and counter checks)`,
    'engineering-menu': `PIN in ${pin.hoursToSuccess} h (every PIN ${pin.worstCaseDays} d), then disable supply ${pin.disableSupplyAccepted ? 'accepted' : 'refused'}; one PIN opened ${pin.otherMetersOpened}/${pin.otherMeters} other meters`,
    'optical-port': `${opt.leftEnabled}/${opt.premises} ports left enabled: supply disabled at ${opt.disableSupplyAccepted} with no key; locked ports: ${opt.wrongKeyAuthenticated} opened`,
    'configuration-codes': `${codes.guessing.accepted} of ${codes.guessing.evaluated} guesses in ${codes.guessing.days} d; 50% chance after ${codes.guessing.yearsToEvenChance} years; replays refused; a lock-out also blocks the consumer's own codes`,
    'pass-through-hht': `captured order: ${accepted(replays)} of ${replays.length} replays executed; stolen HHT: ${accepted(k.clonedHht.passThrough.slice(0, 2))} of 2 forged disables executed`,
    'restricted-hht': `cloned identity: ${accepted(k.clonedHht.restricted.slice(1, 3))} of 2 unsigned supply commands executed`,
  };
  return { verdicts: v, attacker };
}
