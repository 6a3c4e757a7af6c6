import pino from 'pino';
import type { Eui, NewDevice, Party } from '../../src/domain/index.ts';
import { DEFAULT_GOVERNANCE, type Governance } from '../../src/domain/governance.ts';
import { hashApiKey } from '../../src/services/authenticate.ts';
import { buildApp, type App, type AppOptions } from '../../src/api/app.ts';
import { simulatedWorldWiring } from '../../src/composition/simulated-world-wiring.ts';
import { wireWorld } from '../../src/composition/wire-world.ts';
import type { Policy, ServiceDeps } from '../../src/services/deps.ts';
import { noKeySource } from '../../src/services/keystore-key-source.ts';
import type { KeySource } from '../../src/services/ports/key-source.ts';
import { SimulatedWorld } from '../../src/world/simulated-world.ts';
import type { DeviceInput } from '../../src/services/device-input.ts';
import type { Store } from '../../src/store/store.ts';
import { auditKeyFromSeed } from '../../src/keys/audit-key-file.ts';
import { secretBoxOf } from '../../src/keys/secret-box.ts';

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

// Each deps' simulated world (by its gateway, which deps spread from them keep), for the tests
// that talk to simulated devices themselves.
const worlds = new WeakMap<object, SimulatedWorld>();

/** The tests' audit log key: Ed25519 from a fixed seed (32 bytes of 0x07). */
export const testAuditKey = auditKeyFromSeed(new Uint8Array(32).fill(7));

/** The tests' notice key (webhook secrets sealed at rest): 32 bytes of 0x09. */
export const testNoticeKey = secretBoxOf(new Uint8Array(32).fill(9));

/** Deps as the composition root wires them: the simulated world behind the device ports, no deployment keystore. */
export function depsFor(store: Store, clock: () => Date = () => new Date(), opts: { world?: SimulatedWorld; keys?: KeySource; policy?: Policy } = {}): ServiceDeps {
  const world = opts.world ?? new SimulatedWorld();
  const deps = wireWorld(
    world,
    { store, clock, log: silentLog, auditKey: testAuditKey, secrets: testNoticeKey, ...(opts.policy ? { policy: opts.policy } : {}) },
    opts.keys ?? noKeySource(),
  );
  worlds.set(deps.gateway, world);
  return deps;
}

/** The default governance with configuration codes turned on (a meterops extension, off by default). */
export function withConfigurationCodes(): Governance {
  return { ...DEFAULT_GOVERNANCE, routes: { ...DEFAULT_GOVERNANCE.routes, configurationCodes: true } };
}

/** The simulated world behind deps made by depsFor (also for deps spread from them). */
export function worldOf(deps: ServiceDeps): SimulatedWorld {
  const w = worlds.get(deps.gateway);
  if (!w) throw new Error('these deps were not made by depsFor');
  return w;
}

/** The HTTP API with the simulated world's /sim routes, as `serve` builds it. */
export function appFor(deps: ServiceDeps, opts: AppOptions = {}): Promise<App> {
  const wiring = simulatedWorldWiring(worldOf(deps));
  return buildApp(deps, { ...opts, plugins: [(a) => wiring.routes!(a, deps)] });
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
