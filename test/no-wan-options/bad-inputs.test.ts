import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/domain/errors.ts';
import { parseAssumeFlag, resolveAssumptions } from '../../src/world/no-wan-options/assumptions.ts';
import { noWanOptionsReport } from '../../src/world/no-wan-options/no-wan-options-report.ts';
import { SimulatedWorld } from '../../src/world/simulated-world.ts';

const refused = (field: string, rule: string, message: RegExp) => (e: unknown) => {
  assert.ok(e instanceof ValidationError, String(e));
  assert.deepEqual([e.field, e.rule], [field, rule]);
  assert.match(e.message, message);
  return true;
};

describe('no-WAN options: bad inputs are refused, naming what is wrong', () => {
  it('an unknown assumption, or one of the wrong type or out of range', () => {
    assert.throws(
      () => resolveAssumptions({ picocellFailRate: 0.5 }),
      refused('assumptions.picocellFailRate', 'unknown-assumption', /unknown assumption "picocellFailRate"; one of .*picocellFailureRate/),
    );
    assert.throws(() => resolveAssumptions({ picocellFailureRate: 1.5 }), refused('assumptions.picocellFailureRate', 'assumption-range', /from 0 to 1 .* got 1.5/));
    assert.throws(() => resolveAssumptions({ picocellFailureRate: '0.5' }), refused('assumptions.picocellFailureRate', 'assumption-type', /is a number/));
    assert.throws(() => resolveAssumptions({ menuPinDigits: 2.5 }), refused('assumptions.menuPinDigits', 'assumption-range', /whole number, got 2.5/));
    assert.throws(() => resolveAssumptions({ visitHours: Number.NaN }), refused('assumptions.visitHours', 'assumption-type', /is a number/));
    assert.throws(() => resolveAssumptions({ menuPinPerMeter: 1 }), refused('assumptions.menuPinPerMeter', 'assumption-type', /true or false, got 1/));
    assert.throws(() => resolveAssumptions([] as unknown as Record<string, unknown>), refused('assumptions', 'assumption-type', /an object/));
    assert.throws(() => resolveAssumptions({ menuPinDigits: 7 }), refused('assumptions.menuPinDigits', 'assumption-range', /from 1 to 6/));
    // 30 days at one code a second would be 2,592,000 codes typed for real.
    assert.throws(
      () => resolveAssumptions({ codeGuessDays: 30, codeEntrySeconds: 1 }),
      refused('assumptions.codeGuessDays', 'assumption-range', /is 2592000 codes; the run types at most 250000/),
    );
    assert.equal(resolveAssumptions({ codeGuessDays: 30, codeEntrySeconds: 11 }).codeGuessDays, 30, '235,637 codes: allowed');
    assert.throws(() => resolveAssumptions({}, { keypadLockoutMinutes: 0 }), refused('assumptions.menuLockoutMinutes', 'assumption-range', /from 1 to 10080/));
  });

  it('a good override is taken, and the lock-out default follows METEROPS_KEYPAD_LOCKOUT_MINUTES', () => {
    const a = resolveAssumptions({ picocellFailureRate: 0.5, menuPinPerMeter: true }, { keypadLockoutMinutes: 15 });
    assert.deepEqual([a.picocellFailureRate, a.menuPinPerMeter, a.menuLockoutMinutes, a.visitHours], [0.5, true, 15, 1.5]);
  });

  it('--assume needs key=value', () => {
    assert.throws(() => parseAssumeFlag('picocellFailureRate'), refused('assume', 'assume-format', /key=value, got "picocellFailureRate"/));
    assert.deepEqual(parseAssumeFlag('menuPinPerMeter=true'), ['menuPinPerMeter', true]);
    assert.deepEqual(parseAssumeFlag('picocellFailureRate=0.25'), ['picocellFailureRate', 0.25]);
    assert.deepEqual(parseAssumeFlag('visitHours=abc'), ['visitHours', 'abc'], 'left for the range check to refuse');
  });

  it('an unknown option, a fleet size out of range, a bad seed, a fleet with too few no-WAN premises', async () => {
    const world = new SimulatedWorld();
    await assert.rejects(noWanOptionsReport(world, { option: 'gprs' }), refused('option', 'no-wan-option', /unknown option "gprs"; one of dumb-or-smart-ready, .*restricted-hht/));
    await assert.rejects(noWanOptionsReport(world, { premises: 99 }), refused('premises', 'study-premises', /from 100 to 200000, got 99/));
    await assert.rejects(noWanOptionsReport(world, { premises: 1000.5 }), refused('premises', 'study-premises', /whole number/));
    await assert.rejects(noWanOptionsReport(world, { seed: 'no seed!' }), refused('seed', 'fleet-seed', /letters, digits/));
    // Seed "x" with 100 premises gives no premise without WAN (0.7% of premises have none).
    await assert.rejects(noWanOptionsReport(world, { premises: 100, seed: 'x' }), refused('premises', 'no-wan-premises', /has 0 premises with no WAN; the study needs 2/));
    await assert.rejects(noWanOptionsReport(world, { assumptions: { picocellSetUpMinutes: 0 } }), refused('assumptions.picocellSetUpMinutes', 'assumption-range', /from 1 to 600/));
  });
});
