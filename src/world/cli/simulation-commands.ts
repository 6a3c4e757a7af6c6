import type { Command } from 'commander';
import { commandGroup } from '../../cli/command-group.ts';
import { CliError } from '../../cli/cli-error.ts';
import { openContext, withContext, type GlobalFlags } from '../../cli/context.ts';
import { enqueueJob } from '../../cli/enqueue-job.ts';
import { printJson } from '../../cli/print-json.ts';
import { parseEui, ValidationError } from '../../domain/index.ts';
import type { RelayLink } from '../devices/ppmid-relay.ts';
import type { SimulatedWorld } from '../simulated-world.ts';

// Each command loads what it runs when it runs, so that `meterops --help` does not load the studies.
const keypad = () => import('../sim-ports.ts');
const relaySuite = () => import('../studies/relay-attack-suite.ts');
const relayQuestions = () => import('../studies/relay-questions.ts');
const responseTimes = () => import('../studies/response-times.ts');
const year = () => import('../studies/simulate-year.ts');
const returnsReport = () => import('../../cli/commands/returns-commands.ts');

const fmt = (s: number) => (s < 120 ? `${s.toFixed(1)} s` : s < 7200 ? `${(s / 60).toFixed(1)} min` : s < 172_800 ? `${(s / 3600).toFixed(1)} h` : `${(s / 86_400).toFixed(1)} d`);

/** The simulated world's commands: the consumer at the keypad, and the studies that run on simulated devices. */
export function simulationCommands(program: Command, globals: () => GlobalFlags, world: SimulatedWorld): void {
  program
    .command('keypad <eui> <code>')
    .description('simulation: a consumer types a UTRN or configuration code on a simulated meter')
    .action((eui: string, code: string) =>
      withContext(globals, async (ctx) => {
        const { typeOnKeypad } = await keypad();
        const r = await typeOnKeypad(world, ctx.deps, parseEui(eui), code);
        process.stdout.write(`${r.accepted ? 'accepted' : 'refused'}: ${r.detail}\n`);
        if (!r.accepted) throw new CliError(`the meter refused the code`, 2, 'CODE_REFUSED');
      }),
    );

  commandGroup(program, 'report', 'reports')
    .command('response-times')
    .description("request to confirmed response for every route, against the DCC's targets (on-demand 30 s, alerts 60 s)")
    .option('--samples <n>', 'samples per route (10-20000)', '500')
    .option('--seed <seed>', 'simulation seed', 'default')
    .option('--json')
    .action((o) =>
      withContext(globals, async (ctx) => {
        if (!/^\d+$/.test(o.samples) || Number(o.samples) < 10 || Number(o.samples) > 20_000)
          throw new ValidationError('samples', 'samples', '--samples is a whole number from 10 to 20000');
        const { responseTimeReport } = await responseTimes();
        const r = await responseTimeReport(ctx.deps, { samples: Number(o.samples), seed: o.seed });
        if (o.json) return printJson(r);
        process.stdout.write('route              target      p50        p95        p99        within target  processing p50\n');
        for (const x of r.simulated) {
          const target = x.target ? `${x.target.seconds} s` : '-';
          const within = x.withinTarget === null ? 'not confirmed' : `${x.withinTarget}%`;
          process.stdout.write(
            `${x.route.padEnd(18)} ${target.padEnd(11)} ${fmt(x.p50).padEnd(10)} ${fmt(x.p95).padEnd(10)} ${fmt(x.p99).padEnd(10)} ${within.padEnd(14)} ${x.processingMsP50} ms   ${x.note}\n`,
          );
        }
        const h = r.observedHht;
        process.stdout.write(
          h.responses
            ? `observed HHT work orders: ${h.responses} responses, order to verified response p50 ${fmt(h.p50Seconds!)}, p95 ${fmt(h.p95Seconds!)}, max ${fmt(h.maxSeconds!)}\n`
            : 'observed HHT work orders: none uploaded yet\n',
        );
      }),
    );

  commandGroup(program, 'simulate', 'simulations')
    .command('ppmid-relay')
    .description('SECMP0038 as a simulation: play the attacker on the PPMID link and report what each attack achieved, beside HHT delivery')
    .option('--link <link>', 'wifi, usb or nfc', 'wifi')
    .option('--flood-hours <n>', 'how long the flood lasts', '6')
    .option('--json')
    .action(async (o) => {
      if (!['wifi', 'usb', 'nfc'].includes(o.link)) throw new ValidationError('link', 'relay-link', '--link is wifi, usb or nfc');
      if (!/^\d+$/.test(o.floodHours) || Number(o.floodHours) < 1 || Number(o.floodHours) > 48)
        throw new ValidationError('floodHours', 'flood-hours', '--flood-hours is a whole number from 1 to 48');
      const { runRelayAttackSuite } = await relaySuite();
      const r = await runRelayAttackSuite({ link: o.link as RelayLink, floodHours: Number(o.floodHours) });
      if (o.json) return printJson(r);
      process.stdout.write(`PPMID relay over ${r.link}; allow-list ${r.policy.allowed.join(', ')}; ${r.policy.perDevicePerHour} per device per hour\n\n`);
      for (const a of r.attacks) {
        const stops = (t: { stoppedAt: Record<string, number> }) =>
          Object.entries(t.stoppedAt)
            .map(([k, v]) => `${k} ×${v}`)
            .join(', ');
        process.stdout.write(
          `${a.attack}: ${a.description}\n  relay: ${a.relay.attempts} attempts, ${a.relay.executed} executed; stopped at ${stops(a.relay) || '-'}; achieved: ${a.relay.achieved}\n`,
        );
        process.stdout.write(
          'notApplicable' in a.hht
            ? `  HHT:   ${a.hht.notApplicable}\n`
            : `  HHT:   ${a.hht.attempts} attempts, ${a.hht.executed} executed; stopped at ${stops(a.hht) || '-'}; achieved: ${a.hht.achieved}\n`,
        );
      }
      process.stdout.write(`\nfindings:\n${r.findings.map((f) => `- ${f}`).join('\n')}\n`);
    });
  commandGroup(program, 'simulate', 'simulations')
    .command('relay-questions')
    .description(
      "SECMP0038's questions on the PPMID relay, each answered from a run or a stated assumption: channels, allow-list or forward-anything, the response path, the CH firmware, the added risk",
    )
    .option('--flood-hours <n>', 'how long the flood lasts', '6')
    .option('--assumptions <json>', 'override the stated assumptions (JSON, e.g. {"channels":{"usb":{"sessionsPerYear":104}}})')
    .option('--json')
    .action(async (o) => {
      if (!/^\d+$/.test(o.floodHours) || Number(o.floodHours) < 1 || Number(o.floodHours) > 48)
        throw new ValidationError('floodHours', 'flood-hours', '--flood-hours is a whole number from 1 to 48');
      const { answerRelayQuestions, relayAssumptions } = await relayQuestions();
      const assumptions = relayAssumptions(o.assumptions);
      const r = await answerRelayQuestions({ floodHours: Number(o.floodHours), assumptions });
      if (o.json) return printJson(r);
      process.stdout.write(`SECMP0038's questions on the PPMID relay (assumptions are meterops', shown by --json; override with --assumptions)\n\n`);
      process.stdout.write(`${r.answers.map((x) => `- ${x}`).join('\n')}\n`);
    });
  commandGroup(program, 'simulate', 'simulations')
    .command('returns')
    .description("a large supplier's year of returns through the whole flow on a new simulated fleet, then the report")
    .requiredOption('--returns <n>', 'how many returns (at least 10; the study says its maximum)')
    .requiredOption('--seed <seed>', 'the seed of the new fleet and of the returns')
    .option('--json')
    .option('--job', 'enqueue it as a job whose triage batches any worker takes, and print the job id (`meterops jobs show ID`)')
    .option('--as <party>', 'with --job: the party whose job it is', 'dcc')
    .action(async (o) => {
      const { MAX_YEAR_RETURNS, simulateReturnsYear } = await year();
      if (!/^\d+$/.test(o.returns) || Number(o.returns) < 10 || Number(o.returns) > MAX_YEAR_RETURNS)
        throw new ValidationError('returns', 'returns-count', `--returns is a whole number from 10 to ${MAX_YEAR_RETURNS}`);
      if (o.job) return enqueueJob(globals, o.as, 'returns-year', (partyId) => ({ partyId, returns: Number(o.returns), seed: o.seed }));
      const ctx = await openContext(globals());
      const { Presets, SingleBar } = await import('cli-progress');
      const bar = new SingleBar({ format: ' {phase} [{bar}] {value}/{total}', stream: process.stderr }, Presets.shades_classic);
      const tty = process.stderr.isTTY === true;
      let phase = '';
      try {
        const y = await simulateReturnsYear(ctx.deps, { returns: Number(o.returns), seed: o.seed }, (p, done, total) => {
          if (!tty) return;
          if (p !== phase) {
            if (phase) bar.stop();
            phase = p;
            bar.start(total, done, { phase: p });
          } else bar.update(done, { phase: p });
        });
        if (tty && phase) bar.stop();
        if (o.json) return printJson(y);
        process.stdout.write(
          `fleet ${y.fleetId}: ${y.returns} returns worked through, ${y.reinstalled} reinstalled in another region; ${y.seconds.total} s (fleet ${y.seconds.fleet}, returns ${y.seconds.returns}, triage and refurbishment ${y.seconds.triageAndRefurbish}, reinstall ${y.seconds.reinstall}, report ${y.seconds.report})\n`,
        );
        (await returnsReport()).printReport(y.report);
      } finally {
        await ctx.close();
      }
    });
}
