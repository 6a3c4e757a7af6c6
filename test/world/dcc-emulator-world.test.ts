import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { duisReceiveRoute } from '../../src/api/routes/duis-receive.ts';
import { DuisClient } from '../../src/duis/duis-client.ts';
import { DuisReceiver } from '../../src/duis/duis-receiver.ts';
import { disableSupply, enableSupply } from '../../src/duis/duis-request.ts';
import type { XmlSigner } from '../../src/duis/duis-signature.ts';
import { DuisTrust, trustedSigner } from '../../src/duis/duis-trust.ts';
import type { Eui } from '../../src/domain/eui.ts';
import type { ServiceDeps } from '../../src/services/deps.ts';
import type { Store } from '../../src/store/store.ts';
import { DccEmulator } from '../../src/world/dcc-emulator/dcc-emulator.ts';
import { worldDevices } from '../../src/world/dcc-emulator/world-devices.ts';
import { Fleet } from '../../src/world/devices/fleet.ts';
import { generateFleet, showFleetDevice } from '../../src/world/fleet-service.ts';
import type { SimulatedWorld } from '../../src/world/simulated-world.ts';
import { BACKENDS } from '../support/backends.ts';
import { aParty, depsFor, withParties, worldOf } from '../support/builders.ts';

const SEED = 'duis-emulator-world';
const port = (app: FastifyInstance) => (app.server.address() as { port: number }).port;

describe('the DCC emulator drives the simulated world', () => {
  let store: Store;
  let deps: ServiceDeps;
  let world: SimulatedWorld;
  let emulator: DccEmulator;
  let user: FastifyInstance;
  let client: DuisClient;
  let receiver: DuisReceiver;
  const fleet = new Fleet({ premises: 20, seed: SEED });
  const premise = (() => {
    for (let i = 0; i < fleet.premiseCount; i++) if (fleet.premise(i).devices.ESME) return fleet.premise(i);
    throw new Error('no ESME in the fleet');
  })();
  const esme = premise.devices.ESME!;
  const supplier = premise.supplier;

  before(async () => {
    store = await BACKENDS[0]!.open();
    const dcc = aParty({ role: 'dcc' });
    await withParties(store, dcc);
    deps = depsFor(store);
    world = worldOf(deps);
    await generateFleet(deps, dcc, { premises: 20, seed: SEED });
    // The simulation's SMKI certifies XmlSign keys as it does the GBCS ones: the Supplier's (role 0x87) and the DSP's (0x89, the DCC's EUI).
    const ca = await world.ca();
    const stored = (await store.transaction((tx) => world.storedFleet(tx, esme)))!;
    const platform = await world.fleetKeys(stored.fleet);
    const xmlSign = async (eui: Eui, role: number): Promise<XmlSigner> => {
      const r = await ca.issueOrganisation({ eui, role, name: `XmlSign ${eui}` }, 'ds');
      return { signer: trustedSigner(r.certificate.toString()), privateKey: r.privateKey! };
    };
    const supplierSigner = await xmlSign(supplier, 0x87);
    const dsp = await xmlSign(platform.acb, 0x89);
    const identity = { dsp: new DuisTrust([dsp.signer]), dcc: platform.acb };
    receiver = new DuisReceiver(identity);
    user = Fastify();
    await duisReceiveRoute(user, receiver);
    await user.listen({ host: '127.0.0.1', port: 0 });
    emulator = new DccEmulator({
      users: new DuisTrust([supplierSigner.signer]),
      dsp,
      dcc: platform.acb,
      acb: platform.acb,
      keys: platform.keys,
      devices: worldDevices(world, deps),
      receiveUrl: `http://127.0.0.1:${port(user)}/duis/receive`,
    });
    await emulator.app.listen({ host: '127.0.0.1', port: 0 });
    client = new DuisClient({ baseUrl: `http://127.0.0.1:${port(emulator.app)}`, signer: supplierSigner, keys: platform.keys, ...identity });
  });
  after(async () => {
    await emulator?.idle();
    await emulator?.app.close();
    await user?.close();
    await store?.close();
  });

  it('7.2 then 7.1 through the emulator switch the simulated ESME off and on, each answered by the device', async () => {
    const off = disableSupply({ user: supplier, device: esme, counter: 100n });
    assert.equal((await client.sendCritical(off)).code, 'I99');
    const offAnswer = await receiver.awaitResponse(off.header.requestId, 10_000);
    assert.equal(offAnswer.body.kind, 'gbcs');
    assert.equal(((await showFleetDevice(world, deps, esme)).state as { loadSwitch: string }).loadSwitch, 'disabled');
    const on = enableSupply({ user: supplier, device: esme, counter: 101n });
    assert.equal((await client.sendCritical(on)).code, 'I99');
    await receiver.awaitResponse(on.header.requestId, 10_000);
    assert.notEqual(((await showFleetDevice(world, deps, esme)).state as { loadSwitch: string }).loadSwitch, 'disabled');
    // Each delivery is in the audit log, as the simulation's own deliveries are.
    const entries = await store.read.audit.page(0, 1000);
    assert.ok(entries.filter((e) => e.action === 'sim.frame_delivered' && e.entity === `device/${esme}`).length >= 2);
  });
});
