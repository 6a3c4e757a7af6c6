import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Wiring } from '../cli/wiring.ts';
import { fleetCommands } from '../world/cli/fleet-commands.ts';
import { noWanOptionsCommand } from '../world/cli/no-wan-options-command.ts';
import { simulationCommands } from '../world/cli/simulation-commands.ts';
import { simRoutes } from '../world/http/sim-routes.ts';
import { demoBanner, seedDemo } from '../world/seed-demo.ts';
import { SimulatedWorld } from '../world/simulated-world.ts';
import { wireWorld } from './wire-world.ts';

/**
 * The composition root's wiring of the simulated SMETS2 world into the platform: its key source
 * (falling back to the deployment's keystore for devices outside its fleets), its device gateway
 * and bench, its `/sim` routes, the demo seed, and its commands. One world per process.
 */
export function simulatedWorldWiring(world = new SimulatedWorld()): Wiring {
  return {
    wire: (base, _config, deployment) => wireWorld(world, base, deployment),
    routes: async (app, deps) => {
      await app.register(async (sim) => simRoutes(sim.withTypeProvider<ZodTypeProvider>(), world, deps), { prefix: '/sim' });
    },
    onServe: async (deps, config, base) => {
      if (!config.demo) return [];
      await seedDemo(deps);
      return demoBanner(base);
    },
    commands: (program, globals) => {
      fleetCommands(program, globals, world);
      simulationCommands(program, globals, world);
      noWanOptionsCommand(program, world);
    },
  };
}
