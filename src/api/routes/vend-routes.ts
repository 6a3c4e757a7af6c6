import { z } from 'zod';
import { parseEui } from '../../domain/index.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import { listVends, reprint, vend } from '../../services/vending.ts';
import type { Vend } from '../../domain/index.ts';
import type { ZodApp } from '../zod-app.ts';
import { EuiParam, listQuery, pageOf, PROBLEM_RESPONSES } from '../schemas.ts';

const VendSchema = z.object({
  id: z.string(),
  idempotencyKey: z.string(),
  deviceEui: z.string(),
  kind: z.enum(['credit', 'config']),
  code: z.string(),
  counter: z.string(),
  pence: z.number().int(),
  createdAt: z.string(),
});
const present = (v: Vend) => ({
  id: v.id,
  idempotencyKey: v.idempotencyKey,
  deviceEui: v.deviceEui,
  kind: v.kind,
  code: v.code,
  counter: v.counter.toString(),
  pence: v.pence,
  createdAt: v.createdAt.toISOString(),
});
const tags = ['vending'];

export async function vendRoutes(app: ZodApp, deps: ServiceDeps): Promise<void> {
  app.post(
    '/vends',
    {
      schema: {
        tags,
        summary: 'Vend a UTRN (or a configuration code, a meterops extension) under a client idempotency key: 201 new, 200 the same code again',
        headers: z.object({ 'idempotency-key': z.string().max(100) }),
        body: z.discriminatedUnion('kind', [
          z.strictObject({ kind: z.literal('credit'), deviceEui: EuiParam, value: z.number().int(), valueClass: z.enum(['pounds', 'pennies']) }),
          z.strictObject({ kind: z.literal('config'), deviceEui: EuiParam, action: z.enum(['switchToCreditMode', 'enableSupply']) }),
        ]),
        response: { 200: VendSchema, 201: VendSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const r = await vend(
        deps,
        req.party,
        req.person,
        req.headers['idempotency-key'],
        b.kind === 'credit' ? { ...b, deviceEui: parseEui(b.deviceEui, 'deviceEui') } : { ...b, deviceEui: parseEui(b.deviceEui, 'deviceEui') },
        req.principal,
      );
      return reply.code(r.created ? 201 : 200).send(present(r.vend));
    },
  );

  app.get(
    '/vends',
    {
      schema: {
        tags,
        summary: "The calling Supplier's vends (the DCC: all), newest first",
        querystring: listQuery({ deviceEui: EuiParam.optional(), kind: z.enum(['credit', 'config']).optional() }),
        response: { 200: pageOf('vends', VendSchema), ...PROBLEM_RESPONSES },
      },
    },
    async (req) => {
      const { deviceEui, kind, limit, cursor } = req.query;
      const page = await listVends(deps, req.party, { ...(deviceEui ? { deviceEui } : {}), ...(kind ? { kind } : {}), limit, cursor });
      return { vends: page.items.map(present), next: page.next };
    },
  );

  app.get(
    '/vends/:idempotencyKey',
    {
      schema: {
        tags,
        summary: 'Reprint: the code vended under a key',
        params: z.strictObject({ idempotencyKey: z.string().max(100) }),
        response: { 200: VendSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (req) => present(await reprint(deps, req.party, req.params.idempotencyKey)),
  );
}
