import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { checkConsistencyProof, checkInclusionProof, type ConsistencyProofJson, type InclusionProofJson } from '../../domain/index.ts';
import { LIMITS } from '../../services/deps.ts';
import { CliError } from '../cli-error.ts';
import { actingParty, withContext, type GlobalFlags } from '../context.ts';
import { printJson } from '../print-json.ts';

// Use cases are loaded by the command that runs them, so that `meterops --help` loads none.
const loadAudit = () => import('../../services/audit.ts');
const loadAuditProofs = () => import('../../services/audit-proofs.ts');
const loadAuditSequencer = () => import('../../services/audit-sequencer.ts');

const wholeNumber = (v: string | undefined, what: string): number | undefined => {
  if (v === undefined) return undefined;
  if (!/^\d{1,15}$/.test(v)) throw new CliError(`${what} must be a whole number (got ${JSON.stringify(v)})`, 2);
  return Number(v);
};

export function auditCommands(program: Command, globals: () => GlobalFlags): void {
  const auditCmd = program.command('audit').description('the audit trail: a Merkle log with signed tree heads (RFC 9162)');
  auditCmd
    .command('verify')
    .description('check every leaf and every signed tree head; list every problem (pending entries are not problems)')
    .option('--json', 'print the whole result as JSON')
    .action(async (o: { json?: boolean }) =>
      withContext(globals, async (ctx) => {
        const v = await (await loadAudit()).verifyAudit(ctx.deps.store, [ctx.deps.auditKey.publicKey]);
        if (o.json) printJson(v);
        const summary = `${v.entries} entries (${v.integrated} in the signed tree of ${v.treeSize}, ${v.pending} pending), ${v.heads} signed heads`;
        if (v.valid) {
          if (!o.json) process.stdout.write(`audit: ${summary}, log intact\n`);
          return;
        }
        const lines = v.problems.map((p) => `audit: broken at ${p.id !== null ? `entry ${p.id}` : p.position !== null ? `leaf ${p.position}` : 'the tree'}: ${p.reason}`);
        if (v.problemCount > v.problems.length) lines.push(`audit: and ${v.problemCount - v.problems.length} more problems`);
        throw new CliError(`${lines.join('\n')}\naudit: ${summary}, ${v.problemCount} problems`, 1);
      }),
    );
  auditCmd
    .command('sequence')
    .description('place pending entries in the tree and sign a tree head now (what `serve` does every 200 ms)')
    .action(async () =>
      withContext(globals, async (ctx) => {
        const n = await (await loadAuditSequencer()).drainAudit(ctx.deps.store, ctx.deps.auditKey);
        const head = await ctx.deps.store.read.audit.latestHead();
        process.stdout.write(
          `audit: ${n} entries placed; signed tree of ${head?.treeSize ?? 0} leaves${head ? ` at ${head.timestamp.toISOString()}, root ${head.rootHash}` : ''}\n`,
        );
      }),
    );
  auditCmd
    .command('entries')
    .description('list the entries you may see (your own acts; the DCC all): id, leaf (- while pending), time, action, entity')
    .requiredOption('--as <party>', 'the party asking')
    .option('--after <id>', 'entries after this id')
    .option('--limit <n>', `at most this many (1 to ${LIMITS.pageSize})`, '100')
    .action(async (o: { as: string; after?: string; limit: string }) =>
      withContext(globals, async (ctx) => {
        const limit = wholeNumber(o.limit, '--limit')!;
        if (limit < 1 || limit > LIMITS.pageSize) throw new CliError(`--limit must be from 1 to ${LIMITS.pageSize}`, 2);
        const after = wholeNumber(o.after, '--after');
        const rows = await (await loadAuditProofs()).listAuditEntries(ctx.deps, await actingParty(ctx.deps, o.as), { ...(after !== undefined ? { after } : {}), limit });
        for (const r of rows) process.stdout.write(`${r.entry.id}  leaf ${r.leafIndex ?? '-'}  ${r.entry.at.toISOString()}  ${r.entry.action}  ${r.entry.entity}\n`);
      }),
    );
  auditCmd
    .command('inclusion <entryId>')
    .description("print the inclusion proof of an entry you may see (JSON), and check it with the log's key")
    .requiredOption('--as <party>', 'the party asking (its own entries; the DCC sees all)')
    .option('--tree-size <n>', 'in the signed tree of this size (default: the latest)')
    .action(async (entryId: string, o: { as: string; treeSize?: string }) =>
      withContext(globals, async (ctx) => {
        const proof = await (
          await loadAuditProofs()
        ).auditInclusionProof(ctx.deps, await actingParty(ctx.deps, o.as), wholeNumber(entryId, 'entryId')!, wholeNumber(o.treeSize, '--tree-size'));
        printJson(proof);
        const c = checkInclusionProof(proof, ctx.deps.auditKey.publicKey);
        if (!c.valid) throw new CliError(`audit: ${c.reason}`, 1);
        process.stderr.write(`audit: checked: ${c.reason}\n`);
      }),
    );
  auditCmd
    .command('consistency <first> [second]')
    .description('print the consistency proof between two signed tree heads (JSON; second: the latest), and check it')
    .action(async (first: string, second: string | undefined) =>
      withContext(globals, async (ctx) => {
        const proof = await (await loadAuditProofs()).auditConsistencyProof(ctx.deps, wholeNumber(first, 'first')!, wholeNumber(second, 'second'));
        printJson(proof);
        const c = checkConsistencyProof(proof, ctx.deps.auditKey.publicKey);
        if (!c.valid) throw new CliError(`audit: ${c.reason}`, 1);
        process.stderr.write(`audit: checked: ${c.reason}\n`);
      }),
    );
  auditCmd
    .command('check <proofFile>')
    .description('check a saved inclusion or consistency proof offline, with nothing but the public key')
    .requiredOption('--key <pemFile>', "the log's public key (GET /v1/audit/key, or `meterops audit key`)")
    .action((file: string, o: { key: string }) => {
      let proof: unknown;
      let key;
      try {
        proof = JSON.parse(readFileSync(file, 'utf8'));
        key = createPublicKey(readFileSync(o.key));
      } catch (e) {
        throw new CliError(`audit: cannot read the proof or the key: ${(e as Error).message}`, 2);
      }
      const p = proof as Partial<InclusionProofJson & ConsistencyProofJson>;
      const c = p.entry && p.head ? checkInclusionProof(p as InclusionProofJson, key) : p.first && p.second ? checkConsistencyProof(p as ConsistencyProofJson, key) : null;
      if (!c) throw new CliError('audit: the file is neither an inclusion proof (entry, leafIndex, path, head) nor a consistency proof (first, second, path)', 2);
      if (!c.valid) throw new CliError(`audit: proof does not check: ${c.reason}`, 1);
      process.stdout.write(`audit: proof checks: ${c.reason}\n`);
    });
  auditCmd
    .command('key')
    .description("print the log's public key (SPKI PEM)")
    .action(async () =>
      withContext(globals, async (ctx) => {
        process.stdout.write(ctx.deps.auditKey.publicKey.export({ type: 'spki', format: 'pem' }).toString());
      }),
    );
  auditCmd
    .command('prune')
    .description('apply retention: remove entries older than N days, keeping a signed anchor the rest verifies from')
    .option('--days <n>', 'retention in days (default METEROPS_AUDIT_RETENTION_DAYS, 2557: a meterops default)')
    .option('--as <party>', 'the DCC party', 'dcc')
    .action(async (o: { days?: string; as: string }) =>
      withContext(globals, async (ctx) => {
        const days = o.days !== undefined ? Number(o.days) : ctx.config.auditRetentionDays;
        const n = await (await loadAudit()).pruneAudit(ctx.deps, await actingParty(ctx.deps, o.as), days);
        process.stdout.write(`audit: ${n} entries older than ${days} days removed\n`);
      }),
    );
}
