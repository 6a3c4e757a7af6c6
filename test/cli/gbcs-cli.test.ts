import assert from 'node:assert/strict';
import { meterops } from '../support/cli.ts';
import { describe, it } from 'node:test';
import { KEYSTORE_DIR, SKIP_DCCBOXED } from '../support/reference.ts';

describe('GBCS commands', { skip: SKIP_DCCBOXED }, () => {
  it('utrn prints the known answer, and refuses a bad counter, value and class by name', async () => {
    const base = ['utrn', '--keystore', KEYSTORE_DIR, '--supplier', '90B3D51F30010000', '--device', '00DB1234567890A0'];
    const ok = await meterops(...base, '--counter', String(4n << 32n), '--value', '1234', '--class', 'pennies');
    assert.equal(ok.stdout.trim(), '73947252416745201637');
    const badCounter = await meterops(...base, '--counter', '5', '--value', '1', '--class', 'pounds');
    assert.equal(badCounter.code, 2);
    assert.match(badCounter.stderr, /multiple of 2\^32\) \[VALIDATION_FAILED utrn-counter\]/);
    const badValue = await meterops(...base, '--counter', String(1n << 32n), '--value', '9000', '--class', 'pounds');
    assert.match(badValue.stderr, /from 0 to 8191/);
    const badClass = await meterops(...base, '--counter', String(1n << 32n), '--value', '1', '--class', 'euros');
    assert.match(badClass.stderr, /--class must be pounds or pennies/);
  });

  it('gbcs decode refuses malformed input with the byte offset', async () => {
    const r = await meterops('gbcs', 'decode', 'DF0901000000');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /GBCS frame invalid at byte 6: truncated: expected|GBCS frame invalid at byte \d+: truncated/);
    const seg = await meterops('gbcs', 'decode', 'E00102');
    assert.match(seg.stderr, /segmented frame \(General Block Transfer/);
  });
});
