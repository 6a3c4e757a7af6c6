import type { Command } from 'commander';
import type { NoticeDelivery, WebhookEndpoint } from '../../domain/index.ts';
import { actingParty, withContext, type GlobalFlags } from '../context.ts';
import { pageArgs, printPage, withPageOptions } from '../page-options.ts';
import { printJson } from '../print-json.ts';

// Loaded by the command that runs them, so that `meterops --help` loads none of the use cases.
const loadEndpoints = () => import('../../services/notices/webhook-endpoints.ts');
const loadLog = () => import('../../services/notices/delivery-log.ts');
const loadJobRuntime = () => import('../job-runtime.ts');

const endpointLine = (e: WebhookEndpoint) => `${e.id}  ${e.enabled ? 'enabled ' : 'disabled'}  ${e.eventTypes.join(',')}  ${e.url}`;
const deliveryLine = (d: NoticeDelivery) => `${String(d.id).padEnd(6)}  ${d.state.padEnd(9)}  attempts ${d.attempts}/${d.maxAttempts}  ${d.noticeId}  ${d.endpointId}`;

export function noticeCommands(program: Command, globals: () => GlobalFlags): void {
  const webhooks = program.command('webhooks').description("your party's webhook endpoints: where its notices are delivered, signed (Standard Webhooks)");
  webhooks
    .command('create')
    .description('a webhook endpoint, as JSON: its signing secret (whsec_…) is shown this once')
    .requiredOption('--as <party>', 'the party whose endpoint it is')
    .requiredOption('--url <url>', 'where notices are POSTed (http:// or https://)')
    .option('--event <type...>', 'event types it receives', ['device.removed'])
    .action(async (o: { as: string; url: string; event: string[] }) =>
      withContext(globals, async (ctx) => {
        const r = await (await loadEndpoints()).createEndpoint(ctx.deps, await actingParty(ctx.deps, o.as), { url: o.url, eventTypes: o.event });
        printJson(r);
      }),
    );
  webhooks
    .command('list')
    .description("your party's endpoints: id, enabled, event types, URL (never their secrets)")
    .requiredOption('--as <party>', 'the party asking')
    .option('--json', 'as JSON')
    .action(async (o: { as: string; json?: boolean }) =>
      withContext(globals, async (ctx) => {
        const list = await (await loadEndpoints()).listEndpoints(ctx.deps, await actingParty(ctx.deps, o.as));
        if (o.json) printJson({ webhooks: list });
        else process.stdout.write((list.length ? list.map(endpointLine).join('\n') : 'no webhooks') + '\n');
      }),
    );
  for (const [verb, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const)
    webhooks
      .command(`${verb} <id>`)
      .description(enabled ? 'deliver to this endpoint again' : 'stop new deliveries to this endpoint (pending ones are dead-lettered when due)')
      .requiredOption('--as <party>', 'the party whose endpoint it is')
      .action(async (id: string, o: { as: string }) =>
        withContext(globals, async (ctx) => {
          process.stdout.write(endpointLine(await (await loadEndpoints()).updateEndpoint(ctx.deps, await actingParty(ctx.deps, o.as), id, { enabled })) + '\n');
        }),
      );

  webhooks
    .command('receive')
    .description(
      'a receiver for trying an endpoint out: checks each message (Standard Webhooks signature, timestamp within 5 minutes), prints the good ones as JSON lines, refuses the others 401',
    )
    .requiredOption('--port <port>', 'the port to listen on (loopback)')
    .option('--secret <whsec>', "the endpoint's secret (default: METEROPS_WEBHOOK_SECRET)")
    .option('--count <n>', 'exit after this many accepted messages')
    .action(async (o: { port: string; secret?: string; count?: string }) => {
      const { receiveWebhooks } = await import('../webhook-receiver.ts');
      await receiveWebhooks({ port: o.port, secret: o.secret ?? process.env.METEROPS_WEBHOOK_SECRET, count: o.count });
    });

  const notices = program.command('notices').description("the delivery log of your party's notices: deliveries, attempts, replay");
  withPageOptions(
    notices
      .command('deliveries')
      .description("your party's deliveries, newest first: id, state, attempts, webhook-id, endpoint")
      .requiredOption('--as <party>', 'the party asking')
      .option('--state <state>', 'pending, delivered or dead'),
  ).action(async (o: { as: string; state?: string; limit?: string; cursor?: string; json?: boolean }) =>
    withContext(globals, async (ctx) => {
      const page = await (await loadLog()).listDeliveries(ctx.deps, await actingParty(ctx.deps, o.as), { ...pageArgs(o), ...(o.state ? { state: o.state } : {}) });
      printPage(page, o, 'deliveries', deliveryLine, 'no deliveries');
    }),
  );
  notices
    .command('show <deliveryId>')
    .description('one delivery as JSON: its notice and every attempt (when, status code or error, latency)')
    .requiredOption('--as <party>', 'the party asking')
    .action(async (id: string, o: { as: string }) =>
      withContext(globals, async (ctx) => {
        printJson(await (await loadLog()).showDelivery(ctx.deps, await actingParty(ctx.deps, o.as), Number(id)));
      }),
    );
  notices
    .command('replay <deliveryId>')
    .description('one more attempt of a delivered or dead-lettered delivery (a worker makes it: `meterops worker`)')
    .requiredOption('--as <party>', 'the party replaying')
    .action(async (id: string, o: { as: string }) =>
      withContext(globals, async (ctx) => {
        // The attempt is queued in the replay's transaction, for whichever worker takes it.
        const { openJobs } = await loadJobRuntime();
        const { deps, runtime } = await openJobs(ctx.deps, globals().wiring, { supervise: false });
        try {
          const d = await (await loadLog()).replayDelivery(deps, await actingParty(deps, o.as), Number(id));
          process.stdout.write(deliveryLine(d) + '\n');
        } finally {
          await runtime.stop(1_000);
        }
      }),
    );
}
