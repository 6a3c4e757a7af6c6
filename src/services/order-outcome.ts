import type { HhtUseCase } from '../domain/index.ts';
import { GbcsDecodeError } from '../gbcs/gbcs-error.ts';
import { CONTROL_STATE } from '../gbcs/payloads/dlms.ts';
import { decodePayload } from '../gbcs/payloads/decode-payload.ts';
import { findNode, walk, type PayloadNode } from '../gbcs/payloads/payload-tree.ts';
import type { LocalResponseCheck } from '../gbcs/verify-local-response.ts';

export interface Outcome {
  readonly state: 'executed' | 'refused';
  readonly outcome: string;
  /** What the response tells of the premise's supply and credit. */
  readonly supply?: 'enabled' | 'disabled' | 'armed';
  readonly creditAddedPence?: number;
}

const SUPPLY_AFTER: Partial<Record<HhtUseCase, Outcome['supply']>> = { ECS42: 'enabled', ECS43: 'disabled', ECS44: 'armed' };
const SUPPLY_READ: Record<number, Outcome['supply']> = {
  [CONTROL_STATE.connected]: 'enabled',
  [CONTROL_STATE.disconnected]: 'disabled',
  [CONTROL_STATE.ready_for_reconnection]: 'armed',
};

/** Decodes a response's payload: by default each caller decodes it; an HHT upload passes one decoder that keeps the tree. */
export type PayloadDecoder = () => ReturnType<typeof decodePayload>;

/** What a verified response (or alert) says happened to the command. */
export function outcomeOf(
  useCase: HhtUseCase,
  pence: number,
  check: Extract<LocalResponseCheck, { ok: true }>,
  decode: PayloadDecoder = () => decodePayload(check.frame.apdu),
): Outcome {
  if (check.kind === 'alert') return { state: 'refused', outcome: `refused: alert 0x${check.alertCode.toString(16).toUpperCase()}` };
  const content = check.frame.apdu.content;
  if (content[0] !== 0xda) return { state: 'executed', outcome: 'executed' }; // a GBZ (gas) response: authentic is all we read
  // Read from the decoded payload tree: the result of each request, and the values it returned.
  let root: PayloadNode;
  try {
    root = decode().root;
  } catch (e) {
    if (e instanceof GbcsDecodeError) return { state: 'refused', outcome: `unreadable response: ${e.reason}` };
    throw e;
  }
  const failed = [...walk(root)].map((w) => w.node).find((n) => /^(get|set|action) (data-access|action)-result$/.test(n.name) && n.value !== 0);
  if (failed) return { state: 'refused', outcome: `refused: ${failed.name.split(' ')[0]} result ${failed.value}` };
  if (useCase === 'ECS45') {
    const d = findNode(root, /^control_state/);
    const supply = d?.type === 'enum' ? SUPPLY_READ[Number(d.value)] : undefined;
    return { state: 'executed', outcome: `supply ${supply ?? 'unknown'}`, ...(supply ? { supply } : {}) };
  }
  if (useCase === 'CS01a') return { state: 'executed', outcome: `credit +${pence}p`, creditAddedPence: pence };
  const supply = SUPPLY_AFTER[useCase];
  return { state: 'executed', outcome: supply ? `supply ${supply}` : 'executed', ...(supply ? { supply } : {}) };
}

/** The named values a response or alert carried, as a person reads them (HHT upload results show them). */
export function decodedValues(apdu: Parameters<typeof decodePayload>[0], decode: PayloadDecoder = () => decodePayload(apdu)): Record<string, string> {
  const out: Record<string, string> = {};
  let root: PayloadNode;
  try {
    root = decode().root;
  } catch {
    return out;
  }
  for (const { node, path } of walk(root)) {
    if (!node.named || node.children?.length || ENVELOPE.has(node.name) || node.value === undefined) continue;
    out[path.slice(1).join(' / ')] = node.text ?? String(node.value);
  }
  return out;
}

/** Fields of the DLMS and GBZ envelopes that say nothing about the device's answer. */
const ENVELOPE = new Set([
  'tag',
  'long-invoke-id-and-priority',
  'date-time',
  'access-request-specification',
  'response data count',
  'response specification count',
  'choice',
  'profile id',
  'component count',
  'extended header control',
  'command length',
  'frame control',
  'transaction sequence number',
]);
