import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  MAX_ENDPOINTS_PER_PARTY,
  NotFoundError,
  ValidationError,
  parseEndpointUrl,
  parseEventTypes,
  type Party,
  type Principal,
  type WebhookEndpoint,
} from '../../domain/index.ts';
import { newWebhookSecret } from '../../keys/webhook-signature.ts';
import type { SecretBox } from '../../keys/secret-box.ts';
import type { StoreTx } from '../../store/ports.ts';
import { mayAct } from '../acting.ts';
import { audit } from '../audit.ts';
import type { ServiceDeps } from '../deps.ts';

// A webhook's secret is a credential: endpoints are managed with `keys.manage` (administrators),
// as API keys are; the delivery log is read with `read` and replayed with `operate`.
const MANAGE = 'keys.manage' as const;

export function secretsOf(deps: ServiceDeps): SecretBox {
  if (!deps.secrets) throw new ConflictError('notice-key', 'no notice key is open in this process (METEROPS_NOTICE_KEY_FILE, or notice-key in the data directory)');
  return deps.secrets;
}

/** An endpoint of the actor's party; another party's, or none, is not found (404). */
export async function endpointInScope(tx: StoreTx, actor: Party, id: string): Promise<{ endpoint: WebhookEndpoint; secretSealed: string }> {
  const e = typeof id === 'string' && id.length <= 100 ? await tx.notices.endpoint(id) : undefined;
  if (!e || e.endpoint.partyId !== actor.id) throw new NotFoundError('webhook endpoint', String(id), 'endpointId');
  return e;
}

/**
 * A new endpoint for the actor's party. Its signing secret (`whsec_…`) is in this answer only:
 * meterops keeps it sealed under the notice key and never shows it again.
 */
export async function createEndpoint(
  deps: ServiceDeps,
  actor: Party,
  req: { url: unknown; eventTypes: unknown },
  principal?: Principal,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  mayAct(principal, MANAGE);
  const url = parseEndpointUrl(req.url);
  const eventTypes = parseEventTypes(req.eventTypes);
  const box = secretsOf(deps);
  return deps.store.transaction(async (tx) => {
    const now = deps.clock();
    if ((await tx.notices.endpointsOf(actor.id)).length >= MAX_ENDPOINTS_PER_PARTY)
      throw new ConflictError('endpoint-limit', `a party has at most ${MAX_ENDPOINTS_PER_PARTY} webhook endpoints`, 'url');
    const endpoint: WebhookEndpoint = { id: `whep_${randomUUID().replaceAll('-', '')}`, partyId: actor.id, url, eventTypes, enabled: true, createdAt: now, updatedAt: now };
    const secret = newWebhookSecret();
    await tx.notices.insertEndpoint(endpoint, box.seal(secret, endpoint.id));
    await audit(tx, now, actor.id, 'webhook.created', `webhook/${endpoint.id}`, { url, eventTypes });
    return { endpoint, secret };
  });
}

export async function listEndpoints(deps: ServiceDeps, actor: Party): Promise<WebhookEndpoint[]> {
  return deps.store.read.notices.endpointsOf(actor.id);
}

export async function showEndpoint(deps: ServiceDeps, actor: Party, id: string): Promise<WebhookEndpoint> {
  return (await endpointInScope(deps.store.read, actor, id)).endpoint;
}

/** Changes an endpoint's URL, event types or whether it is enabled (a disabled one gets no new deliveries). */
export async function updateEndpoint(
  deps: ServiceDeps,
  actor: Party,
  id: string,
  req: { url?: unknown; eventTypes?: unknown; enabled?: unknown },
  principal?: Principal,
): Promise<WebhookEndpoint> {
  mayAct(principal, MANAGE);
  const patch = {
    ...(req.url !== undefined ? { url: parseEndpointUrl(req.url) } : {}),
    ...(req.eventTypes !== undefined ? { eventTypes: parseEventTypes(req.eventTypes) } : {}),
    ...(req.enabled !== undefined ? { enabled: req.enabled } : {}),
  };
  if (patch.enabled !== undefined && typeof patch.enabled !== 'boolean') throw new ValidationError('enabled', 'boolean', 'enabled is true or false');
  if (Object.keys(patch).length === 0) throw new ValidationError('body', 'endpoint-change', 'say what changes: url, eventTypes or enabled');
  return deps.store.transaction(async (tx) => {
    await endpointInScope(tx, actor, id);
    const now = deps.clock();
    await tx.notices.updateEndpoint(id, patch as { url?: string; eventTypes?: WebhookEndpoint['eventTypes']; enabled?: boolean }, now);
    await audit(tx, now, actor.id, 'webhook.updated', `webhook/${id}`, patch);
    return (await tx.notices.endpoint(id))!.endpoint;
  });
}
