import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeededRandom } from '../../src/world/devices/seeded-random.ts';
import { FUZZ_KINDS, fuzzDevices, mutate, mutateCode } from '../../src/world/studies/frame-fuzz.ts';

describe('fuzzing the simulated devices (the CI-size run of npm run bench -- fuzz)', () => {
  it('10,000 mutated, forged, replayed and wrong-target frames and codes: none accepted, every control accepted', { timeout: 600_000 }, async () => {
    const r = await fuzzDevices({ cases: 10_000, seed: 'ci' });
    assert.equal(r.cases, 10_000);
    assert.equal(r.wrongful, 0, JSON.stringify(r.examples));
    let total = 0;
    for (const kind of FUZZ_KINDS) {
      const t = r.byKind[kind];
      total += t.cases;
      assert.ok(t.cases >= 100, `${kind}: ${t.cases} cases`);
      // A control is the genuine frame or code delivered right after the fault: its acceptance
      // shows the refusal came from the fault, not from a used counter or a locked keypad.
      assert.equal(t.controlsAccepted, t.controls, `${kind}: ${t.controlsAccepted} of ${t.controls} controls accepted`);
    }
    assert.equal(total, 10_000);
    for (const kind of ['mutated-frame', 'forged-signature', 'forged-mac', 'wrong-target-frame', 'mutated-code', 'wrong-target-code'] as const) {
      assert.equal(r.byKind[kind].controls, r.byKind[kind].cases, `${kind}: every case has its control`);
    }
    // The refusals came from the checks a real device makes.
    for (const reason of ['counter-not-increasing', 'utrn-duplicate']) assert.ok((r.reasons[reason] ?? 0) > 0, `some refusals are ${reason}: ${JSON.stringify(r.reasons)}`);
  });

  it('the same seed gives the same run', async () => {
    const a = await fuzzDevices({ cases: 300, seed: 'same' });
    const b = await fuzzDevices({ cases: 300, seed: 'same' });
    assert.deepEqual(a, b);
  });

  it('never hands the genuine bytes or digits back as a mutation', () => {
    const rng = new SeededRandom('mutations');
    const frame = Uint8Array.from({ length: 120 }, (_, i) => i);
    for (let i = 0; i < 5_000; i++) assert.notDeepEqual(mutate(frame, rng), frame);
    for (const code of ['73946144332040217315', '11111111111111111111', '12121212121212121212']) {
      for (let i = 0; i < 2_000; i++) assert.notEqual(mutateCode(code, rng), code);
    }
  });

  it('refuses a nonsense size', async () => {
    await assert.rejects(fuzzDevices({ cases: 0, seed: 'x' }), /cases is a whole number/);
    await assert.rejects(fuzzDevices({ cases: 1.5, seed: 'x' }), /cases is a whole number/);
  });
});
