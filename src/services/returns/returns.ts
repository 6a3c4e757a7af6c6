import { randomUUID } from 'node:crypto';
import {
  assertAssetTransition,
  ConflictError,
  deviceRelation,
  ForbiddenError,
  isReturnReason,
  NotFoundError,
  parseEui,
  RETURN_REASONS,
  ValidationError,
  type Facility,
  type FoundWhen,
  type Party,
  type ReturnEvent,
  type ReturnLine,
  type ReturnOrder,
  type Page,
  type PageQuery,
  type RemovalNotice,
  distributorFor,
  pageRequest,
  RETURN_STATES,
  toPage,
} from '../../domain/index.ts';
import type { StoreTx } from '../../store/ports.ts';
import { audit } from '../audit.ts';
import { DEFAULT_GOVERNANCE } from '../../domain/governance.ts';
import type { ServiceDeps } from '../deps.ts';
import { mayAct } from '../acting.ts';
import { dnoParties, recordRemovals } from '../notices/outbox.ts';
import type { Principal } from '../../domain/index.ts';

export interface ReturnLineInput {
  readonly deviceEui: string;
  readonly reason: string;
  readonly found?: string;
  readonly changeOfSupplier?: boolean;
}

export const MAX_RETURN_LINES = 1_000;
const DAY = 86_400_000;

/**
 * A Supplier, MAP, manufacturer or the DCC registers a facility, not secure: its secure status is
 * granted by another party (facility-grants.ts), never declared by its owner, so a registration
 * that says `secure` or `smets2Triage` is refused.
 */
export async function registerFacility(
  deps: ServiceDeps,
  actor: Party,
  f: { id: string; name: string; secure?: boolean; smets2Triage?: boolean },
  principal?: Principal,
): Promise<Facility> {
  mayAct(principal);
  if (!['supplier', 'meter_asset_provider', 'manufacturer', 'dcc'].includes(actor.role)) throw new ForbiddenError('facility', `a ${actor.role} does not run triage facilities`);
  if (!/^[\w.-]{1,64}$/.test(f.id)) throw new ValidationError('id', 'facility-id', 'the facility id is 1 to 64 letters, digits, dots, dashes or underscores');
  if (!f.name?.trim() || f.name.length > 200) throw new ValidationError('name', 'facility-name', 'the facility name is 1 to 200 characters');
  for (const field of ['secure', 'smets2Triage'] as const) if (f[field] === true) throw new ForbiddenError('secure-status-granted', secureNotSelfDeclared(deps, field), field);
  const facility: Facility = { id: f.id, partyId: actor.id, name: f.name.trim(), secure: false, smets2Triage: false, createdAt: deps.clock(), grant: null, revoked: null };
  return deps.store.transaction(async (tx) => {
    if (await tx.returns.facility(f.id)) throw new ConflictError('facility-exists', `facility ${f.id} exists already`, 'id');
    await tx.returns.insertFacility(facility);
    await audit(tx, facility.createdAt, actor.id, 'facility.registered', `facility/${f.id}`, { secure: false, smets2Triage: false });
    return facility;
  });
}

function secureNotSelfDeclared(deps: ServiceDeps, field: string): string {
  const by = (deps.policy?.governance ?? DEFAULT_GOVERNANCE).triage.secureStatusGrantedBy.join(' or ');
  return `a facility's ${field === 'secure' ? 'secure status' : 'registration for SMETS2 triage'} is granted by another party (${by}: governance.triage.secureStatusGrantedBy), not declared by its owner: register it without ${field}, then ask for a grant`;
}

/**
 * A return order, one line per device, in one transaction: each device leaves its premise
 * (asset `removed`, uninstalled), a removal notice goes to the DNO of the premise's region (and its
 * webhooks, through the outbox, in this transaction), a hub
 * and meters from one premise become one incident, and the returning party holds custody at the
 * premise until it hands the device over.
 */
export async function createReturn(
  deps: ServiceDeps,
  actor: Party,
  person: string,
  req: { reference?: string; lines: readonly ReturnLineInput[] },
  principal?: Principal,
): Promise<{ order: ReturnOrder; lines: ReturnLine[] }> {
  mayAct(principal);
  if (actor.role !== 'supplier' && actor.role !== 'meter_asset_provider') throw new ForbiddenError('return', 'a Supplier or a MAP returns devices');
  if (!Array.isArray(req.lines) || req.lines.length < 1 || req.lines.length > MAX_RETURN_LINES)
    throw new ValidationError('lines', 'return-size', `a return has 1 to ${MAX_RETURN_LINES} lines`);
  if (req.reference !== undefined && (typeof req.reference !== 'string' || req.reference.length > 100))
    throw new ValidationError('reference', 'max-length', 'the reference is at most 100 characters');
  const parsed = req.lines.map((l, i) => {
    const eui = parseEui(String(l.deviceEui ?? ''), `lines[${i}].deviceEui`);
    if (!isReturnReason(String(l.reason)))
      throw new ValidationError(`lines[${i}].reason`, 'return-reason', `lines[${i}].reason must be one of ${Object.keys(RETURN_REASONS).join(', ')}`);
    const found = (l.found ?? 'after-installation') as FoundWhen;
    if (found !== 'before-installation' && found !== 'after-installation')
      throw new ValidationError(`lines[${i}].found`, 'found-when', `lines[${i}].found is before-installation or after-installation`);
    return { eui, reason: l.reason as keyof typeof RETURN_REASONS, found, changeOfSupplier: l.changeOfSupplier === true || l.reason === 'change-of-supplier' };
  });
  const dup = parsed.find((p, i) => parsed.findIndex((q) => q.eui === p.eui) !== i);
  if (dup) throw new ValidationError('lines', 'duplicate-device', `${dup.eui} appears twice in the return`);
  return deps.store.transaction(async (tx) => {
    const now = deps.clock();
    const order: ReturnOrder = { id: `ret-${randomUUID()}`, partyId: actor.id, reference: req.reference ?? null, createdBy: person, createdAt: now };
    const lines: ReturnLine[] = [];
    const notices = [];
    // Everything read in a few statements for the whole return, every line checked, then written.
    const euis = parsed.map((p) => p.eui);
    const devices = new Map((await tx.devices.getManyForUpdate(euis)).map((d) => [d.eui, d]));
    const open = await tx.returns.openLinesOf(euis);
    const installs = new Map((await tx.premises.installationsOf(euis)).map((i) => [i.deviceEui, i]));
    const premises = new Map((await tx.premises.getMany([...new Set([...installs.values()].map((i) => i.premiseId))])).map((p) => [p.id, p]));
    const dnos = await dnoParties(tx);
    const assets = [];
    const events = [];
    for (const [i, p] of parsed.entries()) {
      const field = `lines[${i}].deviceEui`;
      const device = devices.get(p.eui);
      // Another party's device answers exactly as a missing one.
      if (!device || !deviceRelation(actor, device)) throw new NotFoundError('device', p.eui, field);
      const installedAt = installs.get(p.eui);
      const from = installedAt ? premises.get(installedAt.premiseId) : undefined;
      // Taking a device off a premise is the premise's Supplier's act (meterops' own rule): its
      // owner or custodian returns it only once it is off the premise.
      if (from && from.supplierPartyId !== actor.id)
        throw new ForbiddenError('return-installed', `lines[${i}]: ${p.eui} is installed at ${from.id}: only its Supplier takes it back from there`, field);
      if (open.has(p.eui)) throw new ConflictError('open-return', `lines[${i}]: ${p.eui} is on an open return already`, field);
      assertAssetTransition(device.assetStatus, 'removed');
      const inst = installs.get(p.eui);
      const premise = inst ? premises.get(inst.premiseId) : undefined;
      assets.push({ eui: p.eui, assetStatus: 'removed' as const, custodianPartyId: actor.id, supplierPartyId: device.supplierPartyId, premiseId: null });
      events.push({
        deviceEui: p.eui,
        lifecycle: 'asset' as const,
        fromStatus: device.assetStatus,
        toStatus: 'removed',
        actorPartyId: actor.id,
        occurredAt: now,
        location: premise?.id ?? null,
        reason: `returned: ${p.reason}`,
      });
      if (premise?.distributorId)
        notices.push({
          premiseId: premise.id,
          deviceEui: p.eui,
          distributorId: premise.distributorId,
          dnoPartyId: dnos.get(premise.distributorId) ?? null,
          removedBy: actor.id,
          removedAt: now,
          reason: `returned: ${p.reason}`,
        });
      lines.push({
        id: `${order.id}-${i + 1}`,
        returnId: order.id,
        lineNo: i + 1,
        deviceEui: p.eui,
        deviceType: device.type,
        manufacturer: device.manufacturer,
        model: device.model,
        smetsGeneration: device.smetsGeneration,
        reason: p.reason,
        found: p.found,
        incidentId: premise ? `inc-${order.id.slice(4, 12)}-${premise.id}`.slice(0, 80) : `inc-${order.id.slice(4, 12)}-${i + 1}`,
        changeOfSupplier: p.changeOfSupplier,
        returnedBy: actor.id,
        removedFrom: premise?.id ?? null,
        removedDistributor: premise?.distributorId ?? null,
        daysInService: inst ? Math.max(0, Math.floor((now.getTime() - inst.installedAt.getTime()) / DAY)) : null,
        state: 'returned',
        custodianPartyId: actor.id,
        site: premise ? `premise:${premise.id}` : 'unknown',
        sealsIntact: true,
        triageCount: 0,
        triageParties: 0,
        lastTriagedIn: -1,
        custodyPass: 0,
        outcome: null,
        fault: null,
        noCredential: null,
        vanilla: false,
        grade: null,
        stockLocation: null,
        scrapReason: null,
        reinstalledAt: null,
        createdAt: now,
        updatedAt: now,
      });
    }
    await tx.premises.uninstallMany([...installs.keys()]);
    await tx.devices.setAssetMany(assets, now);
    await tx.events.appendMany(events);
    await tx.returns.insertReturn(order, lines);
    await tx.returns.appendEvents(
      lines.map((l) => ({
        lineId: l.id,
        kind: 'returned' as const,
        partyId: actor.id,
        at: now,
        details: { reason: l.reason, found: l.found, premise: l.removedFrom, incident: l.incidentId, by: person },
      })),
    );
    await recordRemovals(deps, tx, notices);
    await audit(tx, now, actor.id, 'return.created', `return/${order.id}`, { lines: lines.length, notices: notices.length, by: person });
    return { order, lines };
  });
}

/** Who may see a line: the returning party, the custodian, and the DCC. */
export function canSeeLine(actor: Party, l: ReturnLine, events: readonly ReturnEvent[] = []): boolean {
  return actor.role === 'dcc' || l.returnedBy === actor.id || l.custodianPartyId === actor.id || events.some((e) => e.partyId === actor.id);
}

export async function lineInScope(tx: StoreTx, actor: Party, id: string, forUpdate = false): Promise<ReturnLine> {
  const l = forUpdate ? await tx.returns.lineForUpdate(id) : await tx.returns.line(id);
  // Another party's line answers exactly as a missing one.
  if (!l || !canSeeLine(actor, l, forUpdate ? [] : await tx.returns.events(id))) throw new NotFoundError('return line', id, 'lineId');
  return l;
}

export async function showReturnLine(deps: ServiceDeps, actor: Party, id: string): Promise<{ line: ReturnLine; history: ReturnEvent[] }> {
  const line = await lineInScope(deps.store.read, actor, id);
  return { line, history: await deps.store.read.returns.events(id) };
}

export async function showReturn(deps: ServiceDeps, actor: Party, id: string): Promise<{ order: ReturnOrder; lines: ReturnLine[] }> {
  const order = await deps.store.read.returns.returnOrder(id);
  if (!order || (actor.role !== 'dcc' && order.partyId !== actor.id)) throw new NotFoundError('return', id, 'returnId');
  return { order, lines: await deps.store.read.returns.linesOf(id) };
}

export type ReturnLineListQuery = { state?: string; returnId?: string; deviceEui?: string } & PageQuery;

/** The lines the actor returned, holds or has handled (the DCC: all), in id order. */
export async function listReturnLines(deps: ServiceDeps, actor: Party, q: ReturnLineListQuery = {}): Promise<Page<ReturnLine>> {
  const page = pageRequest(q, ['string']);
  if (q.state !== undefined && !(RETURN_STATES as readonly string[]).includes(q.state))
    throw new ValidationError('state', 'return-state', `state is one of ${RETURN_STATES.join(', ')}`);
  return toPage(
    await deps.store.read.returns.linePage(
      {
        ...(actor.role === 'dcc' ? {} : { visibleTo: actor.id }),
        ...(q.state ? { state: q.state } : {}),
        ...(q.returnId ? { returnId: q.returnId } : {}),
        ...(q.deviceEui ? { deviceEui: parseEui(q.deviceEui, 'deviceEui') } : {}),
      },
      page,
    ),
  );
}

/** The actor's return orders (the DCC: all), in id order. */
export async function listReturns(deps: ServiceDeps, actor: Party, q: { reference?: string } & PageQuery = {}): Promise<Page<ReturnOrder>> {
  const page = pageRequest(q, ['string']);
  return toPage(await deps.store.read.returns.orderPage({ ...(actor.role === 'dcc' ? {} : { partyId: actor.id }), ...(q.reference ? { reference: q.reference } : {}) }, page));
}

/** The actor's facilities (the DCC: all), in id order. */
export async function listFacilities(deps: ServiceDeps, actor: Party, q: { secure?: boolean; smets2Triage?: boolean } & PageQuery = {}): Promise<Page<Facility>> {
  const page = pageRequest(q, ['string']);
  return toPage(
    await deps.store.read.returns.facilityPage(
      {
        ...(actor.role === 'dcc' ? {} : { partyId: actor.id }),
        ...(q.secure !== undefined ? { secure: q.secure } : {}),
        ...(q.smets2Triage !== undefined ? { smets2Triage: q.smets2Triage } : {}),
      },
      page,
    ),
  );
}

/**
 * Removal notices, newest first: a DNO's are the removals from premises in its region; any party
 * sees the removals it made; the DCC sees all.
 */
export async function removalNotices(deps: ServiceDeps, actor: Party, q: { distributorId?: number; deviceEui?: string } & PageQuery = {}): Promise<Page<RemovalNotice>> {
  const page = pageRequest(q, ['number']);
  if (q.distributorId !== undefined) distributorFor(q.distributorId, 'distributorId');
  const scope = actor.role === 'dcc' ? {} : { visibleTo: { partyId: actor.id, distributorId: actor.role === 'network_operator' ? actor.distributorId : null } };
  return toPage(
    await deps.store.read.returns.noticePage(
      {
        ...scope,
        ...(q.distributorId !== undefined ? { distributorId: q.distributorId } : {}),
        ...(q.deviceEui ? { deviceEui: parseEui(q.deviceEui, 'deviceEui') } : {}),
      },
      page,
    ),
  );
}
