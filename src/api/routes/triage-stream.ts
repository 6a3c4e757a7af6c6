import { PassThrough } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BenchResult, ReturnLine } from '../../domain/index.ts';
import { problemFor } from '../problem.ts';

/** The media type of a streamed triage pass: one JSON object per line. */
export const NDJSON = 'application/x-ndjson';

/** Whether the client asked for the streamed answer (Accept names application/x-ndjson). */
export function wantsNdjson(req: FastifyRequest): boolean {
  const accept = req.headers.accept;
  return typeof accept === 'string' && accept.split(',').some((part) => part.split(';')[0]!.trim().toLowerCase() === NDJSON);
}

/** What a streamed pass is told, to write as its lines. */
export interface StreamedTriage {
  started(e: object): void;
  step(step: unknown, index: number, total: number): void;
}

/**
 * A triage pass answered as it runs: `run` is given the events to tell and returns the pass. A
 * refusal before the plan starts rejects here, so the route answers its problem+json status as
 * ever; once 'started' is told the answer is 200 NDJSON, each step a line, then 'done' (after the
 * commit) or 'problem' (the transaction has rolled back). A client that goes away does not cancel
 * the pass: it commits, and the return line shows it.
 */
export async function streamTriage(
  req: FastifyRequest,
  reply: FastifyReply,
  run: (events: StreamedTriage) => Promise<{ line: ReturnLine; result: BenchResult }>,
): Promise<FastifyReply> {
  const out = new PassThrough();
  const write = (event: Record<string, unknown>) => {
    if (!out.writableEnded && !out.destroyed) out.write(`${JSON.stringify(event)}\n`);
  };
  let begin!: () => void;
  const began = new Promise<'started'>((resolve) => (begin = () => resolve('started')));
  const pass = run({
    started: (e) => {
      write({ kind: 'started', ...e });
      begin();
    },
    step: (step, index, total) => write({ kind: 'step', index, total, step }),
  });
  // Rejects (a refusal, bad input) before the plan starts: the error handler answers it.
  const first = await Promise.race([began, pass]);
  if (first !== 'started') {
    // Done without starting (not expected of triage): still one honest stream.
    write({ kind: 'done', ...JSON.parse(JSON.stringify(first)) });
    out.end();
  } else {
    pass.then(
      (done) => {
        write({ kind: 'done', ...JSON.parse(JSON.stringify(done)) });
        out.end();
      },
      (err: unknown) => {
        const problem = problemFor(err, req.url);
        if (problem.status >= 500) req.log.error({ err }, 'streamed triage failed');
        write({ kind: 'problem', ...problem });
        out.end();
      },
    );
  }
  return reply.code(200).type(NDJSON).header('cache-control', 'no-store').header('x-accel-buffering', 'no').send(out);
}
