import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Wiring } from '../cli/wiring.ts';
import type { JobKind } from '../services/ports/job-queue.ts';
import { fleetCommands } from '../world/cli/fleet-commands.ts';
import { noWanOptionsCommand } from '../world/cli/no-wan-options-command.ts';
import { simulationCommands } from '../world/cli/simulation-commands.ts';
import { simRoutes } from '../world/http/sim-routes.ts';
import { demoBanner, seedDemo } from '../world/seed-demo.ts';
import { SimulatedWorld } from '../world/simulated-world.ts';
import type { DuisPorts } from './duis-wiring.ts';
import { wireWorld } from './wire-world.ts';

/**
 * The composition root's wiring of the simulated SMETS2 world into the platform: its key source
 * (falling back to the deployment's keystore for devices outside its fleets), its device gateway
 * and bench, its `/sim` routes, the demo seed, and its commands. One world per process.
 */
export function simulatedWorldWiring(world = new SimulatedWorld()): Wiring {
  // With METEROPS_DCC_URL, devices outside the simulated fleets are reached through that DCC (docs/duis.md).
  let duis: DuisPorts | undefined;
  return {
    wire: async (base, config, deployment) => {
      // The simulated bench's modelled step duration, so a watched triage shows its steps one by one.
      world.setBenchStepMs(config.simBenchStepMs);
      const deps = wireWorld(world, base, deployment);
      if (!config.dccUrl) return deps;
      // The DUIS client (XML signing, schema checks) is loaded only when a DCC is configured.
      const { duisPorts, eitherGateway } = await import('./duis-wiring.ts');
      duis = duisPorts(config);
      return duis ? { ...deps, gateway: eitherGateway(deps.gateway, duis.gateway) } : deps;
    },
    routes: async (app, deps) => {
      if (duis) await (await import('../api/routes/duis-receive.ts')).duisReceiveRoute(app, duis.receiver);
      await app.register(async (sim) => simRoutes(sim.withTypeProvider<ZodTypeProvider>(), world, deps), { prefix: '/sim' });
      // The simulated response-time report, beside the platform's reports (signed-in parties only).
      const { responseTimeRoutes } = await import('../world/http/response-time-routes.ts');
      await app.register(async (v1) => responseTimeRoutes(v1.withTypeProvider<ZodTypeProvider>(), deps), { prefix: '/v1' });
      // The no-WAN options study, run as a job for the web's dashboard (signed-in parties only).
      const { noWanOptionsRoutes } = await import('../world/http/no-wan-options-routes.ts');
      await app.register(async (v1) => noWanOptionsRoutes(v1.withTypeProvider<ZodTypeProvider>(), deps), { prefix: '/v1' });
    },
    onServe: async (deps, config, base) => {
      if (!config.demo) return [];
      await seedDemo(deps);
      return demoBanner(base);
    },
    // Fleet generation, the returns year and the no-WAN options study as jobs (loaded when a job runtime opens).
    jobKinds: async (deps) => {
      const [{ worldJobKinds }, { noWanOptionsJobKind }] = await Promise.all([import('../world/jobs/world-jobs.ts'), import('../world/jobs/no-wan-options-job.ts')]);
      return [...worldJobKinds(deps), noWanOptionsJobKind(world, deps) as JobKind];
    },
    commands: (program, globals) => {
      fleetCommands(program, globals, world);
      simulationCommands(program, globals, world);
      noWanOptionsCommand(program, world);
    },
  };
}
