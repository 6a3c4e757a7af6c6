import { deviceRelation } from './access.ts';
import type { SensitiveCommand } from './command-request.ts';
import type { Device } from './device.ts';
import { ForbiddenError, NotFoundError, ValidationError } from './errors.ts';
import type { DccUserRole, Party } from './parties.ts';
import type { Premise } from './premise.ts';

/** What a sensitive command is sent to: a device (by EUI), or a premise (an HHT work order). */
export const COMMAND_TARGETS: Readonly<Record<SensitiveCommand, 'device' | 'premise'>> = {
  disable_supply: 'device',
  credential_replacement: 'device',
  utrn_vend: 'device',
  hht_work_order: 'premise',
};

const SUPPLIER_ROLES: readonly DccUserRole[] = ['import_supplier', 'export_supplier', 'gas_supplier'];

/**
 * The DCC User roles that may send each command at all, before its target is looked at. From the
 * GBCS use cases' Eligible User Roles: ECS43 (open the load switch) the Import Supplier, GCS32
 * (close the valve) the Gas Supplier; CS01a / CS01b (top-up) the Import / Gas Supplier; CS02b
 * (replace a credential) the Supplier and the Network Operator for their own cells, and the DCC
 * for the ACB cell (message code 0x0104, ACB by ACB). An HHT work order is meterops' own construct:
 * its rule (a Supplier, for a premise it supplies) is meterops' own.
 */
export const COMMAND_SENDERS: Readonly<Record<SensitiveCommand, readonly DccUserRole[]>> = {
  disable_supply: ['import_supplier', 'gas_supplier'],
  utrn_vend: ['import_supplier', 'gas_supplier'],
  credential_replacement: ['import_supplier', 'gas_supplier', 'network_operator', 'dcc'],
  hht_work_order: SUPPLIER_ROLES,
};

/** The one supplier role a meter's supply and credit belong to: the ESME's Import Supplier, the GSME's Gas Supplier. */
export function fuelRole(device: Device): DccUserRole | null {
  if (device.type === 'ESME') return 'import_supplier';
  if (device.type === 'GSME') return 'gas_supplier';
  return null;
}

export interface CommandSender {
  readonly party: Party;
  readonly userRoles: readonly DccUserRole[];
}

const label = (s: CommandSender) => `${s.party.id} (${s.userRoles.join(', ') || 'no User role'})`;

/** Refuses a sender whose User roles may not send this command to anything (403: the role is no secret). */
export function assertCommandRole(type: SensitiveCommand, sender: CommandSender): void {
  const may = COMMAND_SENDERS[type];
  if (sender.userRoles.some((r) => may.includes(r))) return;
  throw new ForbiddenError('command-sender-role', `${label(sender)} may not send ${type}: only ${may.join(', ')} may (${SOURCE[type]})`, 'commandType');
}

const SOURCE: Readonly<Record<SensitiveCommand, string>> = {
  disable_supply: 'GBCS ECS43 / GCS32 eligible User roles',
  utrn_vend: 'GBCS CS01a / CS01b eligible User roles',
  credential_replacement: 'GBCS CS02b: each role replaces its own cell; the DCC the ACB cell',
  hht_work_order: "meterops' own rule: an HHT work order is a Supplier's",
};

/** Whether the sender may see the device at all: a device relation, or the Network Operator of the premise's region. */
function seesDevice(sender: CommandSender, device: Device, premise: Premise | null): boolean {
  if (deviceRelation(sender.party, device)) return true;
  return isRegionOperator(sender, premise);
}

function isRegionOperator(sender: CommandSender, premise: Premise | null): boolean {
  return sender.userRoles.includes('network_operator') && sender.party.distributorId !== null && premise !== null && premise.distributorId === sender.party.distributorId;
}

/**
 * A device command's target rule, after the sender's role passed: a device the sender cannot see
 * answers as a missing one (404); one it sees but is not responsible for for this command is
 * refused (403); a command the device type does not take is invalid (422).
 *  - disable_supply, utrn_vend: the meter's Supplier of record, in the fuel's role (the ESME's
 *    Import Supplier, the GSME's Gas Supplier); only meters have a supply switch and credit.
 *  - credential_replacement: the device's Supplier of record (for a meter, in its fuel's role),
 *    the Network Operator of the region of the premise an ESME is installed at, or the DCC.
 *    A Gas Transporter's cell is not replaced through meterops: meterops records no relation
 *    between a gas transporter and a premise (meterops' own rule).
 */
export function assertDeviceCommandTarget(type: SensitiveCommand, sender: CommandSender, eui: string, device: Device | undefined, premise: Premise | null): void {
  if (!device || !seesDevice(sender, device, premise)) throw new NotFoundError('device', eui, 'target');
  const fuel = fuelRole(device);
  const supplierOfRecord = device.supplierPartyId === sender.party.id;
  const inFuelRole = fuel === null ? sender.userRoles.some((r) => SUPPLIER_ROLES.includes(r)) : sender.userRoles.includes(fuel);
  if (type === 'disable_supply' || type === 'utrn_vend') {
    if (!supplierOfRecord || !inFuelRole) {
      throw new ForbiddenError(
        'command-target',
        `${label(sender)} may not send ${type} to ${eui}: only its Supplier of record${fuel ? ` as ${fuel}` : ''} may (${SOURCE[type]})`,
        'target',
      );
    }
    if (fuel === null) throw new ValidationError('target', 'device-type', `${type} is for an ESME or a GSME; ${eui} is a ${device.type}`);
    return;
  }
  if (type === 'credential_replacement') {
    if (sender.party.role === 'dcc') return;
    if (supplierOfRecord && inFuelRole) return;
    if (device.type === 'ESME' && isRegionOperator(sender, premise)) return;
    throw new ForbiddenError(
      'command-target',
      `${label(sender)} may not replace credentials on ${eui}: only its Supplier of record${fuel ? ` as ${fuel}` : ''}, the Network Operator of its premise's region (an ESME) or the DCC may (${SOURCE[type]}; a Gas Transporter's cell is not replaced through meterops, meterops' own rule)`,
      'target',
    );
  }
  throw new ValidationError('target', 'command-target', `${type} is sent to a ${COMMAND_TARGETS[type]}, not a device`);
}

/**
 * A premise command's target rule (an HHT work order): the premise's Supplier. Only Suppliers pass
 * the role check, and a Supplier sees only its own premises, so another's answers as a missing one.
 */
export function assertPremiseCommandTarget(sender: CommandSender, id: string, premise: Premise | undefined): void {
  if (!premise || premise.supplierPartyId !== sender.party.id) throw new NotFoundError('premise', id, 'target');
}
