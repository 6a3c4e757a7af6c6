import pino from 'pino';
import type { Eui, NewDevice, Party } from '../../src/domain/index.ts';
import { hashApiKey } from '../../src/services/authenticate.ts';
import type { ServiceDeps } from '../../src/services/deps.ts';
import type { DeviceInput } from '../../src/services/device-input.ts';
import type { Store } from '../../src/store/store.ts';

let euiCounter = 0;
/**
 * A fresh EUI per call: the prefix, then a counter. Unique within the process, and the same
 * sequence on every run (each test file has its own process and a fresh database).
 */
export function anEui(prefix = 'AB'): Eui {
  euiCounter++;
  return `${prefix}${euiCounter.toString(16).toUpperCase().padStart(14, '0')}` as Eui;
}

let partyCounter = 0;
export function aParty(over: Partial<Party> = {}): Party {
  partyCounter++;
  return {
    id: `p-${partyCounter}`,
    name: `Test party ${partyCounter}`,
    role: 'supplier',
    eui: null,
    distributorId: null,
    ...over,
  };
}

export function aDeviceInput(over: Partial<Record<keyof DeviceInput, unknown>> = {}): DeviceInput {
  return {
    eui: anEui(),
    type: 'ESME',
    smetsGeneration: 'SMETS2+',
    manufacturer: 'Acme Metering',
    model: 'E470',
    firmwareVersion: '3.1.0',
    ...over,
  };
}

export function aDevice(over: Partial<NewDevice> = {}): NewDevice {
  return {
    eui: anEui(),
    type: 'ESME',
    smetsGeneration: 'SMETS2+',
    manufacturer: 'Acme Metering',
    model: 'E470',
    firmwareVersion: '3.1.0',
    inventoryStatus: 'Pending',
    assetStatus: 'in_stock',
    ownerPartyId: null,
    supplierPartyId: null,
    custodianPartyId: null,
    ...over,
  };
}

export const silentLog = pino({ level: 'silent' });

export function depsFor(store: Store, clock: () => Date = () => new Date()): ServiceDeps {
  return { store, clock, log: silentLog };
}

/** Inserts parties with API keys `key-<id>`. */
export async function withParties<T extends Party[]>(store: Store, ...parties: T): Promise<T> {
  await store.transaction(async (tx) => {
    for (const p of parties) {
      await tx.parties.insert(p);
      await tx.parties.addApiKey(p.id, hashApiKey(`key-${p.id}`), 'test');
    }
  });
  return parties;
}
