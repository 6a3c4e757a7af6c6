import type { Command } from 'commander';
import type { App } from '../api/app.ts';
import type { Config } from '../config/config.ts';
import type { BaseDeps, ServiceDeps } from '../services/deps.ts';
import type { JobKind } from '../services/ports/job-queue.ts';
import type { KeySource } from '../services/ports/key-source.ts';
import type { GlobalFlags } from './context.ts';

/**
 * What the composition root plugs into the platform's CLI: the device ports behind the use cases
 * (the simulated world's, or a DCC adapter's and a real bench's), and any routes, start-up work
 * and commands of its own. The platform knows only this shape.
 */
export interface Wiring {
  /** The platform's deps with the key source, device gateway and bench wired in. */
  wire(base: BaseDeps, config: Config, deployment: KeySource): ServiceDeps | Promise<ServiceDeps>;
  /** Routes of the wired-in world (e.g. the simulated devices' local ports), registered beside /v1. */
  routes?(app: App, deps: ServiceDeps): Promise<void>;
  /** Work before the server listens (e.g. seeding a demo), and the lines it adds to the banner. */
  onServe?(deps: ServiceDeps, config: Config, base: string): Promise<string[]>;
  /** Job kinds of the wired-in world (e.g. fleet generation, the returns year), run by workers. */
  jobKinds?(deps: ServiceDeps): JobKind[] | Promise<JobKind[]>;
  /** Commands of the wired-in world. */
  commands?(program: Command, globals: () => GlobalFlags): void;
}
