import type { Command } from 'commander';
import { ValidationError } from '../../domain/index.ts';
import { commandGroup } from '../command-group.ts';
import { actingParty, openContext, type GlobalFlags } from '../context.ts';
import { printJson } from '../print-json.ts';
import { oneOf } from './device-commands.ts';

// Use cases are loaded by the command that runs them, so that `meterops --help` loads none.
const loadAwareness = () => import('../../services/vulnerability-awareness.ts');
const loadObligations = () => import('../../services/obligations.ts');
const loadGaps = () => import('../../services/arrangement-gaps.ts');

/** A `--at`-style time: ISO 8601, or a clear error naming the flag. */
export function timeFlag(v: string | undefined, flag: string): Date | undefined {
  if (v === undefined) return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new ValidationError(flag, 'date-time', `--${flag} "${v}" is not a date-time`);
  return d;
}

/** `--material yes|no` with `--materiality-reason`: both or neither. */
export function materialityFlags(o: { material?: string; materialityReason?: string }): { material: boolean; reason: string } | undefined {
  if (o.material === undefined && o.materialityReason === undefined) return undefined;
  if (o.material === undefined) throw new ValidationError('material', 'required', '--materiality-reason needs --material yes|no');
  if (o.materialityReason === undefined) throw new ValidationError('materiality-reason', 'required', '--material needs --materiality-reason: why it is, or is not, material');
  return { material: oneOf(['yes', 'no'] as const, o.material, 'material') === 'yes', reason: o.materialityReason };
}

export function sectionGCommands(program: Command, globals: () => GlobalFlags): void {
  const vulns = commandGroup(program, 'vulnerabilities', 'the vulnerability register');
  vulns
    .command('aware <id>')
    .description(
      'record that a party became aware of a vulnerability, and when (G3.17): --basis acknowledged for yourself, or notified for a party meterops notified on your behalf; its duties arise then, due from that time',
    )
    .requiredOption('--as <party>')
    .requiredOption('--basis <basis>', 'acknowledged|notified')
    .option('--party <party>', 'notified: the party notified')
    .option('--at <time>', 'when it became aware: the notice delivery time (ISO 8601; default now)')
    .option('--manufacturer-aware', 'acknowledged only: you are satisfied the manufacturer already knows (G3.19)')
    .option('--material <yes|no>', 'acknowledged only: your judgement of "material" (with --materiality-reason)')
    .option('--materiality-reason <text>', 'why it is, or is not, material')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      const basis = oneOf(['acknowledged', 'notified'] as const, o.basis, 'basis');
      const awareAt = timeFlag(o.at, 'at');
      const materiality = materialityFlags(o);
      const ctx = await openContext(globals());
      try {
        const m = await loadAwareness();
        const actor = await actingParty(ctx.deps, o.as);
        const r = m.awarenessSeenBy(
          await m.recordAwareness(ctx.deps, actor, id, {
            basis,
            ...(o.party ? { partyId: o.party } : {}),
            ...(awareAt ? { awareAt } : {}),
            ...(o.manufacturerAware ? { manufacturerAware: true } : {}),
            ...(materiality ? { materiality } : {}),
          }),
          actor,
        );
        if (o.json) printJson(r);
        else
          process.stdout.write(
            `${r.awareness.partyId} aware of ${id} since ${r.awareness.awareAt.toISOString()} (${r.awareness.basis})${r.awareness.partyId === actor.id || actor.role === 'dcc' ? `, ${r.duties.length} duties` : ''}\n${r.duties.map((d) => `  ${d.id}  ${d.duty.padEnd(22)} due ${d.deadline.toISOString()}  ${d.clause}`).join('\n')}\n`,
          );
      } finally {
        await ctx.close();
      }
    });
  vulns
    .command('judge <id>')
    .description('record your judgement of whether a vulnerability you are aware of is material (G3.17), once; not material exempts your open duties under it')
    .requiredOption('--as <party>')
    .requiredOption('--material <yes|no>')
    .requiredOption('--reason <text>', 'why it is, or is not, material')
    .action(async (id: string, o) => {
      const material = oneOf(['yes', 'no'] as const, o.material, 'material') === 'yes';
      const ctx = await openContext(globals());
      try {
        const r = await (await loadAwareness()).judgeMateriality(ctx.deps, await actingParty(ctx.deps, o.as), id, { material, reason: o.reason });
        process.stdout.write(`${id}: judged ${material ? 'material' : 'not material'} by ${r.awareness.partyId}; ${r.exempted} open duties exempt\n`);
      } finally {
        await ctx.close();
      }
    });

  program
    .command('arrangements')
    .description('standing G3.20 arrangements with manufacturers, independent of any vulnerability')
    .command('add')
    .description('record your arrangement to be notified by a manufacturer or developer (G3.20)')
    .requiredOption('--as <party>')
    .requiredOption('--manufacturer <name>')
    .option('--g321-exemption', 'the manufacturer need not notify you when satisfied you already know (G3.21)')
    .action(async (o) => {
      const ctx = await openContext(globals());
      try {
        const actor = await actingParty(ctx.deps, o.as);
        await (await loadObligations()).recordArrangement(ctx.deps, actor, o.manufacturer, !!o.g321Exemption);
        process.stdout.write(`${actor.id}: arrangement with ${o.manufacturer.trim()} recorded${o.g321Exemption ? ' (G3.21 exemption)' : ''}\n`);
      } finally {
        await ctx.close();
      }
    });

  commandGroup(program, 'report', 'reports')
    .command('arrangement-gaps')
    .description('G3.20(b): per User, the manufacturers of its Responsible Supplier devices (SMETS2+ CHFs and GPFs excluded) with no arrangement (the DCC and the SSC: every User)')
    .requiredOption('--as <party>')
    .action(async (o) => {
      const ctx = await openContext(globals());
      try {
        printJson(await (await loadGaps()).arrangementGapsReport(ctx.deps, await actingParty(ctx.deps, o.as)));
      } finally {
        await ctx.close();
      }
    });
}
