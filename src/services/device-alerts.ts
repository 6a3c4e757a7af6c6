import { ConflictError, deviceRelation, NotFoundError, ValidationError, type Eui, type Party } from '../domain/index.ts';
import { fromHex, toHex } from '../gbcs/byte-reader.ts';
import { decodeFrame } from '../gbcs/decode-frame.ts';
import { readGcaAlert } from '../gbcs/gca-alert.ts';
import { GbcsDecodeError } from '../gbcs/gbcs-error.ts';
import { verifySignature } from '../gbcs/verify-frame.ts';
import type { StoreTx } from '../store/ports.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './deps.ts';
import { mayAct } from './acting.ts';
import type { Principal } from '../domain/index.ts';

/** GBCS alert 0x81C4: UTRN manual entry suspended (keypad locked after wrong entries). */
export const KEYPAD_LOCKED_ALERT = 0x81c4;
/** A meterops default: how long a keypad stays locked after 0x81C4 (the alert does not say). */
export const DEFAULT_KEYPAD_LOCKOUT_MINUTES = 60;

/**
 * A device alert as it reaches meterops (over the WAN, or carried back by an HHT): recorded only
 * when the device's signature verifies, once per alert counter, and only from a party that may
 * act on the device (its supplier of record, owner or custodian, or the DCC: `domain/access.ts`);
 * another party's device answers as a missing one.
 */
export async function recordDeviceAlert(
  deps: ServiceDeps,
  actor: Party,
  frameHex: string,
  principal?: Principal,
): Promise<{ deviceEui: Eui; alertCode: number; recorded: boolean }> {
  mayAct(principal);
  let bytes: Uint8Array;
  try {
    bytes = fromHex(frameHex);
  } catch {
    throw new ValidationError('frame', 'hex', 'the alert frame is not hex');
  }
  const frame = decodeFrame(bytes);
  const a = frame.apdu;
  if (a.cra !== 'alert' || a.messageCode !== 0x1000) throw new ValidationError('frame', 'gca-alert', 'only Generic Critical Alerts (message code 0x1000) are accepted here');
  let alert;
  try {
    alert = readGcaAlert(a.content);
  } catch (e) {
    if (e instanceof GbcsDecodeError) throw new ValidationError('frame', 'gca-alert', e.reason);
    throw e;
  }
  return deps.store.transaction(async (tx) => {
    const device = await tx.devices.get(a.originator);
    if (!device || !deviceRelation(actor, device)) throw new NotFoundError('device', a.originator, 'frame');
    const { keys } = await deps.keySource.forDevice(tx, a.originator);
    const sig = await verifySignature(frame, keys);
    if (sig.status !== 'valid')
      throw new ValidationError('frame', 'device-signature', `the alert's device signature is ${sig.status === 'unverifiable' ? sig.reason : sig.status}`);
    const now = deps.clock();
    const recorded = await tx.deviceAlerts.insert({
      deviceEui: a.originator,
      alertCode: alert.alertCode,
      counter: a.originatorCounter,
      raisedAt: alert.raisedAt ?? now,
      frame: toHex(bytes),
      receivedAt: now,
    });
    if (recorded)
      await audit(tx, now, 'meterops', 'device.alert', `device/${a.originator}`, {
        alertCode: `0x${alert.alertCode.toString(16).toUpperCase()}`,
        counter: a.originatorCounter.toString(),
        relayedBy: actor.id,
      });
    return { deviceEui: a.originator, alertCode: alert.alertCode, recorded };
  });
}

/** Refuses a code for a meter whose keypad said it is locked: the consumer could not enter it. */
export async function refuseIfKeypadLocked(tx: StoreTx, eui: Eui, now: Date, lockoutMinutes = DEFAULT_KEYPAD_LOCKOUT_MINUTES): Promise<void> {
  const last = await tx.deviceAlerts.latest(eui, KEYPAD_LOCKED_ALERT);
  if (!last) return;
  const until = new Date(last.raisedAt.getTime() + lockoutMinutes * 60_000);
  if (until > now)
    throw new ConflictError(
      'meter-locked-out',
      `${eui} reported its keypad locked (alert 0x81C4) at ${last.raisedAt.toISOString()}; codes can be entered again after ${until.toISOString()}`,
      'deviceEui',
    );
}
