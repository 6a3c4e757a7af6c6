import { OpticalPort } from '../optical-port.ts';
import { MechanismRefusal } from '../tasks.ts';

export interface OpticalPortAttackResult {
  readonly premises: number;
  /** Ports the work programme left enabled (`opticalLeftEnabledRate` per visit, this fleet's draws). */
  readonly leftEnabled: number;
  /** An optical head with no field-tool key: disable supply, then a tariff, on every premise's port. */
  readonly disableSupplyAccepted: number;
  readonly tariffAccepted: number;
  /** The same head answering the challenge with a wrong key, on the ports that were locked. */
  readonly wrongKeyAuthenticated: number;
  readonly lockedPorts: number;
  readonly refusals: readonly string[];
}

/** The optical interface left enabled: what someone with an optical head and no key gets, premise by premise. */
export function runOpticalPortAttack(ports: readonly OpticalPort[]): OpticalPortAttackResult {
  let disabled = 0;
  let tariffs = 0;
  let wrongKey = 0;
  let locked = 0;
  const refusals = new Set<string>();
  const attackerKey = Buffer.alloc(32, 0xa5);
  for (const port of ports) {
    const wasEnabled = port.state === 'enabled';
    if (!wasEnabled) {
      locked++;
      if (port.authenticate(OpticalPort.respond(attackerKey, port.challenge()))) wrongKey++;
    }
    try {
      port.setSupply('disabled');
      if (port.esme.loadSwitch === 'disabled') disabled++;
      tariffs += port.programTariff(1) ? 1 : 0;
    } catch (e) {
      if (!(e instanceof MechanismRefusal)) throw e;
      refusals.add(e.message);
    }
  }
  return {
    premises: ports.length,
    leftEnabled: ports.length - locked,
    disableSupplyAccepted: disabled,
    tariffAccepted: tariffs,
    wrongKeyAuthenticated: wrongKey,
    lockedPorts: locked,
    refusals: [...refusals],
  };
}
