import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { simulateReturnsYear } from '../../src/world/studies/simulate-year.ts';
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

    it('works every return through the flow, the report adding up to what was done', async () => {
      const phases = new Set<string>();
      const y = await simulateReturnsYear(depsFor(store), { returns: 60, seed: `year-${backend.name}` }, (p) => phases.add(p));
      const o = y.report.overall;
      assert.equal(y.returns, 60);
      assert.deepEqual([o.returns, o.triaged, o.nff + o.fault + o.inconclusive], [60, 60, 60]);
      assert.equal(o.refurbished + o.scrapped, 60, 'every line ends refurbished (in stock or reinstalled) or scrapped');
      assert.ok(o.repeatTriage > 0 && o.repeatTriage === o.multiParty, 'second passes are by the manufacturer');
      assert.ok(y.reinstalled >= 1 && y.reinstalled <= 3, `one in twenty reinstalled: ${y.reinstalled}`);
      assert.deepEqual([...phases].sort(), ['fleet', 'reinstall', 'returns', 'triage']);
      const reinstalled = await store.read.returns.list({ state: 'reinstalled', limit: 10 });
      assert.equal(reinstalled.length, y.reinstalled);
      for (const l of reinstalled) assert.notEqual((await store.read.premises.get(l.reinstalledAt!))?.distributorId, l.removedDistributor, 'reinstalled in another region');
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
