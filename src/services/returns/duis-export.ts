import { ForbiddenError, NotFoundError, RETURN_REASONS, ValidationError, type Eui, type Party } from '../../domain/index.ts';
import { buildHubReturnDuis } from '../../gbcs/duis-hub-return.ts';
import { DCC_BOXED_ACB } from '../../gbcs/verify-frame.ts';
import type { ServiceDeps } from '../deps.ts';
import { showReturn } from './returns.ts';

export interface DuisExportOptions {
  /** Which hub line, when the return has several. */
  readonly line?: number;
  readonly incidentReference?: string;
  readonly userRefId?: string;
  readonly additionalInformation?: string;
  readonly connectionMethod?: 'Hot-shoe' | 'Cradle' | 'ESME';
}

/**
 * A hub line of a return as the DUIS request a User sends the DCC: 8.14.3 for a fault (with the
 * GPF as the other device), 8.14.4 otherwise (reasons DUIS has no word for go as "general").
 */
export async function exportHubReturnDuis(deps: ServiceDeps, actor: Party, returnId: string, o: DuisExportOptions = {}): Promise<string> {
  // Scope first: another party's return answers as a missing one; the DCC, which sees every
  // return, sends no DUIS request for a User (meterops' own rule: the returning User sends it).
  const { order, lines } = await showReturn(deps, actor, returnId);
  if (order.partyId !== actor.id)
    throw new ForbiddenError('return-owner', `return ${returnId} is ${order.partyId}'s: only the returning User sends its DUIS 8.14 request`, 'returnId');
  if (!actor.eui) throw new ValidationError('actor', 'user-eui', `${actor.id} has no EUI to send DUIS requests as`);
  const user = actor.eui;
  const hubs = lines.filter((l) => l.deviceType === 'CHF');
  if (!hubs.length) throw new ValidationError('returnId', 'hub-return', `return ${returnId} has no Communications Hub: DUIS 8.14 is for hubs`);
  const line = o.line === undefined ? (hubs.length === 1 ? hubs[0] : undefined) : hubs.find((l) => l.lineNo === o.line);
  if (!line)
    throw new ValidationError(
      'line',
      'hub-line',
      o.line === undefined ? `return ${returnId} has ${hubs.length} hubs: say which line (${hubs.map((h) => h.lineNo).join(', ')})` : `line ${o.line} of ${returnId} is not a hub`,
    );
  const reason = RETURN_REASONS[line.reason];
  let otherDeviceId: Eui | undefined;
  if (reason.duis === '8.14.3') {
    const gpfLine = lines.find((l) => l.deviceType === 'GPF' && l.incidentId === line.incidentId);
    otherDeviceId = gpfLine?.deviceEui as Eui | undefined;
    if (!otherDeviceId && line.removedFrom) {
      for (const i of await deps.store.read.premises.installations(line.removedFrom)) {
        if ((await deps.store.read.devices.get(i.deviceEui))?.type === 'GPF') otherDeviceId = i.deviceEui;
      }
    }
    if (!otherDeviceId) throw new NotFoundError('GPF of hub', line.deviceEui, 'otherDeviceId');
  }
  const counter = await deps.store.transaction(async (tx) => (await tx.vends.allocateCommandCounters(actor.id, line.deviceEui as Eui, 1))[0]!);
  return buildHubReturnDuis({
    user,
    dcc: DCC_BOXED_ACB,
    counter,
    deviceId: line.deviceEui as Eui,
    userRefDateTime: line.createdAt,
    ...(o.userRefId !== undefined ? { userRefId: o.userRefId } : {}),
    ...(o.incidentReference !== undefined ? { incidentReference: o.incidentReference } : {}),
    ...(o.additionalInformation !== undefined ? { additionalInformation: o.additionalInformation } : {}),
    body:
      reason.duis === '8.14.3'
        ? {
            variant: '8.14.3',
            faultReturnType: line.found === 'before-installation' ? 'Fault identified prior to installation' : 'Fault identified post installation',
            faultReason: reason.text,
            otherDeviceId: otherDeviceId!,
            connectionMethod: o.connectionMethod ?? 'Hot-shoe',
          }
        : { variant: '8.14.4', noFaultReturnType: reason.duis === '8.14.4' ? reason.text : RETURN_REASONS['no-fault-general'].text },
  });
}
