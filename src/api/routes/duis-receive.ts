import type { FastifyInstance } from 'fastify';
import type { DuisReceiver } from '../../duis/duis-receiver.ts';
import { MAX_DUIS_BYTES } from '../../duis/duis-xml.ts';

/**
 * The User's DUIS receive endpoint: the DCC POSTs asynchronous responses and device alerts here
 * (application/xml). 204 when the document is valid, signed by the DSP and kept; 400 with the
 * refusal otherwise. Registered in its own encapsulated context, so its XML body parser is its own.
 */
export async function duisReceiveRoute(app: FastifyInstance, receiver: DuisReceiver, path = '/duis/receive'): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'string', bodyLimit: MAX_DUIS_BYTES }, (_req, body, done) => done(null, body));
    scope.post(path, { schema: { hide: true } }, async (req, reply) => {
      const outcome = await receiver.receive(typeof req.body === 'string' ? req.body : '');
      if (outcome.status === 204) return reply.status(204).send();
      const e = outcome.error;
      return reply
        .status(400)
        .type('application/problem+json')
        .send({ type: 'about:blank', title: 'DUIS document refused', status: 400, code: e.code, rule: e.rule, field: e.field, detail: e.message });
    });
  });
}
