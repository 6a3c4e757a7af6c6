import { actingParty, withContext, type GlobalFlags } from './context.ts';

/**
 * Enqueues one job as the acting party and prints its id: the `--job` form of a long command. A
 * worker (`meterops worker`, or `serve`) runs it; `meterops jobs show ID` follows it.
 */
export async function enqueueJob(globals: () => GlobalFlags, as: string | undefined, kind: string, payload: (partyId: string) => Record<string, unknown>): Promise<void> {
  await withContext(globals, async (ctx) => {
    const actor = await actingParty(ctx.deps, as);
    const { openJobs } = await import('./job-runtime.ts');
    const { deps, runtime } = await openJobs(ctx.deps, globals().wiring, { supervise: false });
    try {
      const id = await deps.store.transaction((tx) => runtime.enqueue(tx, kind, payload(actor.id), { partyId: actor.id }));
      process.stdout.write(`${id}\n`);
    } finally {
      await runtime.stop(1_000);
    }
  });
}
