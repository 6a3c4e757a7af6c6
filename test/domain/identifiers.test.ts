import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  distributorFor,
  DNO_REGIONS,
  formatEuiHyphenated,
  makeMpanCore,
  mpanDistributor,
  parseEui,
  parseMpanCore,
  parseMprn,
  parsePostcode,
  ValidationError,
} from '../../src/domain/index.ts';

const rejects = (fn: () => unknown, field: string, rule: string) => assert.throws(fn, (e: unknown) => e instanceof ValidationError && e.field === field && e.rule === rule);

describe('EUI-64', () => {
  it('accepts plain and hyphenated forms in any case, to one canonical form', () => {
    assert.equal(parseEui('00db1234567890a0'), '00DB1234567890A0');
    assert.equal(parseEui('00-DB-12-34-56-78-90-A0'), '00DB1234567890A0');
    assert.equal(formatEuiHyphenated(parseEui('90B3D51F30010000')), '90-B3-D5-1F-30-01-00-00');
  });
  it('refuses malformed EUIs, naming the field and rule', () => {
    for (const bad of ['', '00DB1234567890A', '00DB1234567890A0F', '00DB1234567890AG', '00-DB-1234567890A0', '00:DB:12:34:56:78:90:A0']) {
      rejects(() => parseEui(bad, 'eui'), 'eui', 'eui-64');
    }
  });
  it('round-trips every 8-byte value through both forms', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), (bytes) => {
        const hex = Buffer.from(bytes).toString('hex');
        const eui = parseEui(hex);
        assert.equal(parseEui(formatEuiHyphenated(eui)), eui);
      }),
    );
  });
});

describe('MPAN core', () => {
  it('accepts published examples with valid check digits', () => {
    assert.equal(parseMpanCore('1200023305967'), '1200023305967');
    assert.equal(parseMpanCore('10 1234 5678 912'), '1012345678912');
  });
  it('refuses a wrong check digit and says which digit was expected', () => {
    assert.throws(
      () => parseMpanCore('1200023305968'),
      (e: unknown) => e instanceof ValidationError && e.rule === 'mpan-check-digit' && /expected 7/.test(e.message),
    );
  });
  it('refuses anything but 13 digits', () => {
    for (const bad of ['120002330596', '12000233059677', '12000233059A7', '']) rejects(() => parseMpanCore(bad), 'mpan', 'mpan-core-format');
  });
  it('refuses an unknown distributor id even with a valid check digit', () => {
    rejects(() => parseMpanCore(makeMpanCoreUnchecked('05', '0000000001')), 'mpan', 'known-distributor-id');
  });
  it('every generated core validates, and any other last digit fails', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 99 }), fc.integer({ min: 0, max: 9_999_999_999 }), fc.integer({ min: 1, max: 9 }), (d, u, delta) => {
        const core = makeMpanCore(d, u);
        assert.equal(parseMpanCore(core), core);
        const wrong = core.slice(0, 12) + String((Number(core[12]) + delta) % 10);
        rejects(() => parseMpanCore(wrong), 'mpan', 'mpan-check-digit');
      }),
    );
  });
});

function makeMpanCoreUnchecked(distributor: string, unique: string): string {
  const primes = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];
  const first12 = distributor + unique;
  const sum = [...first12].reduce((s, c, i) => s + Number(c) * primes[i]!, 0);
  return first12 + String((sum % 11) % 10);
}

describe('DNO regions', () => {
  it('has the 14 areas 10-23, each with a distinct GSP group', () => {
    assert.deepEqual(
      DNO_REGIONS.map((r) => r.distributorId),
      [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23],
    );
    assert.equal(new Set(DNO_REGIONS.map((r) => r.gspGroup)).size, 14);
    assert.equal(distributorFor(12).region?.name, 'London');
    assert.equal(distributorFor(17).region?.gspGroup, '_P');
  });
  it('treats 24 and above as independent networks with no region of their own', () => {
    const d = distributorFor(24);
    assert.equal(d.kind, 'idno');
    assert.equal(d.region, undefined);
    assert.equal(mpanDistributor(parseMpanCore(makeMpanCore(29, 42))).kind, 'idno');
  });
  it('refuses ids below 10', () => {
    for (const id of [0, 9, -1, 100, 12.5]) rejects(() => distributorFor(id), 'distributorId', 'known-distributor-id');
  });
});

describe('MPRN and postcode', () => {
  it('accepts 6-10 digits and refuses the rest', () => {
    assert.equal(parseMprn('7000001'), '7000001');
    for (const bad of ['12345', '12345678901', '00000000', '12a4567']) rejects(() => parseMprn(bad), 'mprn', 'mprn-format');
  });
  it('normalises UK postcodes and refuses non-postcodes', () => {
    assert.equal(parsePostcode('sw1a1aa'), 'SW1A 1AA');
    assert.equal(parsePostcode('M1 1AE'), 'M1 1AE');
    for (const bad of ['SW1A', '12345', 'ZZZ ZZZ']) rejects(() => parsePostcode(bad), 'postcode', 'uk-postcode');
  });
});
