// The audit chain's hash, without a database: SHA-256 over the previous hash, a newline, and the
// entry's fields as JSON with sorted keys, computed here by hand.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { auditHash, canonicalJson, GENESIS_HASH } from '../../src/services/audit-chain.ts';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('the audit entry hash', () => {
  const entry = { id: 41, at: new Date('2026-11-01T09:00:00.250Z'), actorPartyId: 'p-a', action: 'duty.done', entity: 'duty/7', details: '{"evidence":"ref 1"}' };
  const text = '{"action":"duty.done","actor":"p-a","at":"2026-11-01T09:00:00.250Z","details":"{\\"evidence\\":\\"ref 1\\"}","entity":"duty/7","id":41}';

  it('starts from 64 zeros', () => {
    assert.equal(GENESIS_HASH, '0000000000000000000000000000000000000000000000000000000000000000');
  });

  it('is SHA-256 of the previous hash, a newline and the sorted fields', () => {
    assert.equal(auditHash(GENESIS_HASH, entry), sha256(`${'0'.repeat(64)}\n${text}`));
    const prev = sha256('any previous entry');
    assert.equal(auditHash(prev, entry), sha256(`${prev}\n${text}`));
  });

  it('changes with every field and with the previous hash', () => {
    const h = auditHash(GENESIS_HASH, entry);
    const variants = [
      { ...entry, id: 42 },
      { ...entry, at: new Date('2026-11-01T09:00:00.251Z') },
      { ...entry, actorPartyId: 'p-b' },
      { ...entry, action: 'duty.exempt' },
      { ...entry, entity: 'duty/8' },
      { ...entry, details: '{"evidence":"ref 2"}' },
    ];
    for (const v of variants) assert.notEqual(auditHash(GENESIS_HASH, v), h, JSON.stringify(v));
    assert.equal(variants.length, 6);
    assert.notEqual(auditHash('1'.repeat(64), entry), h);
  });
});

describe('canonical JSON', () => {
  it('sorts keys at every level and drops undefined members', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: null, y: 'x' }], c: undefined } }), '{"a":{"d":[3,{"y":"x","z":null}]},"b":1}');
  });
  it('writes scalars as JSON, undefined and null as null', () => {
    assert.equal(canonicalJson(undefined), 'null');
    assert.equal(canonicalJson(null), 'null');
    assert.equal(canonicalJson(7), '7');
    assert.equal(canonicalJson(true), 'true');
    assert.equal(canonicalJson('a"b'), '"a\\"b"');
  });
  it('keeps array order and writes empty containers', () => {
    assert.equal(canonicalJson([2, 1, [3]]), '[2,1,[3]]');
    assert.equal(canonicalJson([]), '[]');
    assert.equal(canonicalJson({}), '{}');
    assert.equal(canonicalJson({ k: [] }), '{"k":[]}');
  });
  it('gives one text for two key orders', () => {
    assert.equal(canonicalJson({ x: 1, y: { q: 2, p: 3 } }), canonicalJson({ y: { p: 3, q: 2 }, x: 1 }));
  });
});
