import { loadConfig } from '../../config/config.ts';
import { printJson } from '../../cli/print-json.ts';
import { ValidationError } from '../../domain/errors.ts';
import { parseAssumeFlag } from '../no-wan-options/assumptions.ts';
import { noWanOptionsReport, type NoWanOptionsReport, type TaskSummary } from '../no-wan-options/no-wan-options-report.ts';
import type { NoWanTask } from '../no-wan-options/tasks.ts';
import type { SimulatedWorld } from '../simulated-world.ts';

const HEAD: Record<NoWanTask, string> = {
  installation: 'install',
  'han-ihd-pairing': 'HAN/IHD',
  commissioning: 'commission',
  'tariff-change': 'tariff',
  'supply-enable': 'enable',
  'supply-disable': 'disable',
  'top-up': 'top-up',
  'switch-to-credit': 'credit',
  'credential-change': 'creds',
  firmware: 'firmware',
};

/** One cell: done at every premise, some failed, none, or refused; `*` where an assumption decided it. */
function cell(t: TaskSummary): string {
  const mark = t.basis.includes('assumption') ? '*' : '';
  if (t.unsupported === t.premises) return `-${mark}`;
  if (t.done === t.premises) return `${t.visits ? `${t.visits}v` : 'yes'}${mark}`;
  return `${t.done}/${t.premises}${mark}`;
}

export function printNoWanOptions(r: NoWanOptionsReport): void {
  const w = (s: string, n: number) => s.padEnd(n);
  const out: string[] = [];
  out.push(`the 2012 SDAG paper's no-WAN options at the ${r.fleet.studied} no-WAN premises of fleet "${r.fleet.seed}" (${r.fleet.premises} premises)`);
  out.push('');
  out.push(`${w('option', 24)}${r.tasks.map((t) => w(HEAD[t], 11)).join('')}${w('visits', 8)}${w('hours', 8)}${w('cost £', 9)}attacker gets (measured)`);
  for (const o of r.options) {
    out.push(
      `${w(`${o.seed.number} ${o.id}`, 24)}${r.tasks.map((t) => w(cell(o.tasks[t]), 11)).join('')}${w(String(o.totals.visits), 8)}${w(String(o.totals.hours), 8)}${w(String(Math.round(o.totals.costPence / 100)), 9)}${o.attacker}`,
    );
  }
  out.push('');
  out.push('cells: yes = done at every premise with no visit; Nv = done at every premise, N visits; d/n = done at d of n; - = not possible; * = decided by a stated assumption');
  out.push('visits, hours and cost (engineer hours and equipment) are totals over the premises; every figure per premise and task is in --json');
  const failures = r.options.flatMap((o) =>
    r.tasks.filter((t) => o.tasks[t].failed > 0).map((t) => `- [${o.id}] ${t}: ${o.tasks[t].failed} of ${o.tasks[t].premises} failed: ${o.tasks[t].failures.join('; ')}`),
  );
  out.push('');
  out.push('what failed:');
  out.push(...(failures.length ? failures : ['- nothing']));
  out.push('');
  out.push("the paper's verdicts beside the measurement:");
  for (const v of r.verdicts) out.push(`- [${v.option}] "${v.seed}": ${v.measured} (agrees: ${v.agrees})`);
  const a = r.attacks.configurationCodes;
  out.push('');
  out.push(
    `code space: ${a.codeSpace.wellFormed} of ${a.codeSpace.samples} random 20-digit strings well-formed (expected share ${a.codeSpace.expectedWellFormedShare.toFixed(5)}); one guess in 2^32 authentic`,
  );
  out.push(
    `code guessing, ${a.guessing.days} d at one code per ${a.guessing.secondsPerEntry} s: ${a.guessing.evaluated} checked, ${a.guessing.refusedWhileLocked} refused while locked, ${a.guessing.lockouts} lock-outs, ${a.guessing.accepted} accepted; consumer's genuine code during a lock-out: ${a.guessing.genuineDuringLockout}`,
  );
  out.push(r.configurationCodesInRouting);
  const l = r.laterRoute;
  out.push(
    `later route, for comparison (SECMP0038's PPMID relay, meterops simulate ppmid-relay): ${l.attackerCommandsExecuted} attacker commands executed; a flood held a genuine command ${l.floodDelayMinutes} min; reachable ${l.reachableHoursPerYear} h a year from outside the premise`,
  );
  const changed = Object.entries(r.assumptions).filter(([, x]) => x.value !== x.default);
  out.push('');
  out.push(`assumptions: ${changed.length ? changed.map(([k, x]) => `${k}=${x.value}`).join(', ') : 'all defaults'} (every one, with its unit and source, in --json)`);
  process.stdout.write(out.join('\n') + '\n');
}

/** The command's action: runs the study and prints it (loaded only when the command runs). */
export async function runNoWanOptions(world: SimulatedWorld, o: { premises: string; seed: string; option?: string; assume: string[]; json?: boolean }): Promise<void> {
  if (!/^\d+$/.test(o.premises)) throw new ValidationError('premises', 'study-premises', `--premises is a whole number, got "${o.premises}"`);
  const assumptions = Object.fromEntries(o.assume.map(parseAssumeFlag));
  const config = loadConfig(process.env);
  const r = await noWanOptionsReport(world, {
    premises: Number(o.premises),
    seed: o.seed,
    ...(o.option ? { option: o.option } : {}),
    assumptions,
    keypadLockoutMinutes: config.keypadLockoutMinutes,
  });
  if (o.json) return printJson(r);
  printNoWanOptions(r);
}
