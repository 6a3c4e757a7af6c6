import { z } from 'zod';
import type { ServiceDeps } from '../../services/deps.ts';
import { createPremise, installDevice, showPremise } from '../../services/premises.ts';
import type { ZodApp } from '../zod-app.ts';
import { EuiParam, InstallationSchema, PremiseSchema, presentInstallation, presentPremise, PROBLEM_RESPONSES } from '../schemas.ts';

const errors = PROBLEM_RESPONSES;
const tags = ['premises'];

export async function premiseRoutes(app: ZodApp, deps: ServiceDeps): Promise<void> {
  app.post(
    '/premises',
    {
      schema: {
        tags,
        summary: 'Record a premise (MPAN core and/or MPRN, postcode)',
        body: z.object({
          mpan: z.string().max(20).optional(),
          mprn: z.string().max(20).optional(),
          postcode: z.string().max(10),
          supplierPartyId: z.string().max(64).optional(),
        }),
        response: { 201: PremiseSchema, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(presentPremise(await createPremise(deps, req.party, req.body))),
  );

  app.get(
    '/premises/:id',
    { schema: { tags, summary: 'A premise with its installed devices and their hub', params: z.object({ id: z.string().max(64) }), response: { 200: PremiseSchema, ...errors } } },
    async (req) => presentPremise(await showPremise(deps, req.party, req.params.id)),
  );

  app.post(
    '/premises/:id/installations',
    {
      schema: {
        tags,
        summary: 'Install a device at the premise, joined to its hub',
        params: z.object({ id: z.string().max(64) }),
        body: z.object({ eui: EuiParam, hubEui: EuiParam.optional() }),
        response: { 201: InstallationSchema, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(presentInstallation(await installDevice(deps, req.party, req.params.id, req.body))),
  );
}
