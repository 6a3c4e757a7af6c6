import type { Command } from 'commander';
import { printJson } from '../../cli/print-json.ts';
import { frameText } from '../../cli/frame-argument.ts';
import { parseEui } from '../../domain/eui.ts';
import { ValidationError } from '../../domain/errors.ts';
import { fromHex, toHex } from '../../gbcs/byte-reader.ts';
import { actingParty, openContext, type GlobalFlags } from '../../cli/context.ts';
import { enqueueJob } from '../../cli/enqueue-job.ts';
import type { SimulatedWorld } from '../simulated-world.ts';

// Use cases are loaded by the command that runs them, so that `meterops --help` loads none.
const loadFleetService = () => import('../fleet-service.ts');

export function fleetCommands(program: Command, globals: () => GlobalFlags, world: SimulatedWorld): void {
  const fleet = program.command('fleet').description('simulated SMETS2 fleets');
  fleet
    .command('generate')
    .description('generate N premises (hub, meters, PPMID for prepayment) across the DNO regions from a seed, and store them')
    .requiredOption('--premises <n>', 'how many premises (1-2,000,000)')
    .requiredOption('--seed <seed>', 'the seed: the same seed gives the same fleet')
    .option('--rate-no-wan <share>', 'share of premises with no WAN coverage, 0 to 1 (default 0.007)')
    .option('--rate-intermittent <share>', 'share of premises with intermittent WAN, 0 to 1 (default 0.03)')
    .option('--rate-prepayment <share>', 'share of prepayment premises, 0 to 1 (default 0.15)')
    .option('--rate-gas <share>', 'share of premises with gas, 0 to 1 (default 0.8)')
    .option('--as <party>', 'the DCC party acting', 'dcc')
    .option('--no-progress', 'no progress bar')
    .option('--job', 'enqueue it as a job for a worker and print the job id (`meterops jobs show ID`)')
    .action(async (o) => {
      if (!/^\d+$/.test(o.premises)) throw new ValidationError('premises', 'fleet-size', `--premises must be a whole number, got "${o.premises}"`);
      const rates: Record<string, number> = {};
      for (const [flag, name] of [
        ['rateNoWan', 'noWanRate'],
        ['rateIntermittent', 'intermittentWanRate'],
        ['ratePrepayment', 'prepaymentRate'],
        ['rateGas', 'gasRate'],
      ] as const) {
        const v = o[flag] as string | undefined;
        if (v === undefined) continue;
        if (!/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/.test(v))
          throw new ValidationError(name, 'fleet-rate', `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is a share from 0 to 1, got "${v}"`);
        rates[name] = Number(v);
      }
      if (o.job) return enqueueJob(globals, o.as, 'fleet-generate', (partyId) => ({ partyId, premises: Number(o.premises), seed: o.seed, ...rates }));
      const ctx = await openContext(globals());
      const { Presets, SingleBar } = await import('cli-progress');
      const bar = new SingleBar({ format: ' fleet [{bar}] {percentage}% | {value}/{total} premises', stream: process.stderr }, Presets.shades_classic);
      const showBar = o.progress !== false && process.stderr.isTTY === true;
      try {
        const actor = await actingParty(ctx.deps, o.as);
        if (showBar) bar.start(Number(o.premises), 0);
        const s = await (await loadFleetService()).generateFleet(ctx.deps, actor, { premises: Number(o.premises), seed: o.seed, ...rates }, (done) => showBar && bar.update(done));
        if (showBar) bar.stop();
        process.stdout.write(`fleet ${s.id}: ${s.premises} premises, ${s.devices} devices, ${s.noWanPremises} with no WAN, ${s.prepaymentPremises} prepayment\n`);
      } finally {
        if (showBar) bar.stop();
        await ctx.close();
      }
    });

  fleet
    .command('show <eui>')
    .description('a simulated device: premise, model, diagnosis and current state')
    .action(async (eui: string) => {
      const ctx = await openContext(globals());
      try {
        printJson(await (await loadFleetService()).showFleetDevice(world, ctx.deps, parseEui(eui)));
      } finally {
        await ctx.close();
      }
    });

  program
    .command('device')
    .description('talk to a simulated device')
    .command('send <eui> <frame>')
    .description("deliver a GBCS frame (hex, or a file of hex) to a simulated device as its local port would, and print the device's answer")
    .option('--at <time>', 'simulation time (ISO 8601; default now)')
    .action(async (eui: string, frame: string, o) => {
      const at = o.at ? new Date(o.at) : undefined;
      if (at && Number.isNaN(at.getTime())) throw new ValidationError('at', 'date-time', `--at "${o.at}" is not a date-time`);
      const ctx = await openContext(globals());
      try {
        const r = await (await loadFleetService()).sendToDevice(world, ctx.deps, parseEui(eui), fromHex(frameText(frame)), at);
        printJson(
          r.accepted
            ? { accepted: true, useCase: r.useCase, response: toHex(r.response) }
            : {
                accepted: false,
                reason: r.reason,
                alertCode: `0x${r.alertCode.toString(16).toUpperCase()}`,
                detail: r.detail,
                response: r.response ? toHex(r.response) : null,
                alert: r.alert ? toHex(r.alert) : null,
              },
        );
      } finally {
        await ctx.close();
      }
    });
}
