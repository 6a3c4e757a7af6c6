import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { meterops, meteropsWith } from '../support/cli.ts';

describe('meterops report no-wan-options', () => {
  it('prints the table of the eight options on a generated fleet, and the same figures as JSON', async () => {
    const table = await meterops('report', 'no-wan-options', '--premises', '1000');
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /no-WAN options at the 8 no-WAN premises of fleet "no-wan-options" \(1000 premises\)/);
    for (const id of ['1 dumb-or-smart-ready', '4 engineering-menu', '7 pass-through-hht', '8 restricted-hht']) assert.match(table.stdout, new RegExp(`^${id} `, 'm'));
    assert.match(table.stdout, /"Not practical or reliable for configuring tariffs"/);
    const json = await meterops('report', 'no-wan-options', '--premises', '1000', '--option', 'picocell', '--assume', 'picocellFailureRate=1', '--json');
    assert.equal(json.code, 0, json.stderr);
    const r = JSON.parse(json.stdout);
    assert.deepEqual(
      r.options.map((o: { id: string }) => o.id),
      ['picocell'],
    );
    assert.equal(r.assumptions.picocellFailureRate.value, 1);
    assert.equal(r.options[0].tasks['supply-disable'].failed, 8, 'no cell ever came up');
  });

  it('takes the menu lock-out default from METEROPS_KEYPAD_LOCKOUT_MINUTES', async () => {
    const r = await meteropsWith({ METEROPS_KEYPAD_LOCKOUT_MINUTES: '15' }, 'report', 'no-wan-options', '--premises', '1000', '--option', 'engineering-menu', '--json');
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.assumptions.menuLockoutMinutes.value, 15);
    assert.equal(j.attacks.pinGuessing.lockoutMinutes, 15);
  });

  it('refuses bad input with a clear error and exit status 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--option', 'gprs'], /unknown option "gprs"; one of dumb-or-smart-ready.* \[VALIDATION_FAILED no-wan-option\]/],
      [['--assume', 'picocellFailureRate=2'], /picocellFailureRate is from 0 to 1 .* \[VALIDATION_FAILED assumption-range\]/],
      [['--assume', 'nope=1'], /unknown assumption "nope"/],
      [['--assume', 'picocellFailureRate'], /--assume takes key=value/],
      [['--premises', 'lots'], /--premises is a whole number, got "lots"/],
      [['--premises', '10'], /premises is a whole number from 100 to 200000, got 10/],
    ];
    for (const [args, message] of cases) {
      const r = await meterops('report', 'no-wan-options', ...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    }
  });
});
