// RFC 8785 canonical JSON, against the RFC's own examples, and meterops' rules on top: NFC, no
// lone surrogates, no NUL, finite numbers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, findBadString, ValidationError } from '../../src/domain/index.ts';

describe('RFC 8785 canonical JSON', () => {
  it('serialises the example of RFC 8785 section 3.2.2 as the RFC prints it', () => {
    // RFC 8785 section 3.2.2: the input object, and "the expected output" in section 3.2.3.
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    );
    assert.equal(canonicalJson(input), '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
  });

  it('sorts members by their names as UTF-16 code units (RFC 8785 section 3.2.3)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // "The sorting process ... results in the following property order" (RFC 8785 section 3.2.3),
    // for the six names that NFC leaves as they are.
    const names = (text: string) => [...text.matchAll(/:"([^"]+)"/g)].map((m) => m[1]);
    const { '\ufb33': hebrew, ...stable } = input;
    assert.deepEqual(names(canonicalJson(stable)), ['Carriage Return', 'One', 'Control', 'Latin Small Letter O With Diaeresis', 'Euro Sign', 'Emoji: Grinning Face']);
    // U+FB33 is excluded from composition: NFC writes it U+05D3 U+05BC, which sorts before the Euro
    // sign. meterops normalises what it writes (its rule on top of RFC 8785); exact mode, RFC 8785
    // alone, gives the RFC's order for all seven.
    assert.equal(hebrew, 'Hebrew Letter Dalet With Dagesh');
    assert.equal('\ufb33'.normalize('NFC'), '\u05d3\u05bc');
    assert.deepEqual(names(canonicalJson(input)), [
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Hebrew Letter Dalet With Dagesh',
      'Euro Sign',
      'Emoji: Grinning Face',
    ]);
    assert.deepEqual(names(canonicalJson(input, { exact: true })), [
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
  });

  it('keeps array order, drops undefined members, writes empty containers and scalars', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: null, y: 'x' }], c: undefined } }), '{"a":{"d":[3,{"y":"x","z":null}]},"b":1}');
    assert.equal(canonicalJson([2, 1, [3]]), '[2,1,[3]]');
    assert.equal(canonicalJson({ k: [] }), '{"k":[]}');
    assert.equal(canonicalJson(undefined), 'null');
    assert.equal(canonicalJson(true), 'true');
    assert.equal(canonicalJson(-0), '0');
    assert.equal(canonicalJson(new Date('2026-11-01T09:00:00.250Z')), '"2026-11-01T09:00:00.250Z"');
    assert.equal(canonicalJson({ x: 1, y: { q: 2, p: 3 } }), canonicalJson({ y: { p: 3, q: 2 }, x: 1 }));
  });

  it('writes one NFC text for two spellings of one string, and exact mode the string as it is', () => {
    // U+0065 U+0301 (e, combining acute) is U+00E9 in Normalization Form C.
    assert.equal(canonicalJson({ m: 'Caf\u0065\u0301' }), '{"m":"Caf\u00e9"}');
    assert.equal(canonicalJson({ m: 'Caf\u0065\u0301' }), canonicalJson({ m: 'Caf\u00e9' }));
    // Exact mode writes the stored text as it is: the two spellings are two texts.
    assert.equal(canonicalJson({ m: 'Caf\u0065\u0301' }, { exact: true }), '{"m":"Cafe\u0301"}');
    assert.notEqual(canonicalJson({ m: 'Caf\u0065\u0301' }, { exact: true }), canonicalJson({ m: 'Caf\u00e9' }, { exact: true }));
  });

  it('refuses lone surrogates, NUL and numbers that are not finite, naming where', () => {
    const refuses = (v: unknown, field: string, rule: string) =>
      assert.throws(
        () => canonicalJson(v),
        (e: unknown) => e instanceof ValidationError && e.field === field && e.rule === rule,
        `${field} ${rule}`,
      );
    refuses({ manufacturer: '\ud800' }, 'manufacturer', 'well-formed-unicode');
    refuses({ a: { b: ['ok', 'x\udfff'] } }, 'a.b[1]', 'well-formed-unicode');
    refuses({ a: 'x\u0000y' }, 'a', 'no-nul');
    refuses({ ['k\ud800']: 1 }, 'k\ud800', 'well-formed-unicode');
    refuses({ n: Number.NaN }, 'n', 'finite-number');
    refuses({ n: Infinity }, 'n', 'finite-number');
    refuses({ n: 1n }, 'n', 'json-value');
    // A surrogate pair is well-formed.
    assert.equal(canonicalJson({ e: '\ud83d\ude00' }), '{"e":"😀"}');
  });
});

describe('findBadString', () => {
  it('names the path of the first string that is not well-formed or holds NUL', () => {
    assert.deepEqual(findBadString({ manufacturer: '\ud800' }), {
      field: 'manufacturer',
      rule: 'well-formed-unicode',
      message: 'manufacturer is not well-formed Unicode (it holds a lone surrogate)',
    });
    assert.equal(findBadString({ lines: [{ reason: 'ok' }, { reason: 'a\u0000' }] })?.field, 'lines[1].reason');
    assert.equal(findBadString({ lines: [{ reason: 'a\u0000' }] })?.rule, 'no-nul');
    assert.equal(findBadString({ a: ['\ud83d\ude00', 1, null, { b: 'é' }] }), null);
    assert.equal(findBadString(undefined), null);
  });
});
