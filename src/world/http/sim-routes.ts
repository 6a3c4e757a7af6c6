import { parseEui } from '../../domain/index.ts';
import { LocalPortError } from '../devices/local-port.ts';
import { ConflictError } from '../../domain/errors.ts';
import { fromHex } from '../../gbcs/byte-reader.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import { SimulatedPorts, typeOnKeypad } from '../sim-ports.ts';
import type { ZodApp } from '../../api/zod-app.ts';
import type { SimulatedWorld } from '../simulated-world.ts';

const tags = ['simulated devices'];

async function port<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof LocalPortError) throw new ConflictError(e.code.toLowerCase().replace(/_/g, '-'), e.message);
    throw e;
  }
}

/**
 * The simulated world, not the platform: the local port and keypad of a simulated fleet device,
 * as an engineer's HHT or a consumer reaches them at the premise. No party key: a device's port
 * answers whoever is in front of it, and trusts only what is signed.
 */
export async function simRoutes(app: ZodApp, world: SimulatedWorld, deps: ServiceDeps): Promise<void> {
  // Loaded with the server only, so that a CLI command does not pay for zod and the API schemas.
  const { z } = await import('zod');
  const { EuiParam, PROBLEM_RESPONSES } = await import('../../api/schemas.ts');
  const Any = z.record(z.string(), z.unknown());
  const params = z.object({ eui: EuiParam });
  const ports = new SimulatedPorts(world, deps);
  app.post(
    '/devices/:eui/port/join-window',
    { schema: { tags, summary: 'Press the button: open the 60-minute join window', params, response: { 200: Any, ...PROBLEM_RESPONSES } } },
    async (req) => port(async () => (await ports.openJoinWindow(parseEui(req.params.eui)), { open: true })),
  );
  app.post(
    '/devices/:eui/port/pair',
    {
      schema: {
        tags,
        summary: 'Pair an HHT, with its signed pairing authorisation (hex)',
        params,
        body: z.object({ client: EuiParam, authorisation: z.string().max(512).optional() }),
        response: { 200: Any, ...PROBLEM_RESPONSES },
      },
    },
    async (req) =>
      port(
        async () => (
          await ports.pair(parseEui(req.params.eui), parseEui(req.body.client, 'client'), req.body.authorisation ? fromHex(req.body.authorisation) : undefined),
          { paired: true }
        ),
      ),
  );
  app.post(
    '/devices/:eui/port/send',
    {
      schema: {
        tags,
        summary: 'Deliver a command frame (hex) over the local port; the device response or refusal',
        params,
        body: z.object({ client: EuiParam, frame: z.string().max(4096) }),
        response: { 200: Any, ...PROBLEM_RESPONSES },
      },
    },
    async (req) => port(async () => ({ ...(await ports.send(parseEui(req.params.eui), parseEui(req.body.client, 'client'), fromHex(req.body.frame))) })),
  );
  app.post(
    '/devices/:eui/keypad',
    {
      schema: {
        tags,
        summary: 'A consumer types a UTRN or configuration code on the meter',
        params,
        body: z.object({ code: z.string().max(40) }),
        response: { 200: Any, ...PROBLEM_RESPONSES },
      },
    },
    async (req) => ({ ...(await typeOnKeypad(world, deps, parseEui(req.params.eui), req.body.code)) }),
  );
}
