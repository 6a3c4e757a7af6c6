import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SEED_OPTIONS } from '../../src/world/no-wan-options/seed-options.ts';
import { skipBecause } from '../support/skips.ts';

const shared = process.env.METEROPS_SHARED_DIR ?? join(import.meta.dirname, '..', '..', '..', 'shared');
const file = join(shared, 'seeds', '003_98558dc72f261f36.txt');
const skip = existsSync(file) ? false : skipBecause('reference', `the 2012 SDAG paper not found at ${file}`);

describe('the no-WAN options quote the 2012 SDAG paper word for word', { skip }, () => {
  const seed = () => readFileSync(file, 'utf8').replace(/\s+/g, ' ');

  it('every title, summary and verdict is in the seed (line breaks as single spaces)', () => {
    const text = seed();
    for (const o of Object.values(SEED_OPTIONS)) for (const q of [o.title, ...o.summary, ...o.verdicts]) assert.ok(text.includes(q), `${o.id}: "${q}"`);
  });

  it('the verdicts the issue paraphrased, as the seed words them', () => {
    const text = seed();
    assert.ok(text.includes('significant security risk'));
    assert.ok(text.includes('Time-consuming to set up'));
    // The "not practical for tariffs" is not the seed's wording; this is:
    assert.ok(!text.includes('not practical for tariffs') && !text.includes('Not practical for tariffs'));
    assert.ok(text.includes('Not practical or reliable for configuring tariffs'));
    assert.equal(text.split('significant security risk').length - 1, 2, 'said of the engineering menu and of the optical interface');
  });
});
