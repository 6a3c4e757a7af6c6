import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { simulateReturnsYear } from '../../src/world/studies/simulate-year.ts';
import { DEFAULT_GOVERNANCE } from '../../src/domain/governance.ts';
import type { Store } from '../../src/store/store.ts';
import { BACKENDS } from '../support/backends.ts';
import { depsFor } from '../support/builders.ts';
import { meterops } from '../support/cli.ts';

for (const backend of BACKENDS) {
  describe(`a year of returns in one command on ${backend.name}`, { skip: backend.skip ?? false }, () => {
    let store: Store;
    before(async () => {
      store = await backend.open();
    });
    after(async () => store?.close());

    it(`works every return through the flow, the report adding up to what was done; SMETS2 triaged by the manufacturer only: "under current governance for SMETS2, performing triage by anyone other than manufacturers, would not be possible"`, async () => {
      const phases = new Set<string>();
      const y = await simulateReturnsYear(depsFor(store), { returns: 60, seed: `year-${backend.name}` }, (p) => phases.add(p));
      const o = y.report.overall;
      assert.equal(y.returns, 60);
      assert.deepEqual([o.returns, o.triaged, o.nff + o.fault + o.inconclusive, o.nffNotCounted], [60, 60, 60, 0]);
      assert.equal(o.refurbished + o.scrapped, 60, 'every line ends refurbished (in stock or reinstalled) or scrapped');
      assert.deepEqual([o.repeatTriage, o.multiParty, o.triagePasses], [0, 0, 60], "one pass per line, the manufacturer's");
      const lines = (await store.read.returns.list({ limit: 100 })).filter((l) => l.smetsGeneration.startsWith('SMETS2'));
      assert.equal(lines.length, 60, 'the fleet is SMETS2');
      const maker = (await store.read.parties.list()).filter((p) => p.role === 'manufacturer');
      assert.equal(maker.length, 1, 'the year has one manufacturer');
      for (const l of lines) {
        const passes = (await store.read.returns.events(l.id)).filter((e) => e.kind === 'triage');
        assert.deepEqual(
          passes.map((e) => e.partyId),
          [maker[0]!.id],
          `${l.deviceEui}: triaged by the manufacturer only`,
        );
      }
      assert.ok(y.reinstalled >= 1 && y.reinstalled <= 3, `one in twenty reinstalled: ${y.reinstalled}`);
      assert.deepEqual([...phases].sort(), ['fleet', 'reinstall', 'returns', 'triage']);
      const reinstalled = await store.read.returns.list({ state: 'reinstalled', limit: 10 });
      assert.equal(reinstalled.length, y.reinstalled);
      for (const l of reinstalled) assert.notEqual((await store.read.premises.get(l.reinstalledAt!))?.distributorId, l.removedDistributor, 'reinstalled in another region');
    });

    it("with an extension letting Suppliers triage SMETS2 by the gold method, the Suppliers' labs triage first and the manufacturer makes the second passes", async () => {
      const own = await backend.open();
      try {
        const deps = depsFor(own);
        const extended = {
          ...deps,
          policy: {
            ...deps.policy,
            governance: {
              ...DEFAULT_GOVERNANCE,
              triage: { ...DEFAULT_GOVERNANCE.triage, extensions: [{ generation: 'SMETS2' as const, method: 'gold' as const, roles: ['supplier' as const] }] },
            },
          },
        };
        const y = await simulateReturnsYear(extended, { returns: 60, seed: `year-ext-${backend.name}` });
        const o = y.report.overall;
        assert.deepEqual([o.returns, o.triaged, o.nff + o.fault + o.inconclusive, o.nffNotCounted], [60, 60, 60, 0]);
        assert.equal(o.refurbished + o.scrapped, 60, 'every line ends refurbished (in stock or reinstalled) or scrapped');
        assert.ok(o.repeatTriage > 0 && o.repeatTriage === o.multiParty, 'second passes are by the manufacturer');
      } finally {
        await own.close();
      }
    });
  });
}

describe('meterops simulate returns', () => {
  it('refuses a bad count, naming the option', async () => {
    const r = await meterops('simulate', 'returns', '--returns', '5', '--seed', 's');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--returns is a whole number from 10 to 500000/);
  });
});
