import { z } from 'zod';
import { arrangementGapsReport } from '../../services/arrangement-gaps.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import { awarenessSeenBy, judgeMateriality, recordAwareness } from '../../services/vulnerability-awareness.ts';
import type { ZodApp } from '../zod-app.ts';
import { PROBLEM_RESPONSES } from '../schemas.ts';
import { AwarenessSchema, DutySchema, MaterialityBody, presentAwareness, presentDuty } from './section-g-schemas.ts';

const tags = ['security obligations'];
const ManufacturerCount = z.object({ manufacturer: z.string(), devices: z.number().int() });

/** SEC Section G awareness per party, the materiality judgement, and the standing G3.20 arrangement check. */
export async function awarenessRoutes(app: ZodApp, deps: ServiceDeps): Promise<void> {
  app.post(
    '/vulnerabilities/:id/awareness',
    {
      schema: {
        tags,
        summary:
          'Record that a party became aware of a vulnerability, and when: acknowledged by the caller itself, or notified by meterops on behalf of a party already aware (or the DCC), at the delivery time. Its G3.17 duties arise then, due from that time; the answer shows them only to that party (and the DCC)',
        params: z.strictObject({ id: z.string().max(64) }),
        body: z.strictObject({
          basis: z.enum(['notified', 'acknowledged']),
          partyId: z.string().max(64).optional().describe('notified: the party notified (required); acknowledged: the caller (may be left out)'),
          awareAt: z.iso.datetime({ offset: true }).max(40).optional().describe('when it became aware: the delivery time of the notice; default now'),
          manufacturerAware: z.boolean().optional().describe('acknowledged only: G3.19, satisfied the manufacturer already knows'),
          materiality: MaterialityBody.optional().describe('acknowledged only: your judgement of "material"'),
        }),
        response: { 201: z.object({ awareness: AwarenessSchema, duties: z.array(DutySchema) }), ...PROBLEM_RESPONSES },
      },
    },
    async (req, reply) => {
      const { awareAt, ...rest } = req.body;
      const r = await recordAwareness(deps, req.party, req.params.id, { ...rest, ...(awareAt ? { awareAt: new Date(awareAt) } : {}) }, undefined, req.principal);
      const seen = awarenessSeenBy(r, req.party);
      return reply.code(201).send({ awareness: presentAwareness(seen.awareness), duties: seen.duties.map(presentDuty) });
    },
  );

  app.post(
    '/vulnerabilities/:id/materiality',
    {
      schema: {
        tags,
        summary:
          "Record the caller's judgement of whether a vulnerability it is aware of is material (G3.17), once: who judged, when, yes or no, why. Not material: its open duties under it become exempt",
        params: z.strictObject({ id: z.string().max(64) }),
        body: MaterialityBody,
        response: { 200: z.object({ awareness: AwarenessSchema, exempted: z.number().int() }), ...PROBLEM_RESPONSES },
      },
    },
    async (req) => {
      const r = await judgeMateriality(deps, req.party, req.params.id, req.body, req.principal);
      return { awareness: presentAwareness(r.awareness), exempted: r.exempted };
    },
  );

  app.get(
    '/reports/arrangement-gaps',
    {
      schema: {
        tags,
        summary:
          'G3.20(b), before any vulnerability: per User, the manufacturers of the devices it is the Responsible Supplier for (SMETS2+ CHFs and GPFs excluded) with no arrangement recorded. A User sees its own; the DCC and the SSC every User',
        response: {
          200: z.object({
            clause: z.string(),
            users: z.array(z.object({ partyId: z.string(), missing: z.array(ManufacturerCount), covered: z.array(ManufacturerCount) })),
          }),
          ...PROBLEM_RESPONSES,
        },
      },
    },
    async (req) => {
      const r = await arrangementGapsReport(deps, req.party);
      return { clause: r.clause, users: r.users.map((u) => ({ partyId: u.partyId, missing: [...u.missing], covered: [...u.covered] })) };
    },
  );
}
