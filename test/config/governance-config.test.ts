import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { ValidationError } from '../../src/domain/errors.ts';
import { describeGovernance } from '../../src/domain/governance.ts';

describe('governance configuration', () => {
  it("defaults to the seeds' rules", () => {
    const g = loadConfig({}).governance;
    // Seed 000: "under current governance for SMETS2, performing triage by anyone other than
    // manufacturers, would not be possible".
    assert.deepEqual(g.triage.smets2, ['manufacturer']);
    // IssueSEC0009 (seed 001): "the solution should avoid requiring a change to meters already installed in premises": configuration codes are off.
    assert.equal(g.routes.configurationCodes, false);
    // Seed 001 limits the PPMID relay to intermittent WAN.
    assert.deepEqual(g.routes.ppmidRelayWanStates, ['intermittent']);
    assert.ok(
      describeGovernance(g).every((r) => !r.extension),
      'no setting is an extension at its default',
    );
  });
  it('labels a departure from a default an extension, and keeps the other defaults', () => {
    const g = loadConfig({ METEROPS_GOVERNANCE: '{"routes":{"configurationCodes":true}}' }).governance;
    const rows = describeGovernance(g);
    const codes = rows.find((r) => r.setting === 'routes.configurationCodes');
    assert.deepEqual([codes?.value, codes?.default, codes?.extension], [true, false, true]);
    assert.deepEqual(
      rows.filter((r) => r.extension).map((r) => r.setting),
      ['routes.configurationCodes'],
    );
    assert.deepEqual(g.triage.smets2, ['manufacturer']);
    assert.match(codes?.source ?? '', /IssueSEC0009/);
  });
  it('takes triage extensions by generation, device type and method, each an extension', () => {
    const g = loadConfig({ METEROPS_GOVERNANCE: '{"triage":{"extensions":[{"generation":"SMETS2","deviceType":"CHF","method":"gold","roles":["supplier"]}]}}' }).governance;
    assert.deepEqual(g.triage.extensions, [{ generation: 'SMETS2', deviceType: 'CHF', method: 'gold', roles: ['supplier'] }]);
    assert.deepEqual(g.triage.smets2, ['manufacturer'], 'the generation list keeps its default');
    assert.deepEqual(
      describeGovernance(g)
        .filter((r) => r.extension)
        .map((r) => r.setting),
      ['triage.extensions'],
    );
    assert.deepEqual(loadConfig({}).governance.triage.extensions, [], 'none by default');
  });
  for (const [text, path, message] of [
    ['{"triage":{"extensions":[{"generation":"SMETS3","roles":["supplier"]}]}}', 'triage.extensions.0.generation', /expected one of/],
    ['{"triage":{"extensions":[{"generation":"SMETS2","deviceType":"TOASTER","roles":["supplier"]}]}}', 'triage.extensions.0.deviceType', /expected one of/],
    ['{"triage":{"extensions":[{"generation":"SMETS2","method":"silver","roles":["supplier"]}]}}', 'triage.extensions.0.method', /expected one of/],
    ['{"triage":{"extensions":[{"generation":"SMETS2","roles":[]}]}}', 'triage.extensions.0.roles', /at least 1|>=1/],
    ['{"triage":{"extensions":[{"generation":"SMETS2","roles":["supplier"],"x":1}]}}', 'triage.extensions.0', /Unrecognized key: "x"/],

    ['{"routes":{"x":1}}', 'routes', /Unrecognized key: "x"/],
    ['{"triage":{"smets2":["wizard"]}}', 'triage.smets2.0', /expected one of/],
    ['{"triage":{"smets2":[]}}', 'triage.smets2', /at least 1|>=1/],
    ['{"routes":{"ppmidRelayWanStates":["connected"]}}', 'routes.ppmidRelayWanStates.0', /expected one of/],
    ['{"routes":{"configurationCodes":"yes"}}', 'routes.configurationCodes', /boolean/],
  ] as const) {
    it(`refuses ${text}, naming ${path}`, () => {
      assert.throws(
        () => loadConfig({ METEROPS_GOVERNANCE: text }),
        (e: unknown) => e instanceof ValidationError && e.field === 'governance' && e.message.includes(`governance ${path} (METEROPS_GOVERNANCE)`) && message.test(e.message),
      );
    });
  }
});
