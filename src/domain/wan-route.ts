/**
 * Which way a request reaches a device when the WAN may not. The routes that exist: the WAN (DUIS
 * Command Variant 1), an HHT visit carrying locally-delivered commands (Variants 2 and 6, responses
 * back by SRV 8.13), a code the consumer types (a UTRN, or a meterops configuration code), and, as
 * a simulated option only (SECMP0038), a relay through the PPMID.
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
  /** The deployment allows the simulated PPMID relay (off by default: the working group judged it not viable). */
  readonly ppmidRelayEnabled: boolean;
}

export interface RouteDecision {
  readonly route: Route;
  /** Other routes that would also work, best first. */
  readonly alternatives: readonly Route[];
  readonly reasons: readonly string[];
}

/** Requests a CH forwards from a PPMID in the simulated relay: reads, top-ups and re-enabling supply. */
export const PPMID_RELAY_ALLOWED: readonly RoutedRequest[] = ['topUp', 'readStatus', 'enableSupply'];
/** Requests a consumer code can carry: a UTRN, or a configuration code (enable supply). */
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
  const prepay = i.paymentMode === 'prepayment';
  if (prepay && CONSUMER_CODE.includes(i.request)) offline.push('consumer-code');
  if (i.hasPpmid && i.ppmidRelayEnabled && PPMID_RELAY_ALLOWED.includes(i.request)) offline.push('ppmid-relay');
  offline.push('hht-visit');

  if (!prepay && CONSUMER_CODE.includes(i.request) && i.request === 'topUp') reasons.push('the meter is in credit mode: a top-up does not apply');
  if (i.request === 'credentialChange') reasons.push('credential changes are critical commands: WAN or an HHT carrying the signed command only');
  if (i.request === 'disableSupply') reasons.push('disabling supply is never done by a consumer code or a relay');
  if (offline[0] === 'consumer-code')
    reasons.push(i.request === 'topUp' ? 'a UTRN the consumer types needs no WAN' : 'an Enable Supply configuration code (meterops extension) the consumer types needs no WAN');
  if (i.hasPpmid && !i.ppmidRelayEnabled && PPMID_RELAY_ALLOWED.includes(i.request)) reasons.push('the PPMID relay is a simulated option and is not enabled');

  if (wanUp) return { route: 'wan', alternatives: i.hubWan === 'intermittent' ? offline : [], reasons };
  if (prepay) reasons.push('prepayment premise with no WAN: prioritised for a visit (SECMP0032)');
  return { route: offline[0]!, alternatives: offline.slice(1), reasons };
}
