import { z } from 'zod';
import { ForbiddenError } from '../../domain/index.ts';
import { verifyAudit } from '../../services/audit.ts';
import { auditConsistencyProof, auditInclusionProof, latestTreeHead, listAuditEntries } from '../../services/audit-proofs.ts';
import { LIMITS } from '../../services/deps.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import type { ZodApp } from '../zod-app.ts';
import { PROBLEM_RESPONSES } from '../schemas.ts';

const tags = ['audit'];
const TreeHead = z.object({ treeSize: z.number().int(), rootHash: z.string(), timestamp: z.string(), keyId: z.string(), signature: z.string().describe('Ed25519, base64') });
const Problem = z.object({ id: z.number().int().nullable(), position: z.number().int().nullable(), reason: z.string() });
const Entry = z.object({ id: z.number().int(), at: z.string(), actorPartyId: z.string(), action: z.string(), entity: z.string(), details: z.string() });
const TreeSize = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** The audit Merkle log: verification (DCC), signed heads, the key, inclusion and consistency proofs. */
export async function auditRoutes(app: ZodApp, deps: ServiceDeps): Promise<void> {
  app.get(
    '/audit/verify',
    {
      schema: {
        tags,
        summary: 'Check every leaf and every signed tree head of the audit log (DCC only); pending entries are counted, not faulted',
        response: {
          200: z.object({
            entries: z.number().int(),
            integrated: z.number().int(),
            pending: z.number().int(),
            oldestPending: z.string().nullable(),
            heads: z.number().int(),
            treeSize: z.number().int(),
            retainedFrom: z.number().int(),
            valid: z.boolean(),
            firstBroken: Problem.nullable(),
            problems: z.array(Problem),
            problemCount: z.number().int(),
          }),
          ...PROBLEM_RESPONSES,
        },
      },
    },
    async (req) => {
      if (req.party.role !== 'dcc') throw new ForbiddenError('audit-scope', 'only the DCC party verifies the whole audit log');
      const v = await verifyAudit(deps.store, [deps.auditKey.publicKey]);
      return { ...v, oldestPending: v.oldestPending?.toISOString() ?? null };
    },
  );

  app.get(
    '/audit/key',
    {
      schema: {
        tags,
        summary: "The log's public key (Ed25519, SPKI PEM), to check signed heads with",
        response: { 200: z.object({ keyId: z.string(), publicKey: z.string() }), ...PROBLEM_RESPONSES },
      },
    },
    async () => ({ keyId: deps.auditKey.keyId, publicKey: deps.auditKey.publicKey.export({ type: 'spki', format: 'pem' }).toString() }),
  );

  app.get('/audit/heads/latest', { schema: { tags, summary: 'The latest signed tree head', response: { 200: TreeHead, ...PROBLEM_RESPONSES } } }, async () => latestTreeHead(deps));

  app.get(
    '/audit/entries',
    {
      schema: {
        tags,
        summary: 'The audit entries the party may see (its own acts; the DCC all), by id, with their leaf positions (null while pending)',
        querystring: z.object({
          after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
          limit: z.coerce.number().int().min(1).max(LIMITS.pageSize).optional(),
        }),
        response: { 200: z.object({ entries: z.array(Entry.extend({ leafIndex: z.number().int().nullable() })), next: z.number().int().nullable() }), ...PROBLEM_RESPONSES },
      },
    },
    async (req) => {
      const limit = req.query.limit ?? 100;
      const rows = await listAuditEntries(deps, req.party, { ...(req.query.after !== undefined ? { after: req.query.after } : {}), limit });
      return {
        entries: rows.map((r) => ({ ...r.entry, at: r.entry.at.toISOString(), leafIndex: r.leafIndex })),
        next: rows.length === limit ? rows[rows.length - 1]!.entry.id : null,
      };
    },
  );

  app.get(
    '/audit/entries/:id/inclusion',
    {
      schema: {
        tags,
        summary: 'Inclusion proof (RFC 9162 section 2.1.3) of an entry the party may see, in the latest signed tree or the one of treeSize leaves',
        params: z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }),
        querystring: z.object({ treeSize: TreeSize.optional() }),
        response: {
          200: z.object({
            entry: Entry,
            leafIndex: z.number().int(),
            path: z.array(z.string()),
            head: TreeHead,
          }),
          ...PROBLEM_RESPONSES,
        },
      },
    },
    async (req) => auditInclusionProof(deps, req.party, req.params.id, req.query.treeSize),
  );

  app.get(
    '/audit/consistency',
    {
      schema: {
        tags,
        summary: 'Consistency proof (RFC 9162 section 2.1.4) between two signed tree heads (second: the latest by default)',
        querystring: z.object({ first: TreeSize, second: TreeSize.optional() }),
        response: { 200: z.object({ first: TreeHead, second: TreeHead, path: z.array(z.string()) }), ...PROBLEM_RESPONSES },
      },
    },
    async (req) => auditConsistencyProof(deps, req.query.first, req.query.second),
  );
}
