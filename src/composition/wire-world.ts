import type { BaseDeps, ServiceDeps } from '../services/deps.ts';
import type { KeySource } from '../services/ports/key-source.ts';
import type { SimulatedWorld } from '../world/simulated-world.ts';

/** The platform's deps with the simulated world behind its ports (the deployment's keystore for other devices). */
export function wireWorld(world: SimulatedWorld, base: BaseDeps, deployment: KeySource): ServiceDeps {
  return { ...base, keySource: world.keySource(deployment), gateway: world.gateway(), bench: world.bench() };
}
