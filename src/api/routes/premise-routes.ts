import { z } from 'zod';
import type { ServiceDeps } from '../../services/deps.ts';
import { createPremise, installDevice, listPremises, showPremise } from '../../services/premises.ts';
import type { ZodApp } from '../zod-app.ts';
import { EuiParam, InstallationSchema, PremiseSchema, presentInstallation, presentPremise, PROBLEM_RESPONSES, listQuery, pageOf } from '../schemas.ts';

const errors = PROBLEM_RESPONSES;
const tags = ['premises'];

export async function premiseRoutes(app: ZodApp, deps: ServiceDeps): Promise<void> {
  app.post(
    '/premises',
    {
      schema: {
        tags,
        summary: 'Record a premise (MPAN core and/or MPRN, postcode)',
        body: z.strictObject({
          mpan: z.string().max(20).optional(),
          mprn: z.string().max(20).optional(),
          postcode: z.string().max(10),
          supplierPartyId: z.string().max(64).optional(),
        }),
        response: { 201: PremiseSchema, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(presentPremise(await createPremise(deps, req.party, req.body, req.principal))),
  );

  app.get(
    '/premises',
    {
      schema: {
        tags,
        summary: 'Premises the calling party supplies (a DNO: also those of its region; the DCC: all), by id',
        querystring: listQuery({
          supplierPartyId: z.string().max(64).optional(),
          distributorId: z.coerce.number().int().optional().describe('the MPAN distributor id (10-23: the 14 DNO areas)'),
          postcode: z.string().max(10).optional(),
        }),
        response: { 200: pageOf('premises', PremiseSchema), ...errors },
      },
    },
    async (req) => {
      const { supplierPartyId, distributorId, postcode, limit, cursor } = req.query;
      const page = await listPremises(deps, req.party, {
        ...(supplierPartyId ? { supplierPartyId } : {}),
        ...(distributorId !== undefined ? { distributorId } : {}),
        ...(postcode ? { postcode } : {}),
        limit,
        cursor,
      });
      return { premises: page.items.map(presentPremise), next: page.next };
    },
  );

  app.get(
    '/premises/:id',
    {
      schema: {
        tags,
        summary: 'A premise with its installed devices and their hub',
        params: z.strictObject({ id: z.string().max(64) }),
        response: { 200: PremiseSchema, ...errors },
      },
    },
    async (req) => presentPremise(await showPremise(deps, req.party, req.params.id)),
  );

  app.post(
    '/premises/:id/installations',
    {
      schema: {
        tags,
        summary: 'Install a device at the premise, joined to its hub',
        params: z.strictObject({ id: z.string().max(64) }),
        body: z.strictObject({ eui: EuiParam, hubEui: EuiParam.optional() }),
        response: { 201: InstallationSchema, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(presentInstallation(await installDevice(deps, req.party, req.params.id, req.body, req.principal))),
  );
}
