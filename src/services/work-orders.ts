import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  ForbiddenError,
  HHT_USE_CASES,
  NotFoundError,
  ValidationError,
  WORK_ORDER_LIMITS,
  type Eui,
  type HhtUseCase,
  type OrderCommand,
  type Party,
  type SensitiveCommand,
  type WorkOrder,
  requirePermission,
  type Principal,
  type Page,
  type PageQuery,
  deviceRelation,
  pageRequest,
  toPage,
} from '../domain/index.ts';
import { buildUseCaseFrame } from '../gbcs/build-use-case.ts';
import { toHex } from '../gbcs/byte-reader.ts';
import { generateUtrn } from '../gbcs/generate-utrn.ts';
import { KeyNotFoundError } from '../gbcs/key-store.ts';
import { signPairing } from '../gbcs/pairing-authorisation.ts';
import { USE_CASES } from '../gbcs/use-cases.ts';
import type { StoreTx } from '../store/ports.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './deps.ts';
import { keysMemo } from './device-keys.ts';
import { decideVolume, heldForReview } from './anomaly-detection.ts';
import { checkTopUp, nextCodeCounter } from './prepayment.ts';
import { mayAct } from './acting.ts';
import { assigneeFilter, checkAssignee, claimForPull, parseAssignee } from './work-order-assignment.ts';

export interface OrderCommandRequest {
  readonly deviceEui: Eui;
  readonly useCase: string;
  /** Top-ups (CS01a, CS01b): the value and its class, made into a UTRN with the Supplier's key. */
  readonly value?: number;
  readonly valueClass?: 'pounds' | 'pennies';
}

export interface NewWorkOrder {
  readonly premiseId: string;
  readonly commands: readonly OrderCommandRequest[];
  readonly lifetimeHours?: number;
  /** The field engineer to carry it (a username of the Supplier's people); unassigned without one. */
  readonly assignee?: string;
}

/** What an HHT downloads: everything it needs to work offline at the premise. */
export interface HhtPackage {
  readonly format: 'meterops-hht-order/1';
  readonly order: { readonly id: string; readonly premiseId: string; readonly supplierEui: Eui; readonly expiresAt: string };
  readonly hht: Eui;
  readonly commands: ReadonlyArray<{ seq: number; deviceEui: Eui; useCase: HhtUseCase; name: string; variant: 2 | 6; critical: boolean; counter: string; frame: string }>;
  /** Signed pairings (a meterops extension), one per device, valid until the order expires. */
  readonly pairings: ReadonlyArray<{ deviceEui: Eui; authorisation: string }>;
}

/** The Supplier acting on work orders and their uploads, and the EUI its keys are under. */
export function supplierEui(actor: Party): Eui {
  if (actor.role !== 'supplier') throw new ForbiddenError('work-order', 'only a Supplier creates and carries HHT work orders');
  if (!actor.eui) throw new ValidationError('supplier', 'supplier-eui', `${actor.id} has no EUI, so no keys to sign commands with`);
  return actor.eui;
}

function checkCommand(deps: ServiceDeps, c: OrderCommandRequest, i: number): HhtUseCase {
  const field = `commands[${i}]`;
  if (!(HHT_USE_CASES as readonly string[]).includes(c.useCase))
    throw new ValidationError(`${field}.useCase`, 'hht-use-case', `${field}: an HHT carries ${HHT_USE_CASES.join(', ')}; not "${c.useCase}"`);
  const uc = c.useCase as HhtUseCase;
  if (uc === 'CS01a' || uc === 'CS01b') checkTopUp(deps, c.value, c.valueClass, `${field}.value`);
  return uc;
}

/** Marks orders past their expiry, and their commands not executed, expired. */
export async function expireOrders(tx: StoreTx, now: Date): Promise<string[]> {
  const ids = await tx.workOrders.expire(now);
  for (const id of ids) await audit(tx, now, 'meterops', 'work_order.expired', `work-order/${id}`, {});
  return ids;
}

/**
 * A Supplier's HHT work order for one premise: meterops, playing the DCC, builds each command for
 * local delivery (Variant 2; Variant 6 for critical ones, signed with the Supplier's DS key), MACs
 * it with the ACB key, and gives it a counter above every one issued for that device, so a later
 * command supersedes any held copy.
 */
export async function createWorkOrder(
  deps: ServiceDeps,
  actor: Party,
  person: string,
  req: NewWorkOrder,
  principal?: Principal,
): Promise<{ order: WorkOrder; commands: OrderCommand[] }> {
  mayAct(principal);
  const eui = supplierEui(actor);
  if (!Array.isArray(req.commands) || req.commands.length < 1 || req.commands.length > WORK_ORDER_LIMITS.commandsPerOrder) {
    throw new ValidationError('commands', 'order-size', `a work order carries 1 to ${WORK_ORDER_LIMITS.commandsPerOrder} commands`);
  }
  const hours = req.lifetimeHours ?? WORK_ORDER_LIMITS.defaultLifetimeHours;
  if (!Number.isInteger(hours) || hours < 1 || hours > WORK_ORDER_LIMITS.maxLifetimeHours) {
    throw new ValidationError('lifetimeHours', 'order-lifetime', `lifetimeHours is a whole number from 1 to ${WORK_ORDER_LIMITS.maxLifetimeHours}`);
  }
  const useCases = req.commands.map((c, i) => checkCommand(deps, c, i));
  const assignee = req.assignee === undefined ? null : parseAssignee(req.assignee);
  const r = await deps.store.transaction(async (tx): Promise<{ order: WorkOrder; commands: OrderCommand[] } | { held: [SensitiveCommand, string, number] }> => {
    const now = deps.clock();
    await expireOrders(tx, now);
    const premise = await tx.premises.get(req.premiseId);
    // Another Supplier's premise answers exactly as a missing one.
    if (!premise || premise.supplierPartyId !== actor.id) throw new NotFoundError('premise', req.premiseId, 'premiseId');
    if (assignee) await checkAssignee(tx, actor, assignee);
    // The DCC's volume check: the order itself, and each command that disables supply.
    const gates: Array<[SensitiveCommand, string]> = [
      ['hht_work_order', req.premiseId],
      ...useCases.flatMap((uc, i): Array<[SensitiveCommand, string]> => (uc === 'ECS43' || uc === 'GCS32' ? [['disable_supply', req.commands[i]!.deviceEui]] : [])),
    ];
    for (const [type, target] of gates) {
      const gate = await decideVolume(tx, deps, actor, type, target, person, now, undefined, { auditSent: false });
      if (gate.status === 'held') return { held: [type, target, gate.id] };
    }
    const order: WorkOrder = {
      id: `wo-${randomUUID()}`,
      supplierPartyId: actor.id,
      premiseId: req.premiseId,
      state: 'open',
      createdBy: person,
      createdAt: now,
      expiresAt: new Date(now.getTime() + hours * 3_600_000),
      pulledBy: null,
      pulledAt: null,
      closedAt: null,
      assignedTo: assignee,
      assignedAt: assignee ? now : null,
      assignedBy: assignee ? person : null,
    };
    const commands: OrderCommand[] = [];
    const keysOf = keysMemo(deps, tx);
    for (const [i, c] of req.commands.entries()) {
      const field = `commands[${i}].deviceEui`;
      const device = await tx.devices.get(c.deviceEui);
      if (!device || !deviceRelation(actor, device)) throw new NotFoundError('device', c.deviceEui, field);
      if (device.supplierPartyId !== actor.id) throw new ForbiddenError('supplier-of-record', `${actor.id} is not the supplier of record of ${c.deviceEui}`, field);
      if ((await tx.premises.installationOf(c.deviceEui))?.premiseId !== req.premiseId)
        throw new ValidationError(field, 'installed-at-premise', `${c.deviceEui} is not installed at ${req.premiseId}`);
      const uc = useCases[i]!;
      const spec = USE_CASES[uc]!;
      if (spec.deviceType !== 'any' && spec.deviceType !== device.type)
        throw new ValidationError(`commands[${i}].useCase`, 'device-type', `${uc} is for a ${spec.deviceType}; ${c.deviceEui} is a ${device.type}`);
      const { keys, acb } = await keysOf(c.deviceEui);
      let counter: bigint;
      let utrn: string | undefined;
      let pence = 0;
      try {
        if (uc === 'CS01a' || uc === 'CS01b') {
          pence = checkTopUp(deps, c.value, c.valueClass, `commands[${i}].value`);
          // Earlier top-ups in this order count towards the 24-hour cap as well.
          const inOrder = commands.filter((x) => x.deviceEui === c.deviceEui).reduce((n, x) => n + x.pence, 0);
          counter = await nextCodeCounter(tx, deps, actor.id, c.deviceEui, inOrder + pence, now, `commands[${i}].value`);
          await tx.vends.setCounter(actor.id, c.deviceEui, counter);
          utrn = await generateUtrn(keys, { supplier: eui, device: c.deviceEui, counter, value: c.value!, valueClass: c.valueClass! });
        } else {
          counter = (await tx.vends.allocateCommandCounters(actor.id, c.deviceEui, 1))[0]!;
        }
        const frame = await buildUseCaseFrame(keys, { useCase: uc, originator: eui, device: c.deviceEui, counter, acb, ...(utrn ? { utrn } : {}) });
        commands.push({
          orderId: order.id,
          seq: i + 1,
          deviceEui: c.deviceEui,
          useCase: uc,
          variant: spec.critical ? 6 : 2,
          counter,
          frame: toHex(frame),
          pence,
          state: 'pending',
          response: null,
          responseKind: null,
          outcome: null,
          deliveredAt: null,
          uploadedAt: null,
        });
      } catch (e) {
        if (e instanceof KeyNotFoundError) throw new ValidationError('keystore', 'order-keys', e.message);
        throw e;
      }
    }
    await tx.workOrders.insert(order, commands);
    await audit(tx, now, actor.id, 'work_order.created', `work-order/${order.id}`, {
      premise: req.premiseId,
      commands: commands.map((c) => `${c.seq}:${c.useCase}:${c.deviceEui}`),
      by: person,
      assignee,
      volumeCheck: 'passed',
    });
    return { order, commands };
  });
  if ('held' in r) throw heldForReview(actor, ...r.held);
  return r;
}

export async function ownOrder(tx: StoreTx, actor: Party, id: string, forUpdate = false): Promise<WorkOrder> {
  const o = forUpdate ? await tx.workOrders.getForUpdate(id) : await tx.workOrders.get(id);
  // Another Supplier's order answers exactly as a missing one.
  if (!o || (o.supplierPartyId !== actor.id && actor.role !== 'dcc')) throw new NotFoundError('work order', id, 'orderId');
  return o;
}

/** The HHT's download: the commands and a signed pairing for each device, for this HHT only. */
export async function pullWorkOrder(deps: ServiceDeps, actor: Party, person: string, id: string, hht: Eui, principal?: Principal): Promise<HhtPackage> {
  // Only a field engineer takes a work order out to a premise.
  if (principal) requirePermission(principal, 'work_orders.pull');
  const eui = supplierEui(actor);
  return deps.store.transaction(async (tx) => {
    const now = deps.clock();
    await expireOrders(tx, now);
    const o = await ownOrder(tx, actor, id, true);
    if (o.state === 'expired') throw new ValidationError('orderId', 'order-expired', `work order ${id} expired at ${o.expiresAt.toISOString()}`);
    if (o.state === 'completed') throw new ValidationError('orderId', 'order-completed', `work order ${id} is completed`);
    await claimForPull(tx, actor, o, principal, now);
    const commands = await tx.workOrders.commands(id);
    const pairings: Array<{ deviceEui: Eui; authorisation: string }> = [];
    const keysOf = keysMemo(deps, tx);
    for (const d of new Set(commands.map((c) => c.deviceEui))) {
      const { keys } = await keysOf(d);
      pairings.push({ deviceEui: d, authorisation: toHex(await signPairing(keys, eui, hht, d, o.expiresAt)) });
    }
    await tx.workOrders.setState(id, { state: 'pulled', pulledBy: `${person} (${hht})`, pulledAt: now });
    await audit(tx, now, actor.id, 'work_order.pulled', `work-order/${id}`, { hht, by: person });
    return {
      format: 'meterops-hht-order/1',
      order: { id, premiseId: o.premiseId, supplierEui: eui, expiresAt: o.expiresAt.toISOString() },
      hht,
      commands: commands
        .filter((c) => c.state === 'pending')
        .map((c) => ({
          seq: c.seq,
          deviceEui: c.deviceEui,
          useCase: c.useCase,
          name: USE_CASES[c.useCase]!.name,
          variant: c.variant,
          critical: c.variant === 6,
          counter: c.counter.toString(),
          frame: c.frame,
        })),
      pairings,
    };
  });
}

export async function showWorkOrder(deps: ServiceDeps, actor: Party, id: string): Promise<{ order: WorkOrder; commands: OrderCommand[] }> {
  return deps.store.transaction(async (tx) => {
    await expireOrders(tx, deps.clock());
    const order = await ownOrder(tx, actor, id);
    return { order, commands: await tx.workOrders.commands(id) };
  });
}

/** The actor's work orders (the DCC: all), newest first; orders past expiry are marked so first. */
export async function listWorkOrders(
  deps: ServiceDeps,
  actor: Party,
  q: { state?: WorkOrder['state']; premiseId?: string; /** `me`, `none` or usernames, comma-separated. */ assignee?: string } & PageQuery = {},
  principal?: Principal,
): Promise<Page<WorkOrder>> {
  const page = pageRequest(q, ['date', 'string']);
  const assignees = q.assignee !== undefined ? assigneeFilter(q.assignee, principal) : undefined;
  return deps.store.transaction(async (tx) => {
    await expireOrders(tx, deps.clock());
    return toPage(
      await tx.workOrders.page(
        {
          ...(actor.role === 'dcc' ? {} : { supplierPartyId: actor.id }),
          ...(q.state ? { state: q.state } : {}),
          ...(q.premiseId ? { premiseId: q.premiseId } : {}),
          ...(assignees ? { assignees } : {}),
        },
        page,
      ),
    );
  });
}

/**
 * Assigns (or, with null, unassigns) an order to a field engineer of the Supplier: an operator's
 * act, while the order is open or pulled (a pulled order's new assignee pulls it again for their
 * HHT); a completed or expired one has nothing left to carry.
 */
export async function assignWorkOrder(deps: ServiceDeps, actor: Party, person: string, id: string, assignee: unknown, principal?: Principal): Promise<WorkOrder> {
  mayAct(principal);
  supplierEui(actor);
  const wanted = assignee === null ? null : parseAssignee(assignee);
  return deps.store.transaction(async (tx) => {
    const now = deps.clock();
    await expireOrders(tx, now);
    const o = await ownOrder(tx, actor, id, true);
    if (o.state === 'completed' || o.state === 'expired') throw new ConflictError(`order-${o.state}`, `work order ${id} is ${o.state}: there is nothing left to carry`, 'orderId');
    if (wanted) await checkAssignee(tx, actor, wanted);
    if (o.assignedTo === wanted) return o;
    await tx.workOrders.assign(id, { assignedTo: wanted, assignedAt: now, assignedBy: person });
    await audit(tx, now, actor.id, 'work_order.assigned', `work-order/${id}`, { assignee: wanted, previous: o.assignedTo, by: person });
    return { ...o, assignedTo: wanted, assignedAt: now, assignedBy: person };
  });
}
