import { z } from 'zod';
import { DUTIES, SENSITIVE_COMMANDS, VULNERABILITY_COMPONENTS, type Vulnerability } from '../../domain/index.ts';
import { listCommandRequests, releaseHeldRequests, submitCommandRequest } from '../../services/anomaly-detection.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import { closeDuty, exemptDuty, listDuties, listVulnerabilities, obligationsReport, recordArrangement, recordSeenBy, recordVulnerability } from '../../services/obligations.ts';
import type { ZodApp } from '../zod-app.ts';
import { listQuery, pageOf, PROBLEM_RESPONSES, QueryBool } from '../schemas.ts';
import { AwarenessSchema, DutySchema, MaterialityBody, presentAwareness, presentDuty } from './section-g-schemas.ts';

const VulnerabilitySchema = z.object({
  id: z.string(),
  title: z.string(),
  manufacturer: z.string(),
  models: z.array(z.string()),
  firmwareVersions: z.array(z.string()),
  component: z.enum(VULNERABILITY_COMPONENTS),
  deviceTypes: z.array(z.string()),
  awarePartyId: z.string(),
  awareAt: z.string(),
  manufacturerAware: z.boolean(),
  description: z.string().nullable(),
  recordedAt: z.string(),
});
const presentVulnerability = (v: Vulnerability) => ({
  ...v,
  models: [...v.models],
  firmwareVersions: [...v.firmwareVersions],
  deviceTypes: [...v.deviceTypes],
  awareAt: v.awareAt.toISOString(),
  recordedAt: v.recordedAt.toISOString(),
});
const CommandRequestSchema = z.object({
  id: z.number().int(),
  partyId: z.string(),
  requestedBy: z.string(),
  commandType: z.enum(SENSITIVE_COMMANDS),
  target: z.string(),
  status: z.enum(['sent', 'held', 'released']),
  requestedAt: z.string(),
  releasedBy: z.string().nullable(),
  releasedAt: z.string().nullable(),
});
const tags = ['security obligations'];

export async function obligationRoutes(app: ZodApp, deps: ServiceDeps): Promise<void> {
  app.post(
    '/vulnerabilities',
    {
      schema: {
        tags,
        summary:
          "Record a vulnerability a User became aware of: records the caller's awareness (and materiality judgement, when given) and creates its own SEC G3.17-G3.20 duties, due from its awareness time; other parties owe nothing until they become aware (POST /v1/vulnerabilities/{id}/awareness). The answer counts the caller's own affected devices (the DCC: all)",
        body: z.strictObject({
          title: z.string().max(200),
          manufacturer: z.string().max(100),
          models: z.array(z.string().max(64)).max(100).optional(),
          firmwareVersions: z.array(z.string().max(64)).max(100).optional(),
          component: z.enum(VULNERABILITY_COMPONENTS),
          deviceTypes: z.array(z.string().max(16)).max(8).optional(),
          awareAt: z.iso.datetime({ offset: true }).max(40),
          manufacturerAware: z.boolean().optional(),
          description: z.string().max(4000).optional(),
          materiality: MaterialityBody.optional(),
        }),
        response: {
          201: z.object({ id: z.string(), affectedDevices: z.number().int(), awareness: AwarenessSchema, duties: z.array(DutySchema) }),
          ...PROBLEM_RESPONSES,
        },
      },
    },
    async (req, reply) => {
      const r = await recordVulnerability(deps, req.party, { ...req.body, awareAt: new Date(req.body.awareAt) }, undefined, req.principal);
      // The caller's own duties and devices (the DCC: all): other parties' are theirs to see.
      const seen = recordSeenBy(r, req.party);
      return reply
        .code(201)
        .send({ id: r.vulnerability.id, affectedDevices: seen.affectedDevices, awareness: presentAwareness(seen.awareness), duties: seen.duties.map(presentDuty) });
    },
  );

  app.post(
    '/arrangements',
    {
      schema: {
        tags,
        summary:
          'Record a standing G3.20 notification arrangement with a manufacturer, independent of any vulnerability (G3.21 exemption optional); GET /v1/reports/arrangement-gaps lists the fleet manufacturers without one',
        body: z.strictObject({ manufacturer: z.string().max(100), g321Exemption: z.boolean() }),
        response: { 204: z.null(), ...PROBLEM_RESPONSES },
      },
    },
    async (req, reply) => {
      await recordArrangement(deps, req.party, req.body.manufacturer, req.body.g321Exemption, req.principal);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/duties',
    {
      schema: {
        tags,
        summary: "The calling party's duties, soonest deadline first (the SSC: every notice to it; the DCC: all)",
        querystring: listQuery({
          overdue: QueryBool.optional().describe('only open duties past their deadline'),
          state: z.enum(['open', 'done', 'exempt']).optional(),
          duty: z.enum(DUTIES).optional(),
          vulnerabilityId: z.string().max(64).optional(),
        }),
        response: { 200: pageOf('duties', DutySchema), ...PROBLEM_RESPONSES },
      },
    },
    async (req) => {
      const { overdue, state, duty, vulnerabilityId, limit, cursor } = req.query;
      const page = await listDuties(deps, req.party, {
        overdue: overdue === true,
        ...(state ? { state } : {}),
        ...(duty ? { duty } : {}),
        ...(vulnerabilityId ? { vulnerabilityId } : {}),
        limit,
        cursor,
      });
      return { duties: page.items.map(presentDuty), next: page.next };
    },
  );

  app.get(
    '/vulnerabilities',
    {
      schema: {
        tags,
        summary: 'Vulnerabilities the calling party recorded, is aware of or owes a duty under (the SSC and the DCC: all), by id',
        querystring: listQuery({ manufacturer: z.string().max(100).optional(), component: z.enum(VULNERABILITY_COMPONENTS).optional() }),
        response: { 200: pageOf('vulnerabilities', VulnerabilitySchema), ...PROBLEM_RESPONSES },
      },
    },
    async (req) => {
      const { manufacturer, component, limit, cursor } = req.query;
      const page = await listVulnerabilities(deps, req.party, { ...(manufacturer ? { manufacturer } : {}), ...(component ? { component } : {}), limit, cursor });
      return { vulnerabilities: page.items.map(presentVulnerability), next: page.next };
    },
  );

  app.get(
    '/command-requests',
    {
      schema: {
        tags: ['anomaly detection'],
        summary: "The calling party's sensitive requests (the DCC: all), newest first: sent, held, released",
        querystring: listQuery({ status: z.enum(['sent', 'held', 'released']).optional(), commandType: z.enum(SENSITIVE_COMMANDS).optional() }),
        response: { 200: pageOf('requests', CommandRequestSchema), ...PROBLEM_RESPONSES },
      },
    },
    async (req) => {
      const { status, commandType, limit, cursor } = req.query;
      const page = await listCommandRequests(deps, req.party, { ...(status ? { status } : {}), ...(commandType ? { commandType } : {}), limit, cursor });
      return {
        requests: page.items.map((r) => ({ ...r, requestedAt: r.requestedAt.toISOString(), releasedAt: r.releasedAt?.toISOString() ?? null })),
        next: page.next,
      };
    },
  );

  app.post(
    '/duties/:id/done',
    {
      schema: {
        tags,
        summary: 'Close a duty with evidence of what was done; the SSC notice (G3.18(c)) also with the steps notified and the time they are intended to be completed by',
        params: z.strictObject({ id: z.string().max(64) }),
        body: z.strictObject({
          evidence: z.string().max(4000),
          steps: z.string().max(4000).optional().describe('G3.18(c), the SSC notice only: the steps being taken to rectify or mitigate'),
          completeBy: z.iso.datetime({ offset: true }).max(40).optional().describe('G3.18(c), the SSC notice only: the time within which those steps are intended to be completed'),
        }),
        response: { 200: DutySchema, ...PROBLEM_RESPONSES },
      },
    },
    async (req) => {
      const { evidence, steps, completeBy } = req.body;
      const closing = { evidence, ...(steps !== undefined ? { steps } : {}), ...(completeBy !== undefined ? { completeBy: new Date(completeBy) } : {}) };
      return presentDuty(await closeDuty(deps, req.party, req.params.id, closing, req.principal));
    },
  );

  app.post(
    '/duties/:id/exempt',
    {
      schema: {
        tags,
        summary: 'Exempt the manufacturer notice under G3.19, with the reason',
        params: z.strictObject({ id: z.string().max(64) }),
        body: z.strictObject({ reason: z.string().max(2000) }),
        response: { 200: DutySchema, ...PROBLEM_RESPONSES },
      },
    },
    async (req) => presentDuty(await exemptDuty(deps, req.party, req.params.id, req.body.reason, req.principal)),
  );

  app.get(
    '/reports/obligations',
    {
      schema: {
        tags,
        summary: "The calling party's duties: open, done, exempt, overdue",
        response: {
          200: z.object({
            partyId: z.string(),
            open: z.number(),
            done: z.number(),
            exempt: z.number(),
            overdue: z.number(),
            devicesCovered: z.number(),
            byDuty: z.record(z.string(), z.object({ open: z.number(), done: z.number(), exempt: z.number(), overdue: z.number() })),
          }),
          ...PROBLEM_RESPONSES,
        },
      },
    },
    async (req) => obligationsReport(deps, req.party),
  );

  app.post(
    '/command-requests',
    {
      schema: {
        tags: ['anomaly detection'],
        summary: 'A sensitive request through the volume check: sent, or held past the limit',
        body: z.strictObject({ commandType: z.enum(SENSITIVE_COMMANDS), target: z.string().max(64) }),
        response: { 201: z.object({ id: z.number().int(), status: z.enum(['sent', 'held', 'released']) }), ...PROBLEM_RESPONSES },
      },
    },
    async (req, reply) => reply.code(201).send(await submitCommandRequest(deps, req.party, req.person, req.body, undefined, req.principal)),
  );

  app.post(
    '/command-requests/release',
    {
      schema: {
        tags: ['anomaly detection'],
        summary: "Release the party's held requests of a type (a second person of the party)",
        body: z.strictObject({ commandType: z.enum(SENSITIVE_COMMANDS) }),
        response: { 200: z.object({ released: z.number().int() }), ...PROBLEM_RESPONSES },
      },
    },
    async (req) => ({ released: await releaseHeldRequests(deps, req.party, req.person, req.body.commandType, req.principal) }),
  );
}
