import type { RelayWanState } from './governance.ts';

/**
 * Which way a request reaches a device when the WAN may not. The routes that exist: the WAN (DUIS
 * Command Variant 1), an HHT visit carrying locally-delivered commands (Variants 2 and 6, responses
 * back by SRV 8.13), a code the consumer types (a UTRN; an Enable Supply configuration code only as
 * a governance extension, since installed meters do not take them), and, as a simulated option only
 * (SECMP0038), a relay through the PPMID for the hub WAN states governance allows (intermittent).
 */
export const ROUTED_REQUESTS = ['enableSupply', 'disableSupply', 'armSupply', 'topUp', 'readStatus', 'credentialChange'] as const;
export type RoutedRequest = (typeof ROUTED_REQUESTS)[number];
export type Route = 'wan' | 'hht-visit' | 'consumer-code' | 'ppmid-relay';

export type WanCoverage = 'covered' | 'partial' | 'not-covered' | 'unknown';
export type HubWan = 'connected' | 'intermittent' | 'no-wan' | 'unknown';

export interface RouteInput {
  readonly request: RoutedRequest;
  /** From the coverage table for the premise's postcode. */
  readonly coverage: WanCoverage;
  /** What the hub has been seen to do. */
  readonly hubWan: HubWan;
  readonly paymentMode: 'credit' | 'prepayment';
  readonly hasPpmid: boolean;
  /** The deployment allows the simulated PPMID relay (off by default: "the WG and SSC concluded that the proposed solution would not be viable due to its security implications", SECMP0038 modification page, on hold and superseded by DP094; not in the seed papers). */
  readonly ppmidRelayEnabled: boolean;
  /** governance.routes.configurationCodes: Enable Supply by configuration code (off by default: IssueSEC0009). */
  readonly configurationCodesEnabled: boolean;
  /** governance.routes.ppmidRelayWanStates: the hub WAN states the relay may serve (seed 001: intermittent only). */
  readonly ppmidRelayWanStates: readonly RelayWanState[];
}

export interface RouteDecision {
  readonly route: Route;
  /** Other routes that would also work, best first. */
  readonly alternatives: readonly Route[];
  readonly reasons: readonly string[];
  /** True when the route or an alternative departs from the papers' rules (a governance extension). */
  readonly extension: boolean;
  /** Which departures were offered: 'routes.configurationCodes', 'routes.ppmidRelayWanStates'. */
  readonly extensions: readonly string[];
}

/** Requests a CH forwards from a PPMID in the simulated relay: reads, top-ups and re-enabling supply. */
export const PPMID_RELAY_ALLOWED: readonly RoutedRequest[] = ['topUp', 'readStatus', 'enableSupply'];
/** Requests a consumer code can carry: a UTRN (top-up, standard), or a configuration code (enable supply, an extension). */
const CONSUMER_CODE: readonly RoutedRequest[] = ['topUp', 'enableSupply'];

export function chooseRoute(i: RouteInput): RouteDecision {
  const reasons: string[] = [];
  const wanUp = i.hubWan === 'connected' || (i.hubWan === 'intermittent' && i.coverage !== 'not-covered') || (i.hubWan === 'unknown' && i.coverage === 'covered');
  if (i.hubWan === 'connected') reasons.push('the hub is connected to the WAN');
  else if (i.hubWan === 'intermittent') reasons.push('the hub has intermittent WAN: try the WAN, fall back if it times out');
  else if (i.hubWan === 'no-wan')
    reasons.push(
      i.coverage === 'covered' ? 'the postcode is covered but the hub has no WAN: suspect the hub (replace it within 30 days)' : `the hub has no WAN (coverage: ${i.coverage})`,
    );
  else reasons.push(`hub connectivity unknown; coverage for the postcode: ${i.coverage}`);

  const offline: Route[] = [];
  const extensions: string[] = [];
  const prepay = i.paymentMode === 'prepayment';
  const codeAllowed = i.request === 'topUp' || (i.request === 'enableSupply' && i.configurationCodesEnabled);
  if (prepay && CONSUMER_CODE.includes(i.request) && codeAllowed) offline.push('consumer-code');
  if (offline[0] === 'consumer-code' && i.request === 'enableSupply') extensions.push('routes.configurationCodes');
  // Seed 001 keeps the relay to intermittent WAN; a deployment may widen it, and that is an extension.
  const relayState = (i.ppmidRelayWanStates as readonly string[]).includes(i.hubWan);
  const relayCandidate = i.hasPpmid && PPMID_RELAY_ALLOWED.includes(i.request);
  if (relayCandidate && i.ppmidRelayEnabled && relayState) {
    offline.push('ppmid-relay');
    if (i.hubWan === 'no-wan') extensions.push('routes.ppmidRelayWanStates');
  }
  offline.push('hht-visit');

  if (!prepay && CONSUMER_CODE.includes(i.request) && i.request === 'topUp') reasons.push('the meter is in credit mode: a top-up does not apply');
  if (i.request === 'credentialChange') reasons.push('credential changes are critical commands: WAN or an HHT carrying the signed command only');
  if (i.request === 'disableSupply') reasons.push('disabling supply is never done by a consumer code or a relay');
  if (offline[0] === 'consumer-code')
    reasons.push(
      i.request === 'topUp'
        ? 'a UTRN the consumer types needs no WAN'
        : 'an Enable Supply configuration code the consumer types needs no WAN (meterops extension: governance.routes.configurationCodes is on; installed meters do not take them)',
    );
  if (prepay && i.request === 'enableSupply' && !i.configurationCodesEnabled && i.hubWan !== 'connected')
    reasons.push(
      'no configuration code for Enable Supply: IssueSEC0009 asks to avoid a change to meters already installed and configuration codes were only a 2012 option (governance.routes.configurationCodes is off), so the no-WAN route is an HHT visit',
    );
  if (relayCandidate && !i.ppmidRelayEnabled) reasons.push('the PPMID relay is a simulated option and is not enabled');
  if (relayCandidate && !relayState && i.hubWan !== 'connected')
    reasons.push(
      i.hubWan === 'no-wan'
        ? 'the PPMID relay is not offered for a hub with no WAN: the SECMP0038 working group paper says not to assume it would be used in no-WAN and never-WAN scenarios, only intermittent WAN (governance.routes.ppmidRelayWanStates)'
        : `the PPMID relay is offered only for hub WAN states ${i.ppmidRelayWanStates.join(', ') || '(none)'} (governance.routes.ppmidRelayWanStates); this hub: ${i.hubWan}`,
    );
  if (extensions.includes('routes.ppmidRelayWanStates'))
    reasons.push(
      'the PPMID relay for a hub with no WAN is a meterops extension (governance.routes.ppmidRelayWanStates includes no-wan): the SECMP0038 working group paper limits it to intermittent WAN',
    );
  const ext = { extension: extensions.length > 0, extensions };

  if (wanUp) {
    const alternatives = i.hubWan === 'intermittent' ? offline : [];
    // Offline routes not offered here are no departure from the papers.
    const used = alternatives.length ? ext : { extension: false, extensions: [] };
    return { route: 'wan', alternatives, reasons, ...used };
  }
  if (prepay) reasons.push('prepayment premise with no WAN: prioritised for a visit (SECMP0032)');
  return { route: offline[0]!, alternatives: offline.slice(1), reasons, ...ext };
}
