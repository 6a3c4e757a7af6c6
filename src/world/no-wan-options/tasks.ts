/** What a no-WAN premise needs doing, from installation to firmware (issue 18's list). */
export const NO_WAN_TASKS = [
  'installation',
  'han-ihd-pairing',
  'commissioning',
  'tariff-change',
  'supply-enable',
  'supply-disable',
  'top-up',
  'switch-to-credit',
  'credential-change',
  'firmware',
] as const;
export type NoWanTask = (typeof NO_WAN_TASKS)[number];

/**
 * One task by one option at one premise. `basis` says where the verdict comes from: `run` (the
 * mechanism or the simulated device was made to do it and did or refused) or `assumption` (a
 * stated, configurable assumption, named in `detail`).
 */
export interface TaskOutcome {
  readonly status: 'done' | 'failed' | 'unsupported';
  readonly basis: 'run' | 'assumption';
  readonly visits: number;
  readonly hours: number;
  /** Equipment replaced, in pence (hours are costed separately). */
  readonly equipmentPence: number;
  readonly detail: string;
}

export const done = (basis: TaskOutcome['basis'], visits: number, hours: number, detail: string, equipmentPence = 0): TaskOutcome => ({
  status: 'done',
  basis,
  visits,
  hours,
  equipmentPence,
  detail,
});
export const failed = (basis: TaskOutcome['basis'], visits: number, hours: number, detail: string): TaskOutcome => ({
  status: 'failed',
  basis,
  visits,
  hours,
  equipmentPence: 0,
  detail,
});
export const unsupported = (basis: TaskOutcome['basis'], detail: string): TaskOutcome => ({ status: 'unsupported', basis, visits: 0, hours: 0, equipmentPence: 0, detail });

/** A simulated mechanism saying no: what it cannot do, in its own words. */
export class MechanismRefusal extends Error {}

/** Runs a mechanism's step; a refusal becomes the task's `unsupported` outcome, from the run. */
export function attempt(step: () => TaskOutcome): TaskOutcome {
  try {
    return step();
  } catch (e) {
    if (e instanceof MechanismRefusal) return unsupported('run', e.message);
    throw e;
  }
}

/** What the mechanism said when it refused this step (the step is expected to refuse). */
export function refusalOf(step: () => unknown): string {
  try {
    step();
  } catch (e) {
    if (e instanceof MechanismRefusal) return e.message;
    throw e;
  }
  throw new Error('simulation: the mechanism did not refuse');
}
