import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parseEui, ValidationError } from '../../domain/index.ts';
import { runRelayAttackSuite } from '../../world/studies/relay-attack-suite.ts';
import type { RelayLink } from '../../world/devices/ppmid-relay.ts';
import { responseTimeReport } from '../../world/studies/response-times.ts';
import { typeOnKeypad } from '../../world/sim-ports.ts';
import { importCoverage, routeRequest, visitQueue } from '../../services/wan-routing.ts';
import { createWorkOrder, showWorkOrder, type OrderCommandRequest } from '../../services/work-orders.ts';
import { CliError } from '../cli-error.ts';
import { commandGroup } from '../command-group.ts';
import { actingParty, withContext, type GlobalFlags } from '../context.ts';
import { printJson } from '../print-json.ts';

const collect = (v: string, prev: string[]) => [...prev, v];
const fmt = (s: number) => (s < 120 ? `${s.toFixed(1)} s` : s < 7200 ? `${(s / 60).toFixed(1)} min` : s < 172_800 ? `${(s / 3600).toFixed(1)} h` : `${(s / 86_400).toFixed(1)} d`);

/** `EUI:USECASE` or `EUI:CS01a:VALUE:pounds|pennies`. */
function parseCommand(text: string, i: number): OrderCommandRequest {
  const [eui, useCase, value, valueClass] = text.split(':');
  if (!eui || !useCase) throw new ValidationError(`command[${i}]`, 'command-spec', `--command takes EUI:USECASE or EUI:CS01a:VALUE:pounds|pennies; got "${text}"`);
  return { deviceEui: parseEui(eui, `command[${i}]`), useCase, ...(value ? { value: Number(value) } : {}), ...(valueClass ? { valueClass: valueClass as 'pounds' | 'pennies' } : {}) };
}

export function noWanCommands(program: Command, globals: () => GlobalFlags): void {
  program
    .command('route <eui> <request>')
    .description('how a request (enableSupply, disableSupply, armSupply, topUp, readStatus, credentialChange) would reach the device, and why')
    .requiredOption('--as <party>')
    .action((eui: string, request: string, o) => withContext(globals, async (ctx) => printJson(await routeRequest(ctx.deps, await actingParty(ctx.deps, o.as), parseEui(eui), request))));

  program
    .command('visit-queue')
    .description('SECMP0032: prepayment premises with no WAN, most at risk first, with the 30- and 90-day clocks')
    .requiredOption('--as <party>')
    .option('--limit <n>', 'how many', '50')
    .option('--json', 'JSON instead of a table')
    .action((o) => withContext(globals, async (ctx) => {
      const q = await visitQueue(ctx.deps, await actingParty(ctx.deps, o.as), Number(o.limit));
      if (o.json) return printJson(q);
      for (const e of q) {
        process.stdout.write(`${String(e.risk).padStart(5)}  ${e.premiseId.padEnd(24)} ${e.postcode.padEnd(9)} ${String(e.daysWithoutWan).padStart(3)} d  30-day ${e.fix30.state.padEnd(17)} 90-day ${e.fix90.state.padEnd(17)} ${e.why.join(', ')}\n`);
      }
      process.stdout.write(`${q.length} premises\n`);
    }));

  commandGroup(program, 'wan', 'WAN coverage').command('coverage-import <file>')
    .description('load WAN coverage by postcode from CSV lines: postcode,covered|partial|not-covered[,anticipated date]')
    .option('--as <party>', 'the DCC party', 'dcc')
    .action((file: string, o) => withContext(globals, async (ctx) => {
      const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => { throw new CliError(`cannot read ${file}: ${e.code ?? e.message}`); });
      const rows = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !/^postcode,/i.test(l)).map((l) => {
        const [postcode, coverage, anticipatedAt] = l.split(',').map((x) => x.trim());
        return { postcode: postcode ?? '', coverage: coverage ?? '', anticipatedAt: anticipatedAt || null };
      });
      process.stdout.write(`wan coverage: ${await importCoverage(ctx.deps, await actingParty(ctx.deps, o.as), rows)} postcodes loaded\n`);
    }));

  const wo = program.command('work-order').description('HHT work orders (the Supplier side)');
  wo.command('create')
    .description('build the commands for local delivery at a premise (signed, MACed, Command Variant 2 or 6)')
    .requiredOption('--as <party>')
    .requiredOption('--premise <id>')
    .requiredOption('--command <spec>', 'EUI:USECASE, or EUI:CS01a:VALUE:pounds|pennies; repeat for more', collect, [])
    .option('--hours <n>', 'lifetime in hours (default 72, at most 336)')
    .action((o) => withContext(globals, async (ctx) => {
      const r = await createWorkOrder(ctx.deps, await actingParty(ctx.deps, o.as), 'cli', {
        premiseId: o.premise, commands: (o.command as string[]).map(parseCommand), ...(o.hours ? { lifetimeHours: Number(o.hours) } : {}),
      });
      process.stdout.write(`${r.order.id}  expires ${r.order.expiresAt.toISOString()}\n`);
      for (const c of r.commands) process.stdout.write(`  ${c.seq}  ${c.useCase.padEnd(6)} ${c.deviceEui}  variant ${c.variant}  counter ${c.counter}\n`);
    }));
  wo.command('show <id>')
    .requiredOption('--as <party>')
    .description('a work order with each command, response and outcome')
    .action((id: string, o) => withContext(globals, async (ctx) => printJson(await showWorkOrder(ctx.deps, await actingParty(ctx.deps, o.as), id))));

  program
    .command('keypad <eui> <code>')
    .description('simulation: a consumer types a UTRN or configuration code on a simulated meter')
    .action((eui: string, code: string) => withContext(globals, async (ctx) => {
      const r = await typeOnKeypad(ctx.deps, parseEui(eui), code);
      process.stdout.write(`${r.accepted ? 'accepted' : 'refused'}: ${r.detail}\n`);
      if (!r.accepted) throw new CliError(`the meter refused the code`, 2);
    }));

  commandGroup(program, 'report', 'reports')
    .command('response-times')
    .description("request to confirmed response for every route, against the DCC's targets (on-demand 30 s, alerts 60 s)")
    .option('--samples <n>', 'samples per route (10-20000)', '500')
    .option('--seed <seed>', 'simulation seed', 'default')
    .option('--json')
    .action((o) => withContext(globals, async (ctx) => {
      if (!/^\d+$/.test(o.samples) || Number(o.samples) < 10 || Number(o.samples) > 20_000) throw new ValidationError('samples', 'samples', '--samples is a whole number from 10 to 20000');
      const r = await responseTimeReport(ctx.deps, { samples: Number(o.samples), seed: o.seed });
      if (o.json) return printJson(r);
      process.stdout.write('route              target      p50        p95        p99        within target  processing p50\n');
      for (const x of r.simulated) {
        const target = x.target ? `${x.target.seconds} s` : '-';
        const within = x.withinTarget === null ? 'not confirmed' : `${x.withinTarget}%`;
        process.stdout.write(`${x.route.padEnd(18)} ${target.padEnd(11)} ${fmt(x.p50).padEnd(10)} ${fmt(x.p95).padEnd(10)} ${fmt(x.p99).padEnd(10)} ${within.padEnd(14)} ${x.processingMsP50} ms   ${x.note}\n`);
      }
      const h = r.observedHht;
      process.stdout.write(h.responses ? `observed HHT work orders: ${h.responses} responses, order to verified response p50 ${fmt(h.p50Seconds!)}, p95 ${fmt(h.p95Seconds!)}, max ${fmt(h.maxSeconds!)}\n` : 'observed HHT work orders: none uploaded yet\n');
    }));

  commandGroup(program, 'simulate', 'simulations')
    .command('ppmid-relay')
    .description('SECMP0038 as a simulation: play the attacker on the PPMID link and report what each attack achieved, beside HHT delivery')
    .option('--link <link>', 'wifi, usb or nfc', 'wifi')
    .option('--flood-hours <n>', 'how long the flood lasts', '6')
    .option('--json')
    .action(async (o) => {
      if (!['wifi', 'usb', 'nfc'].includes(o.link)) throw new ValidationError('link', 'relay-link', '--link is wifi, usb or nfc');
      if (!/^\d+$/.test(o.floodHours) || Number(o.floodHours) < 1 || Number(o.floodHours) > 48) throw new ValidationError('floodHours', 'flood-hours', '--flood-hours is a whole number from 1 to 48');
      const r = await runRelayAttackSuite({ link: o.link as RelayLink, floodHours: Number(o.floodHours) });
      if (o.json) return printJson(r);
      process.stdout.write(`PPMID relay over ${r.link}; allow-list ${r.policy.allowed.join(', ')}; ${r.policy.perDevicePerHour} per device per hour\n\n`);
      for (const a of r.attacks) {
        const stops = (t: { stoppedAt: Record<string, number> }) => Object.entries(t.stoppedAt).map(([k, v]) => `${k} ×${v}`).join(', ');
        process.stdout.write(`${a.attack}: ${a.description}\n  relay: ${a.relay.attempts} attempts, ${a.relay.executed} executed; stopped at ${stops(a.relay) || '-'}; achieved: ${a.relay.achieved}\n`);
        process.stdout.write('notApplicable' in a.hht ? `  HHT:   ${a.hht.notApplicable}\n` : `  HHT:   ${a.hht.attempts} attempts, ${a.hht.executed} executed; stopped at ${stops(a.hht) || '-'}; achieved: ${a.hht.achieved}\n`);
      }
      process.stdout.write(`\nfindings:\n${r.findings.map((f) => `- ${f}`).join('\n')}\n`);
    });
}
