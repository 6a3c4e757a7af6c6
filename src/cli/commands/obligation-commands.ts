import type { Command } from 'commander';
import { printJson } from '../print-json.ts';
import { ValidationError, type DutyRecord } from '../../domain/index.ts';
import { closeDuty, exemptDuty, listDuties, obligationsReport, recordVulnerability } from '../../services/obligations.ts';
import { commandGroup } from '../command-group.ts';
import { actingParty, openContext, type GlobalFlags } from '../context.ts';

const collect = (v: string, prev: string[]) => [...prev, v];
const dutyLine = (d: DutyRecord) => [d.id, d.state.padEnd(6), d.duty.padEnd(22), `due ${d.deadline.toISOString().slice(0, 10)}`, `${d.deviceCount} devices`, d.clause].join('  ');

export function obligationCommands(program: Command, globals: () => GlobalFlags): void {
  program
    .command('vulnerabilities')
    .description('the vulnerability register')
    .command('add')
    .description('record a vulnerability you became aware of; prints the duties it creates')
    .requiredOption('--as <party>', 'the User that became aware')
    .requiredOption('--title <title>')
    .requiredOption('--manufacturer <name>')
    .requiredOption('--component <component>', 'user_systems_hardware|user_systems_software|user_systems_firmware|smart_metering_system')
    .option('--model <model>', 'affected model (repeatable)', collect, [])
    .option('--firmware <version>', 'affected firmware version (repeatable)', collect, [])
    .option('--device-type <type>', 'ESME, GSME, CHF, GPF, PPMID, HCALCS (repeatable)', collect, [])
    .option('--aware-at <time>', 'when you became aware (ISO 8601; default now)')
    .option('--manufacturer-aware', 'you are satisfied the manufacturer already knows (G3.19)')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const awareAt = o.awareAt ? new Date(o.awareAt) : new Date();
      if (Number.isNaN(awareAt.getTime())) throw new ValidationError('awareAt', 'date-time', `--aware-at "${o.awareAt}" is not a date-time`);
      const ctx = await openContext(globals());
      try {
        const r = await recordVulnerability(ctx.deps, await actingParty(ctx.deps, o.as), {
          title: o.title,
          manufacturer: o.manufacturer,
          component: o.component,
          models: o.model,
          firmwareVersions: o.firmware,
          deviceTypes: o.deviceType,
          awareAt,
          manufacturerAware: !!o.manufacturerAware,
        });
        if (o.json) printJson(r);
        else
          process.stdout.write(
            `${r.vulnerability.id}: ${r.affectedDevices} registered devices affected, ${r.duties.length} duties\n${r.duties.map((d) => `  ${d.partyId.padEnd(16)} ${dutyLine(d)}`).join('\n')}\n`,
          );
      } finally {
        await ctx.close();
      }
    });

  const duties = program.command('duties').description('SEC Section G duties');
  duties
    .command('list')
    .requiredOption('--as <party>')
    .option('--overdue', 'only open duties past their deadline')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const ctx = await openContext(globals());
      try {
        const list = await listDuties(ctx.deps, await actingParty(ctx.deps, o.as), { overdue: !!o.overdue });
        if (o.json) printJson(list);
        else process.stdout.write(list.length ? list.map(dutyLine).join('\n') + '\n' : 'no duties\n');
      } finally {
        await ctx.close();
      }
    });
  duties
    .command('done <id>')
    .requiredOption('--as <party>')
    .requiredOption('--evidence <text>', 'what was done: who was notified, when, reference')
    .action(async (id: string, o) => {
      const ctx = await openContext(globals());
      try {
        process.stdout.write(dutyLine(await closeDuty(ctx.deps, await actingParty(ctx.deps, o.as), id, o.evidence)) + '\n');
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
        process.stdout.write(dutyLine(await exemptDuty(ctx.deps, await actingParty(ctx.deps, o.as), id, o.reason)) + '\n');
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
        printJson(await obligationsReport(ctx.deps, await actingParty(ctx.deps, o.as)));
      } finally {
        await ctx.close();
      }
    });
}
