import {
  chooseRoute,
  ForbiddenError,
  NotFoundError,
  parsePostcode,
  ROUTED_REQUESTS,
  ValidationError,
  visitPriority,
  type Eui,
  type HubWan,
  type Party,
  type RouteDecision,
  type RoutedRequest,
  type VisitPriority,
} from '../domain/index.ts';
import type { PremiseWanStatus } from '../domain/index.ts';
import { DEFAULT_GOVERNANCE, describeGovernance, type GovernanceRow } from '../domain/governance.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './deps.ts';
import { deviceInScope } from './device-lifecycle.ts';
import { mayAct } from './acting.ts';
import type { Principal } from '../domain/index.ts';

export interface RoutedRequestView extends RouteDecision {
  readonly deviceEui: Eui;
  readonly premiseId: string;
  readonly request: RoutedRequest;
  readonly coverage: string;
  readonly hubWan: HubWan;
  readonly paymentMode: 'credit' | 'prepayment';
  /** The governance route settings the decision applied, each with its default, source and whether it departs (an extension). */
  readonly governance: readonly GovernanceRow[];
}

/** Chooses how a request reaches a device, from the coverage table and what the hub has shown. */
export async function routeRequest(deps: ServiceDeps, actor: Party, eui: Eui, request: string): Promise<RoutedRequestView> {
  if (!(ROUTED_REQUESTS as readonly string[]).includes(request)) throw new ValidationError('request', 'routed-request', `request must be one of ${ROUTED_REQUESTS.join(', ')}`);
  const tx = deps.store.read;
  await deviceInScope(tx, actor, eui);
  const inst = await tx.premises.installationOf(eui);
  if (!inst) throw new ValidationError('deviceEui', 'installed', `${eui} is not installed at a premise`);
  const premise = (await tx.premises.get(inst.premiseId))!;
  const cov = await tx.wan.coverage(premise.postcode);
  const status = await tx.wan.status(premise.id);
  const devices = await tx.premises.installations(premise.id);
  const types = await Promise.all(devices.map((d) => tx.devices.get(d.deviceEui)));
  const governance = deps.policy?.governance ?? DEFAULT_GOVERNANCE;
  const input = {
    request: request as RoutedRequest,
    coverage: cov?.coverage ?? ('unknown' as const),
    hubWan: status?.hubWan ?? ('unknown' as const),
    paymentMode: status?.paymentMode ?? ('credit' as const),
    hasPpmid: types.some((d) => d?.type === 'PPMID'),
    ppmidRelayEnabled: deps.policy?.ppmidRelay ?? false,
    configurationCodesEnabled: governance.routes.configurationCodes,
    ppmidRelayWanStates: governance.routes.ppmidRelayWanStates,
  };
  return {
    deviceEui: eui,
    premiseId: premise.id,
    request: input.request,
    coverage: input.coverage,
    hubWan: input.hubWan,
    paymentMode: input.paymentMode,
    ...chooseRoute(input),
    governance: describeGovernance(governance).filter((r) => r.setting.startsWith('routes.')),
  };
}

export interface VisitQueueEntry extends VisitPriority {
  readonly premiseId: string;
  readonly postcode: string;
  readonly supplierPartyId: string | null;
  readonly creditPence: number | null;
  readonly supply: PremiseWanStatus['supply'];
  readonly wanLostAt: Date;
}

/** SECMP0032: prepayment premises with no WAN, most at risk first, with their fix clocks. */
export async function visitQueue(deps: ServiceDeps, actor: Party, limit = 100): Promise<VisitQueueEntry[]> {
  if (actor.role !== 'supplier' && actor.role !== 'dcc') throw new ForbiddenError('visit-queue', "the visit queue is a Supplier's (or the DCC's) view");
  const now = deps.clock();
  const rows = await deps.store.read.wan.noWanPrepayment(actor.role === 'dcc' ? undefined : actor.id);
  return rows
    .map((r) => {
      const lost = r.wanLostAt ?? r.updatedAt;
      return {
        premiseId: r.premiseId,
        postcode: r.postcode,
        supplierPartyId: r.supplierPartyId,
        creditPence: r.creditPence,
        supply: r.supply,
        wanLostAt: lost,
        ...visitPriority({ wanLostAt: lost, creditPence: r.creditPence, supply: r.supply }, now),
      };
    })
    .sort((a, b) => b.risk - a.risk || a.premiseId.localeCompare(b.premiseId))
    .slice(0, Math.max(1, Math.min(limit, 500)));
}

export interface WanObservation {
  readonly hubWan?: HubWan;
  readonly paymentMode?: 'credit' | 'prepayment';
  readonly creditPence?: number | null;
  readonly supply?: PremiseWanStatus['supply'];
}

/** Records what is known of a premise's hub and meter (a CSP report, an HHT read, a call). */
export async function recordWanObservation(deps: ServiceDeps, actor: Party, premiseId: string, obs: WanObservation, principal?: Principal): Promise<PremiseWanStatus> {
  mayAct(principal);
  if (obs.creditPence !== undefined && obs.creditPence !== null && (!Number.isInteger(obs.creditPence) || obs.creditPence < -100_000 || obs.creditPence > 1_000_000)) {
    throw new ValidationError('creditPence', 'credit-range', 'creditPence is a whole number of pence from -100000 to 1000000');
  }
  return deps.store.transaction(async (tx) => {
    const premise = await tx.premises.get(premiseId);
    // Another Supplier's premise answers exactly as a missing one.
    if (!premise || (actor.role !== 'dcc' && premise.supplierPartyId !== actor.id)) throw new NotFoundError('premise', premiseId, 'premiseId');
    const now = deps.clock();
    const prev = await tx.wan.status(premiseId);
    const hubWan = obs.hubWan ?? prev?.hubWan ?? 'unknown';
    const lostNow = hubWan === 'no-wan' || hubWan === 'intermittent';
    const s: PremiseWanStatus = {
      premiseId,
      hubWan,
      // The clocks start when the WAN is first seen lost, and stop when it is back.
      wanLostAt: lostNow ? (prev?.wanLostAt ?? now) : null,
      paymentMode: obs.paymentMode ?? prev?.paymentMode ?? 'credit',
      creditPence: obs.creditPence !== undefined ? obs.creditPence : (prev?.creditPence ?? null),
      supply: obs.supply !== undefined ? obs.supply : (prev?.supply ?? null),
      statusAt: now,
      updatedAt: now,
    };
    await tx.wan.upsertStatus([s]);
    await audit(tx, now, actor.id, 'premise.wan_observed', `premise/${premiseId}`, { ...obs });
    return s;
  });
}

/** Loads coverage rows (postcode, covered | partial | not-covered), all or none. */
export async function importCoverage(
  deps: ServiceDeps,
  actor: Party,
  rows: ReadonlyArray<{ postcode: string; coverage: string; anticipatedAt?: string | null }>,
  principal?: Principal,
): Promise<number> {
  mayAct(principal);
  if (actor.role !== 'dcc') throw new ForbiddenError('wan-coverage', 'the DCC maintains the WAN coverage table');
  if (rows.length > 100_000) throw new ValidationError('rows', 'batch-size', 'at most 100000 coverage rows at once');
  const clean = rows.map((r, i) => {
    const postcode = parsePostcode(String(r.postcode ?? ''), `rows[${i}].postcode`);
    if (!['covered', 'partial', 'not-covered'].includes(r.coverage))
      throw new ValidationError(`rows[${i}].coverage`, 'coverage', `rows[${i}].coverage must be covered, partial or not-covered`);
    const at = r.anticipatedAt ? new Date(r.anticipatedAt) : null;
    if (at && Number.isNaN(at.getTime())) throw new ValidationError(`rows[${i}].anticipatedAt`, 'date', `rows[${i}].anticipatedAt is not a date`);
    return { postcode, coverage: r.coverage as 'covered' | 'partial' | 'not-covered', anticipatedAt: at };
  });
  return deps.store.transaction(async (tx) => {
    const now = deps.clock();
    await tx.wan.upsertCoverage(clean, now);
    await audit(tx, now, actor.id, 'wan.coverage_imported', 'wan-coverage', { rows: clean.length });
    return clean.length;
  });
}
