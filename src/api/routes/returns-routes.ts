import { z } from 'zod';
import { RETURN_STATES, type ReturnLine } from '../../domain/index.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import { exportHubReturnDuis } from '../../services/returns/duis-export.ts';
import { refurbish, reinstall, scrap } from '../../services/returns/refurbish.ts';
import { returnsReport, returnsReportCsv, STOCK_LOCATIONS_DEFAULT, STOCK_LOCATIONS_MAX } from '../../services/returns/returns-analytics.ts';
import {
  createReturn,
  listFacilities,
  listReturnLines,
  listReturns,
  MAX_RETURN_LINES,
  registerFacility,
  removalNotices,
  showReturn,
  showReturnLine,
} from '../../services/returns/returns.ts';
import { grantSecureStatus, revokeSecureStatus } from '../../services/returns/facility-grants.ts';
import { handOver, triage } from '../../services/returns/triage.ts';
import type { ZodApp } from '../zod-app.ts';
import { streamTriage, wantsNdjson } from './triage-stream.ts';
import { listQuery, pageOf, PROBLEM_RESPONSES, QueryBool } from '../schemas.ts';

const tags = ['returns and triage'];
const Any = z.record(z.string(), z.unknown());
const Id = z.strictObject({ id: z.string().max(120) });
const json = <T>(v: T) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
const line = (l: ReturnLine) => json(l);

export async function returnsRoutes(app: ZodApp, deps: ServiceDeps): Promise<void> {
  app.post(
    '/facilities',
    {
      schema: {
        tags,
        summary: 'Register a triage facility, not secure: its secure status is granted by another party (POST /v1/facilities/{id}/secure-grant)',
        description: '`secure: true` or `smets2Triage: true` is refused (403, rule `secure-status-granted`): the owner does not declare them.',
        body: z.strictObject({ id: z.string().max(64), name: z.string().max(200), secure: z.boolean().optional(), smets2Triage: z.boolean().optional() }),
        response: { 201: Any, ...PROBLEM_RESPONSES },
      },
    },
    async (req, reply) => reply.code(201).send(json(await registerFacility(deps, req.party, req.body, req.principal))),
  );
  app.post(
    '/facilities/:id/secure-grant',
    {
      schema: {
        tags,
        summary: "Grant a facility secure status (and optionally SMETS2 triage): the DCC or the SSC (governance.triage.secureStatusGrantedBy), never the facility's owner",
        params: Id,
        body: z.strictObject({ basis: z.string().max(200), smets2Triage: z.boolean().optional() }),
        response: { 200: Any, ...PROBLEM_RESPONSES },
      },
    },
    async (req) => json(await grantSecureStatus(deps, req.party, req.params.id, req.body, req.principal)),
  );
  app.post(
    '/facilities/:id/secure-revoke',
    {
      schema: {
        tags,
        summary: "Revoke a facility's secure status, with the reason (the DCC or the SSC): triage there is refused from then on",
        params: Id,
        body: z.strictObject({ reason: z.string().max(200) }),
        response: { 200: Any, ...PROBLEM_RESPONSES },
      },
    },
    async (req) => json(await revokeSecureStatus(deps, req.party, req.params.id, req.body, req.principal)),
  );

  app.post(
    '/returns',
    {
      schema: {
        tags,
        summary: 'A return order: one line per device; each device is removed, its DNO notified',
        body: z.strictObject({
          reference: z.string().max(100).optional(),
          lines: z
            .array(z.strictObject({ deviceEui: z.string().max(32), reason: z.string().max(64), found: z.string().max(32).optional(), changeOfSupplier: z.boolean().optional() }))
            .max(MAX_RETURN_LINES),
        }),
        response: { 201: Any, ...PROBLEM_RESPONSES },
      },
    },
    async (req, reply) => reply.code(201).send(json(await createReturn(deps, req.party, req.person, req.body, req.principal))),
  );

  app.get(
    '/facilities',
    {
      schema: {
        tags,
        summary: "The calling party's triage facilities (the DCC: all), by id",
        querystring: listQuery({ secure: QueryBool.optional(), smets2Triage: QueryBool.optional() }),
        response: { 200: pageOf('facilities', Any), ...PROBLEM_RESPONSES },
      },
    },
    async (req) => {
      const { secure, smets2Triage, limit, cursor } = req.query;
      const page = await listFacilities(deps, req.party, { ...(secure !== undefined ? { secure } : {}), ...(smets2Triage !== undefined ? { smets2Triage } : {}), limit, cursor });
      return { facilities: page.items.map(json), next: page.next };
    },
  );

  app.get(
    '/returns',
    {
      schema: {
        tags,
        summary: "The calling party's return orders (the DCC: all), by id",
        querystring: listQuery({ reference: z.string().max(100).optional() }),
        response: { 200: pageOf('returns', Any), ...PROBLEM_RESPONSES },
      },
    },
    async (req) => {
      const { reference, limit, cursor } = req.query;
      const page = await listReturns(deps, req.party, { ...(reference ? { reference } : {}), limit, cursor });
      return { returns: page.items.map(json), next: page.next };
    },
  );

  app.get('/returns/:id', { schema: { tags, summary: 'A return order and its lines', params: Id, response: { 200: Any, ...PROBLEM_RESPONSES } } }, async (req) =>
    json(await showReturn(deps, req.party, req.params.id)),
  );

  app.get(
    '/returns/:id/duis',
    {
      schema: {
        tags,
        summary: 'The hub return as a DUIS 8.14.3/8.14.4 request (application/xml)',
        params: Id,
        querystring: z.strictObject({
          line: z.coerce.number().int().optional(),
          incidentReference: z.string().max(100).optional(),
          userRefId: z.string().max(100).optional(),
          additionalInformation: z.string().max(1000).optional(),
        }),
      },
    },
    async (req, reply) => {
      const q = req.query;
      const xml = await exportHubReturnDuis(deps, req.party, req.params.id, {
        ...(q.line !== undefined ? { line: q.line } : {}),
        ...(q.incidentReference ? { incidentReference: q.incidentReference } : {}),
        ...(q.userRefId ? { userRefId: q.userRefId } : {}),
        ...(q.additionalInformation ? { additionalInformation: q.additionalInformation } : {}),
      });
      return reply.type('application/xml').send(xml);
    },
  );

  app.get(
    '/return-lines',
    {
      schema: {
        tags,
        summary: 'Return lines you returned, hold or have handled (the DCC: all), by id',
        querystring: listQuery({ state: z.enum(RETURN_STATES).optional(), returnId: z.string().max(120).optional(), deviceEui: z.string().max(32).optional() }),
        response: { 200: pageOf('lines', Any), ...PROBLEM_RESPONSES },
      },
    },
    async (req) => {
      const { state, returnId, deviceEui, limit, cursor } = req.query;
      const page = await listReturnLines(deps, req.party, { ...(state ? { state } : {}), ...(returnId ? { returnId } : {}), ...(deviceEui ? { deviceEui } : {}), limit, cursor });
      return { lines: page.items.map(line), next: page.next };
    },
  );
  app.get(
    '/return-lines/:id',
    {
      schema: { tags, summary: 'A return line with its history (custody, triage passes, refurbishment, reinstallation)', params: Id, response: { 200: Any, ...PROBLEM_RESPONSES } },
    },
    async (req) => json(await showReturnLine(deps, req.party, req.params.id)),
  );

  app.post(
    '/return-lines/:id/handover',
    {
      schema: {
        tags,
        summary: 'Hand over custody (party, site, seals)',
        params: Id,
        body: z.strictObject({
          toPartyId: z.string().max(64),
          site: z.string().max(100),
          seals: z
            .array(z.strictObject({ id: z.string().max(40), intact: z.boolean() }))
            .max(20)
            .optional(),
          note: z.string().max(500).optional(),
        }),
        response: { 200: Any, ...PROBLEM_RESPONSES },
      },
    },
    async (req) => line(await handOver(deps, req.party, req.params.id, req.body, req.principal)),
  );
  app.post(
    '/return-lines/:id/triage',
    {
      schema: {
        tags,
        summary: 'One triage pass at your secure facility (gold or bronze); with Accept: application/x-ndjson, each step as it runs',
        description: [
          'Runs the plan on the bench and answers the return line and the bench result, in one transaction.',
          'With `Accept: application/x-ndjson` (a meterops extension) the same pass is streamed, 200 `application/x-ndjson`, one JSON object per line:',
          '`{"kind":"started","lineId","deviceEui","facilityId","method","steps"}` once every refusal check has passed,',
          '`{"kind":"step","index","total","step":{step,result,observations,fault?}}` per step as the bench finishes it,',
          'then `{"kind":"done","line","result"}` after the commit (exactly the JSON answer), or `{"kind":"problem",...problem+json fields}`',
          'if the pass failed after it started (the transaction has rolled back: nothing is written).',
          "The answer names the governance setting that let the party triage (`governance.setting`) and whether it is a meterops extension of the papers' rule (`governance.extension`).",
          'Refusals (bad input, not the custodian, seals, not a secure facility, a party governance does not let triage the device, already triaged) answer their problem+json 4xx before any stream begins.',
          'A client that disconnects does not cancel the pass; read the return line back.',
        ].join(' '),
        params: Id,
        body: z.strictObject({ facilityId: z.string().max(64), method: z.enum(['gold', 'bronze']), steps: z.array(z.string().max(32)).max(10).optional() }),
        response: { 200: Any, ...PROBLEM_RESPONSES },
      },
    },
    async (req, reply) => {
      if (!wantsNdjson(req)) return json(await triage(deps, req.party, req.params.id, req.body, req.principal));
      return streamTriage(req, reply, (events) => triage(deps, req.party, req.params.id, req.body, req.principal, events));
    },
  );
  app.post(
    '/return-lines/:id/refurbish',
    {
      schema: {
        tags,
        summary: 'Vanilla credentials, factory reset (or scrap), re-seal, grade, stock',
        params: Id,
        body: z.strictObject({ grade: z.string().max(2), location: z.string().max(100), newSeals: z.array(z.string().max(40)).max(20).optional() }),
        response: { 200: Any, ...PROBLEM_RESPONSES },
      },
    },
    async (req) => line(await refurbish(deps, req.party, req.params.id, req.body, req.principal)),
  );
  app.post(
    '/return-lines/:id/scrap',
    { schema: { tags, summary: 'Scrap a triaged device', params: Id, body: z.strictObject({ reason: z.string().max(200) }), response: { 200: Any, ...PROBLEM_RESPONSES } } },
    async (req) => line(await scrap(deps, req.party, req.params.id, req.body.reason, req.principal)),
  );
  app.post(
    '/return-lines/:id/reinstall',
    {
      schema: {
        tags,
        summary: 'Reinstall at a premise: NO cell handed to the MPAN region (SRV 6.21, CS02b)',
        params: Id,
        body: z.strictObject({ premiseId: z.string().max(64) }),
        response: { 200: Any, ...PROBLEM_RESPONSES },
      },
    },
    async (req) => line(await reinstall(deps, req.party, req.params.id, req.body.premiseId, req.principal)),
  );

  app.get(
    '/removal-notices',
    {
      schema: {
        tags,
        summary: "Removal notices, newest first: a DNO's are the removals in its region; any party sees the removals it made; the DCC all",
        querystring: listQuery({ distributorId: z.coerce.number().int().optional(), deviceEui: z.string().max(32).optional() }),
        response: { 200: pageOf('notices', Any), ...PROBLEM_RESPONSES },
      },
    },
    async (req) => {
      const { distributorId, deviceEui, limit, cursor } = req.query;
      const page = await removalNotices(deps, req.party, { ...(distributorId !== undefined ? { distributorId } : {}), ...(deviceEui ? { deviceEui } : {}), limit, cursor });
      return { notices: page.items.map(json), next: page.next };
    },
  );
  app.get(
    '/reports/returns',
    {
      schema: {
        tags,
        summary:
          'Returns analytics: NFF rates by dimension (model, manufacturer, party, reason, SMETS generation, device type, found before/after installation, age in service), costs, stock locations (by device type and by variant), CH + meter incidents attributed (JSON, or CSV with format=csv)',
        querystring: z.strictObject({
          excludeChangeOfSupplier: z.enum(['true', 'false']).optional(),
          format: z.enum(['json', 'csv']).optional(),
          stockLocationLimit: z.coerce
            .number()
            .optional()
            .describe(`how many stock locations stockByLocation lists, the fullest first: 1 to ${STOCK_LOCATIONS_MAX} (meterops' default ${STOCK_LOCATIONS_DEFAULT})`),
        }),
      },
    },
    async (req, reply) => {
      const r = await returnsReport(deps, req.party, {
        excludeChangeOfSupplier: req.query.excludeChangeOfSupplier === 'true',
        ...(req.query.stockLocationLimit !== undefined ? { stockLocationLimit: req.query.stockLocationLimit } : {}),
      });
      return req.query.format === 'csv' ? reply.type('text/csv').send(returnsReportCsv(r)) : reply.send(r);
    },
  );
}
