import {
  assertCommandRole,
  assertDeviceCommandTarget,
  assertPremiseCommandTarget,
  COMMAND_TARGETS,
  ConflictError,
  parseEui,
  userRolesOf,
  DEFAULT_ANOMALY_LIMITS,
  ForbiddenError,
  SENSITIVE_COMMANDS,
  ValidationError,
  type AnomalyLimit,
  type CommandRequestStatus,
  requirePermission,
  type Party,
  type Principal,
  type SensitiveCommand,
  type CommandRequest,
  type Eui,
  type Page,
  type PageQuery,
  pageRequest,
  toPage,
} from '../domain/index.ts';
import type { StoreTx } from '../store/ports.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './deps.ts';

export interface AnomalySettings {
  readonly limits: Readonly<Record<SensitiveCommand, AnomalyLimit>>;
  /** How soon the party and the DCC must be alerted (30 minutes by default). */
  readonly alertWithinMinutes: number;
}

export const DEFAULT_ANOMALY_SETTINGS: AnomalySettings = { limits: DEFAULT_ANOMALY_LIMITS, alertWithinMinutes: 30 };

const settingsOf = (deps: ServiceDeps): AnomalySettings => ({
  limits: { ...DEFAULT_ANOMALY_SETTINGS.limits, ...deps.policy?.anomalyLimits },
  alertWithinMinutes: deps.policy?.anomalyAlertMinutes ?? DEFAULT_ANOMALY_SETTINGS.alertWithinMinutes,
});

function commandType(t: string): SensitiveCommand {
  if (!(SENSITIVE_COMMANDS as readonly string[]).includes(t))
    throw new ValidationError('commandType', 'sensitive-command', `commandType must be one of ${SENSITIVE_COMMANDS.join(', ')}`);
  return t as SensitiveCommand;
}

function person(p: string): string {
  const s = p.trim();
  if (!s || s.length > 100) throw new ValidationError('person', 'person', 'the requesting person is 1 to 100 characters');
  return s;
}

/**
 * A sensitive request passes the DCC's volume check: within the party's limit for its type over
 * the sliding window it is sent; past it (or while an earlier excess is held) it is held, and the
 * first excess raises an alert to the party and the DCC. First the person's permission (operate),
 * the party's DCC User roles for the command, and its relation to the target (a registered device
 * or premise: `domain/command-eligibility.ts`); nothing is recorded for a refused request.
 */
export async function submitCommandRequest(
  deps: ServiceDeps,
  actor: Party,
  who: string,
  req: { commandType: string; target: string },
  settings: AnomalySettings = settingsOf(deps),
  principal?: Principal,
): Promise<{ id: number; status: CommandRequestStatus }> {
  if (principal) requirePermission(principal, 'operate');
  const type = commandType(req.commandType);
  const requestedBy = person(who);
  const raw = typeof req.target === 'string' ? req.target.trim() : '';
  if (!raw || raw.length > 64) throw new ValidationError('target', 'target', 'the target is 1 to 64 characters (a device EUI, or a premise id for hht_work_order)');
  const kind = COMMAND_TARGETS[type];
  const target = kind === 'device' ? parseEui(raw, 'target') : raw;
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    const record = await tx.parties.record(actor.id);
    const sender = { party: actor, userRoles: record?.userRoles ?? userRolesOf(actor.role) };
    assertCommandRole(type, sender);
    if (kind === 'device') {
      const device = await tx.devices.get(target as Eui);
      const installed = device ? await tx.premises.installationOf(device.eui) : undefined;
      const premise = installed ? ((await tx.premises.get(installed.premiseId)) ?? null) : null;
      assertDeviceCommandTarget(type, sender, target, device, premise);
    } else {
      assertPremiseCommandTarget(sender, target, await tx.premises.get(target));
    }
    return decideVolume(tx, deps, actor, type, target, requestedBy, now, settings);
  });
}

/** The volume decision inside the caller's transaction: sent, released (a released retry), or held. */
export async function decideVolume(
  tx: StoreTx,
  deps: ServiceDeps,
  actor: Party,
  type: SensitiveCommand,
  target: string,
  requestedBy: string,
  now: Date,
  settings: AnomalySettings = settingsOf(deps),
  /** A use case that audits the request itself (a vend, a work order) need not have "sent" audited twice. */
  opts: { auditSent?: boolean } = {},
): Promise<{ id: number; status: CommandRequestStatus }> {
  const limit = settings.limits[type];
  // One party's requests of one type are decided one at a time (other parties are not held up), in
  // one statement so that the lock is held for one round trip, not six.
  const since = new Date(now.getTime() - limit.windowMinutes * 60_000);
  const {
    id,
    status,
    wasHeld: held,
    inWindow,
  } = await tx.commandRequests.decide({ partyId: actor.id, commandType: type, target, requestedBy, requestedAt: now, since, max: limit.max });
  if (status === 'released') {
    // The retry of a request a second person released goes through once.
    await audit(tx, now, actor.id, 'request.sent_after_release', `requests/${actor.id}/${type}`, { target, requestedBy, request: id });
    return { id, status };
  }
  if (status === 'held' && !held) {
    const dcc = (await tx.parties.list()).find((p) => p.role === 'dcc');
    await tx.commandRequests.insertAlert({
      partyId: actor.id,
      commandType: type,
      raisedAt: now,
      dueBy: new Date(now.getTime() + settings.alertWithinMinutes * 60_000),
      windowCount: inWindow + 1,
      limit: limit.max,
      notified: [actor.id, ...(dcc ? [dcc.id] : [])],
    });
    deps.log.warn({ party: actor.id, commandType: type, count: inWindow + 1, limit: limit.max }, 'anomalous request volume: requests held');
    await audit(tx, now, actor.id, 'anomaly.held', `requests/${actor.id}/${type}`, { count: inWindow + 1, limit: limit.max });
  }
  if (status === 'held' || opts.auditSent !== false) await audit(tx, now, actor.id, `request.${status}`, `request/${id}`, { commandType: type, target, requestedBy });
  return { id, status };
}

/**
 * The volume gate in front of a sensitive use case (vends, work orders, disabling supply): passes,
 * or records the request as held (alerting on the first excess) and refuses it until a second
 * person releases it; the retry then passes once.
 */
export function heldForReview(actor: Party, commandType: SensitiveCommand, target: string, requestId: number): ConflictError {
  return new ConflictError(
    'held-for-review',
    `${commandType} for ${target} is held (request ${requestId}): ${actor.id}'s volume is over its limit; a second person of ${actor.id} must release the held ${commandType} requests, then retry`,
  );
}

/**
 * Releases a party's held requests of a type: only a second person of that party may, and (when
 * the caller says who acts) only an approver.
 */
export async function releaseHeldRequests(deps: ServiceDeps, actor: Party, who: string, type: string, principal?: Principal): Promise<number> {
  if (principal) requirePermission(principal, 'requests.release');
  const t = commandType(type);
  const by = person(who);
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    const held = await tx.commandRequests.firstHeld(actor.id, t);
    if (!held) throw new ValidationError('commandType', 'nothing-held', `${actor.id} has no held ${t} requests`);
    if (held.requestedBy === by) throw new ForbiddenError('two-person-release', `${by} made the held requests; a second person of ${actor.id} must release them`, 'person');
    const n = await tx.commandRequests.releaseHeld(actor.id, t, by, now);
    await audit(tx, now, actor.id, 'anomaly.released', `requests/${actor.id}/${t}`, { releasedBy: by, count: n });
    return n;
  });
}

/** The actor's sensitive requests (the DCC: all), newest first: what was sent, held and released. */
export async function listCommandRequests(
  deps: ServiceDeps,
  actor: Party,
  q: { status?: CommandRequestStatus; commandType?: SensitiveCommand } & PageQuery = {},
): Promise<Page<CommandRequest>> {
  const page = pageRequest(q, ['number']);
  return toPage(
    await deps.store.read.commandRequests.page(
      { ...(actor.role === 'dcc' ? {} : { partyId: actor.id }), ...(q.status ? { status: q.status } : {}), ...(q.commandType ? { commandType: q.commandType } : {}) },
      page,
    ),
  );
}
