import type { HhtUseCase } from '../domain/index.ts';
import { GbcsDecodeError } from '../gbcs/gbcs-error.ts';
import { CONTROL_STATE, readAccessResponse } from '../gbcs/payloads/dlms.ts';
import type { LocalResponseCheck } from '../gbcs/verify-local-response.ts';

export interface Outcome {
  readonly state: 'executed' | 'refused';
  readonly outcome: string;
  /** What the response tells of the premise's supply and credit. */
  readonly supply?: 'enabled' | 'disabled' | 'armed';
  readonly creditAddedPence?: number;
}

const SUPPLY_AFTER: Partial<Record<HhtUseCase, Outcome['supply']>> = { ECS42: 'enabled', ECS43: 'disabled', ECS44: 'armed' };
const SUPPLY_READ: Record<number, Outcome['supply']> = { [CONTROL_STATE.connected]: 'enabled', [CONTROL_STATE.disconnected]: 'disabled', [CONTROL_STATE.ready_for_reconnection]: 'armed' };

/** What a verified response (or alert) says happened to the command. */
export function outcomeOf(useCase: HhtUseCase, pence: number, check: Extract<LocalResponseCheck, { ok: true }>): Outcome {
  if (check.kind === 'alert') return { state: 'refused', outcome: `refused: alert 0x${check.alertCode.toString(16).toUpperCase()}` };
  const content = check.frame.apdu.content;
  if (content[0] !== 0xda) return { state: 'executed', outcome: 'executed' }; // a GBZ (gas) response: authentic is all we read
  let r;
  try {
    r = readAccessResponse(content);
  } catch (e) {
    if (e instanceof GbcsDecodeError) return { state: 'refused', outcome: `unreadable response: ${e.reason}` };
    throw e;
  }
  const failed = r.results.find((x) => x.result !== 0);
  if (failed) return { state: 'refused', outcome: `refused: ${failed.kind} result ${failed.result}` };
  if (useCase === 'ECS45') {
    const d = r.data[0];
    const supply = d?.type === 'enum' ? SUPPLY_READ[d.value] : undefined;
    return { state: 'executed', outcome: `supply ${supply ?? 'unknown'}`, ...(supply ? { supply } : {}) };
  }
  if (useCase === 'CS01a') return { state: 'executed', outcome: `credit +${pence}p`, creditAddedPence: pence };
  const supply = SUPPLY_AFTER[useCase];
  return { state: 'executed', outcome: supply ? `supply ${supply}` : 'executed', ...(supply ? { supply } : {}) };
}
