import type { Command } from 'commander';
import { printJson } from '../print-json.ts';
import { DUTIES, SENSITIVE_COMMANDS, ValidationError, VULNERABILITY_COMPONENTS, type DutyRecord } from '../../domain/index.ts';
import { pageArgs, printPage, withPageOptions } from '../page-options.ts';
import { oneOf } from './device-commands.ts';
import { commandGroup } from '../command-group.ts';
import { materialityFlags, timeFlag } from './section-g-commands.ts';
import { actingParty, openContext, type GlobalFlags } from '../context.ts';

// Use cases are loaded by the command that runs them, so that `meterops --help` loads none.
const loadAnomalyDetection = () => import('../../services/anomaly-detection.ts');
const loadObligations = () => import('../../services/obligations.ts');

const collect = (v: string, prev: string[]) => [...prev, v];
const dutyLine = (d: DutyRecord) => [d.id, d.state.padEnd(6), d.duty.padEnd(22), `due ${d.deadline.toISOString().slice(0, 10)}`, `${d.deviceCount} devices`, d.clause].join('  ');

export function obligationCommands(program: Command, globals: () => GlobalFlags): void {
  const vulns = program.command('vulnerabilities').description('the vulnerability register');
  withPageOptions(
    vulns
      .command('list')
      .description('vulnerabilities you recorded or owe a duty under (the SSC and the DCC: all), by id')
      .requiredOption('--as <party>')
      .option('--manufacturer <name>')
      .option('--component <component>', VULNERABILITY_COMPONENTS.join('|')),
  ).action(async (o) => {
    const ctx = await openContext(globals());
    try {
      const page = await (
        await loadObligations()
      ).listVulnerabilities(ctx.deps, await actingParty(ctx.deps, o.as), {
        ...(o.manufacturer ? { manufacturer: o.manufacturer } : {}),
        ...(o.component ? { component: oneOf(VULNERABILITY_COMPONENTS, o.component, 'component') } : {}),
        ...pageArgs(o),
      });
      printPage(page, o, 'vulnerabilities', (v) => `${v.id}  ${v.awareAt.toISOString().slice(0, 10)}  ${v.manufacturer}  ${v.component}  ${v.title}`, 'no vulnerabilities');
    } finally {
      await ctx.close();
    }
  });
  vulns
    .command('add')
    .description('record a vulnerability you became aware of; prints your duties (others owe nothing until they become aware: `vulnerabilities aware`)')
    .requiredOption('--as <party>', 'the User that became aware')
    .requiredOption('--title <title>')
    .requiredOption('--manufacturer <name>')
    .requiredOption('--component <component>', 'user_systems_hardware|user_systems_software|user_systems_firmware|smart_metering_system')
    .option('--model <model>', 'affected model (repeatable)', collect, [])
    .option('--firmware <version>', 'affected firmware version (repeatable)', collect, [])
    .option('--device-type <type>', 'ESME, GSME, CHF, GPF, PPMID, HCALCS (repeatable)', collect, [])
    .option('--aware-at <time>', 'when you became aware (ISO 8601; default now)')
    .option('--manufacturer-aware', 'you are satisfied the manufacturer already knows (G3.19)')
    .option('--material <yes|no>', 'your judgement of "material" (G3.17), with --materiality-reason; unjudged counts as material')
    .option('--materiality-reason <text>', 'why it is, or is not, material')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const awareAt = o.awareAt ? new Date(o.awareAt) : new Date();
      if (Number.isNaN(awareAt.getTime())) throw new ValidationError('awareAt', 'date-time', `--aware-at "${o.awareAt}" is not a date-time`);
      const materiality = materialityFlags(o);
      const ctx = await openContext(globals());
      try {
        const obligations = await loadObligations();
        const actor = await actingParty(ctx.deps, o.as);
        const recorded = await obligations.recordVulnerability(ctx.deps, actor, {
          title: o.title,
          manufacturer: o.manufacturer,
          component: o.component,
          models: o.model,
          firmwareVersions: o.firmware,
          deviceTypes: o.deviceType,
          awareAt,
          manufacturerAware: !!o.manufacturerAware,
          ...(materiality ? { materiality } : {}),
        });
        // As the API answers: the acting party's own duties and devices (the DCC: all).
        const r = obligations.recordSeenBy(recorded, actor);
        if (o.json) printJson(r);
        else
          process.stdout.write(
            `${r.vulnerability.id}: ${actor.role === 'dcc' ? `${r.affectedDevices} registered devices affected, ${r.duties.length} duties` : `${r.affectedDevices} of your registered devices affected, ${r.duties.length} duties of yours`}\n${r.duties.map((d) => `  ${d.partyId.padEnd(16)} ${dutyLine(d)}`).join('\n')}\n`,
          );
      } finally {
        await ctx.close();
      }
    });

  const duties = program.command('duties').description('SEC Section G duties');
  withPageOptions(
    duties
      .command('list')
      .description('your duties, soonest deadline first (the SSC: every notice to it; the DCC: all)')
      .requiredOption('--as <party>')
      .option('--overdue', 'only open duties past their deadline')
      .option('--state <state>', 'open, done or exempt')
      .option('--duty <duty>', DUTIES.join(', '))
      .option('--vulnerability <id>'),
  ).action(async (o) => {
    const ctx = await openContext(globals());
    try {
      const page = await (
        await loadObligations()
      ).listDuties(ctx.deps, await actingParty(ctx.deps, o.as), {
        overdue: !!o.overdue,
        ...(o.state ? { state: oneOf(['open', 'done', 'exempt'] as const, o.state, 'state') } : {}),
        ...(o.duty ? { duty: oneOf(DUTIES, o.duty, 'duty') } : {}),
        ...(o.vulnerability ? { vulnerabilityId: o.vulnerability } : {}),
        ...pageArgs(o),
      });
      printPage(page, o, 'duties', dutyLine, 'no duties');
    } finally {
      await ctx.close();
    }
  });
  duties
    .command('done <id>')
    .requiredOption('--as <party>')
    .requiredOption('--evidence <text>', 'what was done: who was notified, when, reference')
    .option('--steps <text>', 'the SSC notice (G3.18(c)): the steps being taken to rectify or mitigate')
    .option('--complete-by <time>', 'the SSC notice (G3.18(c)): when those steps are intended to be completed (ISO 8601)')
    .action(async (id: string, o) => {
      const completeBy = timeFlag(o.completeBy, 'complete-by');
      const ctx = await openContext(globals());
      try {
        const closing = { evidence: o.evidence, ...(o.steps !== undefined ? { steps: o.steps } : {}), ...(completeBy ? { completeBy } : {}) };
        process.stdout.write(dutyLine(await (await loadObligations()).closeDuty(ctx.deps, await actingParty(ctx.deps, o.as), id, closing)) + '\n');
      } finally {
        await ctx.close();
      }
    });
  duties
    .command('exempt <id>')
    .requiredOption('--as <party>')
    .requiredOption('--reason <text>', 'why you are satisfied the manufacturer already knows (G3.19)')
    .action(async (id: string, o) => {
      const ctx = await openContext(globals());
      try {
        process.stdout.write(dutyLine(await (await loadObligations()).exemptDuty(ctx.deps, await actingParty(ctx.deps, o.as), id, o.reason)) + '\n');
      } finally {
        await ctx.close();
      }
    });

  withPageOptions(
    program
      .command('command-requests')
      .description("the DCC's volume check: sensitive requests sent, held and released")
      .command('list')
      .description('your sensitive requests (the DCC: all), newest first')
      .requiredOption('--as <party>')
      .option('--status <status>', 'sent, held or released')
      .option('--type <type>', SENSITIVE_COMMANDS.join(', ')),
  ).action(async (o) => {
    const ctx = await openContext(globals());
    try {
      const page = await (
        await loadAnomalyDetection()
      ).listCommandRequests(ctx.deps, await actingParty(ctx.deps, o.as), {
        ...(o.status ? { status: oneOf(['sent', 'held', 'released'] as const, o.status, 'status') } : {}),
        ...(o.type ? { commandType: oneOf(SENSITIVE_COMMANDS, o.type, 'type') } : {}),
        ...pageArgs(o),
      });
      printPage(
        page,
        o,
        'requests',
        (r) =>
          `${String(r.id).padStart(6)}  ${r.requestedAt.toISOString()}  ${r.commandType.padEnd(22)} ${r.status.padEnd(8)} ${r.target}  by ${r.requestedBy}${r.releasedBy ? `, released by ${r.releasedBy}` : ''}`,
        'no requests',
      );
    } finally {
      await ctx.close();
    }
  });

  commandGroup(program, 'report', 'reports')
    .command('obligations')
    .description("a party's SEC Section G duties: open, done, exempt, overdue")
    .requiredOption('--as <party>')
    .action(async (o) => {
      const ctx = await openContext(globals());
      try {
        printJson(await (await loadObligations()).obligationsReport(ctx.deps, await actingParty(ctx.deps, o.as)));
      } finally {
        await ctx.close();
      }
    });
}
