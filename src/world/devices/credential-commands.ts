import type { X509Certificate } from 'node:crypto';
import type { Eui } from '../../domain/eui.ts';
import { euiToBytes } from '../../domain/eui.ts';
import { certificateEui } from '../../gbcs/certificate-role.ts';
import {
  buildCs02aResponse,
  buildCs02bResponse,
  CS02B_MODE,
  readCs02aCommand,
  readCs02bCommand,
  ROLE,
  type ReplacementOutcome,
  type RoleCredentials,
} from '../../gbcs/payloads/credentials.ts';
import { GbcsDecodeError } from '../../gbcs/gbcs-error.ts';
import { Refusal, type CommandSpec } from './simulated-device.ts';
import { cellIdOf, subjectKeyIdOf, type TrustAnchors } from './trust-anchors.ts';

const STATUS_NO_CELLS = 25;

/** Which cells each CS02b mode may replace, and whose DS cell must authorise it (GBCS modes 2, 3, 8). */
const MODE_RULES: Readonly<Record<number, { signer: number; targets: (role: number) => boolean }>> = {
  [CS02B_MODE.supplierBySupplier]: { signer: ROLE.supplier, targets: (r) => r === ROLE.supplier },
  [CS02B_MODE.networkOperatorByNetworkOperator]: { signer: ROLE.networkOperator, targets: (r) => r === ROLE.networkOperator },
  [CS02B_MODE.anyExceptAbnormalRootByRecovery]: { signer: ROLE.recovery, targets: (r) => r !== ROLE.root },
};

function parse<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof GbcsDecodeError) throw new Refusal('malformed', e.message);
    throw e;
  }
}

/** CS02a: the device reports its cells for the roles asked. */
export function cs02aSpec(anchors: TrustAnchors): CommandSpec {
  return {
    useCase: 'CS02a',
    critical: false,
    signerRole: null,
    allowedRoles: [ROLE.acb],
    handle({ apdu }) {
      const cmd = parse(() => readCs02aCommand(apdu.content));
      const details: RoleCredentials[] = cmd.roles.map((role) => {
        const cells = anchors
          .entries()
          .filter(([id]) => Number(id.split('/')[0]) === role)
          .map(([id, c]) => {
            const [, usage, cu] = id.split('/');
            return { keyUsage: usage as 'ds' | 'ka', ...(cu ? { cellUsage: Number(cu) } : {}), subjectUniqueId: euiToBytes(c.partyEui), subjectKeyId: c.subjectKeyId };
          });
        return cells.length ? { role, status: 0, sequenceNumber: anchors.floorOf(role), cells } : { role, status: STATUS_NO_CELLS };
      });
      return buildCs02aResponse(details);
    },
  };
}

/**
 * CS02b under its mode's rules: the message code's mode, the authorising cell in the payload and
 * the frame's signer agree; the sequence number is the frame counter and above the authorising
 * party's floor; every target cell is one the mode may replace; each new certificate is parsed
 * for its key, EUI and subject key id. All is checked before any cell changes.
 */
export function cs02bSpec(anchors: TrustAnchors, messageCode: number): CommandSpec {
  const mode = messageCode & 0xff;
  const rule = MODE_RULES[mode]!;
  return {
    useCase: `CS02b mode ${mode}`,
    critical: true,
    signerRole: rule.signer,
    allowedRoles: [rule.signer],
    macOptional: mode === CS02B_MODE.anyExceptAbnormalRootByRecovery,
    responseDateTime: true,
    handle({ apdu }) {
      const cmd = parse(() => readCs02bCommand(apdu.content));
      if (cmd.mode !== mode) throw new Refusal('credential-rule', `payload mode ${cmd.mode} differs from message code mode ${mode}`);
      if (!cmd.authorisingCell || cmd.authorisingCell.role !== rule.signer || cmd.authorisingCell.keyUsage !== 'ds') {
        throw new Refusal('credential-rule', `mode ${mode} must be authorised by the role ${rule.signer} DS cell`);
      }
      if (cmd.sequenceNumber !== apdu.originatorCounter) throw new Refusal('credential-rule', 'the sequence number must equal the frame counter');
      if (cmd.sequenceNumber <= anchors.floorOf(rule.signer)) {
        throw new Refusal('credential-rule', `sequence number ${cmd.sequenceNumber} is not above the floor ${anchors.floorOf(rule.signer)}`);
      }
      if (cmd.executionDateTime) throw new Refusal('credential-rule', 'future-dated credential replacement is not simulated');
      const staged = cmd.replacements.map((r) => {
        if (!rule.targets(r.target.role)) throw new Refusal('credential-rule', `mode ${mode} may not replace the role ${r.target.role} cell`);
        const existing = anchors.get(r.target.role, r.target.keyUsage, r.target.cellUsage ?? 0);
        if (!existing) throw new Refusal('credential-rule', `no cell ${cellIdOf(r.target)} to replace`);
        let cert: X509Certificate;
        try {
          cert = anchors.codec.certificate(r.certificate);
        } catch {
          throw new Refusal('malformed', `the certificate for cell ${cellIdOf(r.target)} cannot be read`);
        }
        const eui = certificateEui(cert);
        if (!eui) throw new Refusal('credential-rule', `the certificate for cell ${cellIdOf(r.target)} names no EUI`);
        return { target: r.target, existing, cert, eui: eui as Eui };
      });
      // Everything checked: now replace.
      const outcomes: ReplacementOutcome[] = staged.map((s) => {
        const replacing = { partyEui: s.eui, publicKey: s.cert.publicKey, subjectKeyId: subjectKeyIdOf(s.cert), floor: s.existing.floor };
        anchors.set(s.target.role, s.target.keyUsage, replacing, s.target.cellUsage ?? 0);
        return {
          cell: s.target,
          status: 0,
          existing: { eui: euiToBytes(s.existing.partyEui), ski: s.existing.subjectKeyId },
          replacing: { eui: euiToBytes(s.eui), ski: replacing.subjectKeyId },
        };
      });
      anchors.setFloor(rule.signer, cmd.newFloor !== undefined && cmd.newFloor > cmd.sequenceNumber ? cmd.newFloor : cmd.sequenceNumber);
      for (const f of cmd.otherFloors ?? []) anchors.setFloor(f.role, f.floor);
      const floors = [{ role: rule.signer, floor: anchors.floorOf(rule.signer) }, ...(cmd.otherFloors ?? []).map((f) => ({ role: f.role, floor: anchors.floorOf(f.role) }))];
      return buildCs02bResponse({ sequenceNumber: cmd.sequenceNumber, mode, floors, outcomes });
    },
  };
}

/**
 * A device's credential commands: CS02a and the CS02b modes its cells allow (by message code:
 * 0x0102 Supplier by Supplier, 0x0103 NO by NO, 0x0108 any by Recovery), as map entries.
 */
export function credentialCommands(anchors: TrustAnchors, cs02b: readonly number[] = [0x0102, 0x0103, 0x0108]): Array<[number, CommandSpec]> {
  return [[0x0008, cs02aSpec(anchors)], ...cs02b.map((code): [number, CommandSpec] => [code, cs02bSpec(anchors, code)])];
}
