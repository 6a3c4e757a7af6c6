import {
  DEFAULT_RETURN_COSTS,
  NotFoundError,
  parseSeals,
  TRIAGE_STEPS,
  ValidationError,
  type BenchResult,
  type Eui,
  type Party,
  type ReturnLine,
  type Seal,
  type StepResult,
  type TriageMethod,
  type TriageStep,
} from '../../domain/index.ts';
import { DEFAULT_GOVERNANCE } from '../../domain/governance.ts';
import type { StoreTx } from '../../store/ports.ts';
import { audit } from '../audit.ts';
import type { ServiceDeps } from '../deps.ts';
import { moveAsset } from './asset-move.ts';
import { CellCommands } from './cell-commands.ts';
import { lineInScope } from './returns.ts';
import { assertCanHandOver, assertCanTriage } from './return-rules.ts';
import { mayAct } from '../acting.ts';
import type { Principal } from '../../domain/index.ts';

/** A counter the DCC side uses for one device, from the same allocator as every other command. */
export async function dccCounter(tx: StoreTx, originator: Eui, device: Eui): Promise<bigint> {
  const party = (await tx.parties.list()).find((p) => p.eui === originator);
  if (!party) throw new NotFoundError('party with EUI', originator);
  return (await tx.vends.allocateCommandCounters(party.id, device, 1))[0]!;
}

/**
 * A hand-over in the chain of custody: only the present custodian hands over, to a named party at a
 * site (a facility id, or a described place), with the seals seen and whether each is intact.
 */
export async function handOver(
  deps: ServiceDeps,
  actor: Party,
  lineId: string,
  req: { toPartyId: string; site: string; seals?: unknown; note?: string },
  principal?: Principal,
): Promise<ReturnLine> {
  mayAct(principal);
  const seals = parseSeals(req.seals);
  const site = String(req.site ?? '').trim();
  if (!site || site.length > 100) throw new ValidationError('site', 'site', 'the site is 1 to 100 characters: a facility id, or a described place');
  return deps.store.transaction((tx) => handOverIn(tx, deps, actor, lineId, { toPartyId: req.toPartyId, site, seals, note: req.note ?? null }));
}

/** handOver inside the caller's transaction (a batch), its input already checked. */
export async function handOverIn(
  tx: StoreTx,
  deps: ServiceDeps,
  actor: Party,
  lineId: string,
  req: { toPartyId: string; site: string; seals: readonly Seal[]; note: string | null },
): Promise<ReturnLine> {
  const { site, seals } = req;
  const now = deps.clock();
  const l = await lineInScope(tx, actor, lineId, true);
  assertCanHandOver(actor, l);
  const to = await tx.parties.get(req.toPartyId);
  if (!to) throw new NotFoundError('party', req.toPartyId, 'toPartyId');
  const device = (await tx.devices.getForUpdate(l.deviceEui as Eui))!;
  if (device.assetStatus !== 'in_transit' && device.assetStatus !== 'in_stock')
    await moveAsset(tx, actor, device, 'in_transit', now, { reason: `handed to ${to.id}`, location: site, patch: { custodianPartyId: to.id } });
  else await tx.devices.update(device.eui, { custodianPartyId: to.id }, now);
  const sealsIntact = seals.length ? seals.every((s) => s.intact) : l.sealsIntact;
  await tx.returns.updateLine(l.id, { custodianPartyId: to.id, site, sealsIntact, custodyPass: l.custodyPass + 1, updatedAt: now });
  await tx.returns.appendEvents([{ lineId: l.id, kind: 'custody', partyId: actor.id, at: now, details: { from: actor.id, to: to.id, site, seals, note: req.note } }]);
  await audit(tx, now, actor.id, 'return.custody', `return-line/${l.id}`, { to: to.id, site, sealsIntact });
  return (await tx.returns.line(l.id))!;
}

/** A pass's answer: the line, the bench's result, and the governance setting that let the party triage (an extension when it departs from the papers). */
export interface TriagePass {
  readonly line: ReturnLine;
  readonly result: BenchResult;
  readonly governance: { readonly setting: string; readonly extension: boolean };
}

export interface TriageRequest {
  readonly facilityId: string;
  readonly method: TriageMethod;
  /** The test plan: the steps to run, in order (default: all). */
  readonly steps?: readonly string[];
}

/** What a triage pass tells whoever watches it, inside its transaction (a throw from either rolls it back). */
export interface TriageObserver {
  /** Every refusal check has passed and the device is on the bench: the plan starts. */
  started?(e: { readonly lineId: string; readonly deviceEui: Eui; readonly facilityId: string; readonly method: TriageMethod; readonly steps: readonly TriageStep[] }): void;
  /** One step's result, as the bench finishes it (index from 0, of total). */
  step?(s: StepResult, index: number, total: number): void;
}

/**
 * One triage pass by the present custodian at its facility whose secure status another party
 * granted, the rules of the papers enforced and explained: never at a consumer's premises, only by
 * a party governance lets triage the device (SMETS2: the manufacturer, by default), one pass per custody. The plan's steps run on the
 * bench over the device's local connection; the outcome moves the asset to no-fault-found or
 * faulty. The manufacturer's bronze method opens the case: the seals are broken after it.
 */
export async function triage(deps: ServiceDeps, actor: Party, lineId: string, req: TriageRequest, principal?: Principal, observer?: TriageObserver): Promise<TriagePass> {
  mayAct(principal);
  if (req.method !== 'gold' && req.method !== 'bronze')
    throw new ValidationError('method', 'triage-method', "method is gold (the DCC test hub) or bronze (the manufacturer's own)");
  const steps = (req.steps ?? TRIAGE_STEPS) as TriageStep[];
  const bad = steps.find((s) => !(TRIAGE_STEPS as readonly string[]).includes(s));
  if (bad !== undefined || steps.length === 0) throw new ValidationError('steps', 'triage-steps', `steps are some of ${TRIAGE_STEPS.join(', ')}`);
  return deps.store.transaction((tx) => triageIn(tx, deps, actor, lineId, { facilityId: req.facilityId, method: req.method, steps }, observer));
}

/** triage inside the caller's transaction (a batch), its input already checked. */
export async function triageIn(
  tx: StoreTx,
  deps: ServiceDeps,
  actor: Party,
  lineId: string,
  req: { facilityId: string; method: TriageMethod; steps: readonly TriageStep[] },
  observer?: TriageObserver,
): Promise<TriagePass> {
  const steps = req.steps;
  const now = deps.clock();
  const l = await lineInScope(tx, actor, lineId, true);
  const facility = await tx.returns.facility(req.facilityId);
  // Another party's facility answers exactly as a missing one (facilities are listed only to their own party).
  if (!facility || (facility.partyId !== actor.id && actor.role !== 'dcc')) throw new NotFoundError('facility', req.facilityId, 'facilityId');
  const allowance = assertCanTriage(actor, l, facility, req.method, deps.policy?.governance ?? DEFAULT_GOVERNANCE);
  const device = (await tx.devices.getForUpdate(l.deviceEui as Eui))!;
  await moveAsset(tx, actor, device, 'in_triage', now, { reason: `triage (${req.method})`, location: facility.id });
  const eui = l.deviceEui as Eui;
  let result: BenchResult;
  const started = () => observer?.started?.({ lineId: l.id, deviceEui: eui, facilityId: facility.id, method: req.method, steps });
  const onStep = observer?.step ? (s: StepResult, i: number, n: number) => observer.step!(s, i, n) : undefined;
  if (await deps.bench.connected(tx, eui)) {
    const bench = await deps.bench.open(tx, [eui]);
    const cells = req.method === 'gold' ? new CellCommands(await deps.keySource.forDevice(tx, eui)) : null;
    const cs02a = cells ? await cells.readCellsFrame(eui, await dccCounter(tx, cells.acb, eui)) : null;
    started();
    result = await bench.runPlan(eui, { steps, method: req.method, sealsIntact: l.sealsIntact, cs02a, now, ...(onStep ? { onStep } : {}) });
    await bench.close(now);
  } else {
    started();
    result = {
      outcome: 'inconclusive',
      fault: null,
      steps: steps.map((step) => ({ step, result: 'skipped' as const, observations: ['no bench connection to this device in meterops'] })),
      credentials: null,
    };
    result.steps.forEach((s, i) => onStep?.(s, i, steps.length));
  }
  const parties = new Set((await tx.returns.events(l.id)).filter((e) => e.kind === 'triage').map((e) => e.partyId));
  await moveAsset(
    tx,
    actor,
    { ...device, assetStatus: 'in_triage' },
    result.outcome === 'no-fault-found' ? 'no_fault_found' : result.outcome === 'fault' ? 'faulty' : 'quarantined',
    now,
    { reason: `triage: ${result.outcome}${result.fault ? ` (${result.fault})` : ''}`, location: facility.id },
  );
  await tx.returns.updateLine(l.id, {
    state: 'triaged',
    outcome: result.outcome,
    fault: result.fault,
    triageCount: l.triageCount + 1,
    triageParties: parties.has(actor.id) ? parties.size : parties.size + 1,
    lastTriagedIn: l.custodyPass,
    noCredential: result.credentials?.networkOperator ?? l.noCredential,
    sealsIntact: req.method === 'bronze' ? false : l.sealsIntact,
    updatedAt: now,
  });
  await tx.returns.appendEvents([
    {
      lineId: l.id,
      kind: 'triage',
      partyId: actor.id,
      at: now,
      details: {
        facility: facility.id,
        method: req.method,
        outcome: result.outcome,
        fault: result.fault,
        steps: result.steps,
        credentials: result.credentials,
        costPence: deps.policy?.returnCosts?.nffTestPence ?? DEFAULT_RETURN_COSTS.nffTestPence,
        governance: { setting: allowance.setting, extension: allowance.extension },
      },
    },
  ]);
  await audit(tx, now, actor.id, 'return.triaged', `return-line/${l.id}`, { method: req.method, outcome: result.outcome, fault: result.fault, governance: allowance.setting });
  return { line: (await tx.returns.line(l.id))!, result, governance: { setting: allowance.setting, extension: allowance.extension } };
}
