// Nothing is credited to a seed paper that the paper does not say. In code and tests a seed is cited
// by number ("seed 000: \"...\"", or "\"...\" (seed 001)"); every sentence quoted beside such a
// citation, and every pound figure or percentage on the same line, must be found in that paper's
// text (quotes straightened, spacing and case ignored). The papers are read from ../shared/seeds;
// the docs cite papers by name, not number (docs-words.test.ts), so they are not scanned here.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { skipBecause } from '../support/skips.ts';

const SEEDS = join(import.meta.dirname, '..', '..', '..', 'shared', 'seeds');
const SCANNED = ['src', 'test', 'web/src', 'web/hht', 'bench', 'scripts'];

const normalise = (s: string) =>
  s
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, ' ')
    .toLowerCase()
    .trim();

function seedTexts(): Map<string, string> {
  const texts = new Map<string, string>();
  for (const f of readdirSync(SEEDS)) {
    const m = /^(\d{3})_.*\.txt$/.exec(f);
    if (m) texts.set(m[1]!, normalise(readFileSync(join(SEEDS, f), 'utf8')));
  }
  return texts;
}

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (/\.(ts|tsx|mjs|sql)$/.test(name)) out.push(p);
  }
  return out;
}

interface Citation {
  readonly where: string;
  readonly seed: string;
  readonly claim: string;
}

/**
 * The text with comment continuations joined (a newline and its indentation, `//` or ` * `, become
 * one space), so that a quote broken across comment lines reads whole; `lineAt` maps back.
 */
function joinComments(text: string): { joined: string; lineAt: (index: number) => number } {
  let joined = '';
  const lines: number[] = [];
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      // Only a comment's next line continues it; code on the next line starts afresh.
      const rest = /^\n[ \t]*(?:\/\/+|\*(?!\/))[ \t]*/.exec(text.slice(i, i + 200));
      if (rest) i += rest[0].length - 1;
      joined += rest ? ' ' : '\n';
      lines.push(line);
      continue;
    }
    joined += text[i];
    lines.push(line);
  }
  return { joined, lineAt: (index) => lines[index] ?? line };
}

/** Quotes and figures credited to a numbered seed. */
export function citationsIn(where: string, text: string): Citation[] {
  const out: Citation[] = [];
  const { joined, lineAt } = joinComments(text.replace(/\\"/g, '"'));
  const at = (i: number) => `${where}:${lineAt(i)}`;
  // seed NNN: "quote"   /   Seed 003, option 7: "quote"   /   seed NNN ("quote")
  for (const m of joined.matchAll(/\bseeds? (\d{3})\b[\w ,:()]{0,30}?["\u201c]([^"\u201d\n;{}=]{8,}?)["\u201d]/gi)) out.push({ where: at(m.index), seed: m[1]!, claim: m[2]! });
  // "quote" (seed NNN)
  for (const m of joined.matchAll(/["\u201c]([^"\u201d\n;{}=]{8,}?)["\u201d],?[ \t]*\(seeds? (\d{3})\)/gi)) out.push({ where: at(m.index), seed: m[2]!, claim: m[1]! });
  // Figures in a sentence that credits one seed.
  for (const sentence of joined.matchAll(/[^.;\n]*\bseeds? \d{3}\b[^;\n]*?(?:\.\s|;|$)/gim)) {
    const seeds = [...new Set([...sentence[0].matchAll(/\bseeds? (\d{3})\b/gi)].map((m) => m[1]!))];
    if (seeds.length !== 1) continue;
    for (const m of sentence[0].matchAll(/£\d[\d,.]*\d|\b\d[\d,.]*%/g)) out.push({ where: at(sentence.index + m.index), seed: seeds[0]!, claim: m[0] });
  }
  return out;
}

function inSeed(seeds: ReadonlyMap<string, string>, c: Citation): boolean {
  const text = seeds.get(c.seed);
  // An ellipsis in a quote marks words left out: each part is looked for on its own.
  return (
    text !== undefined &&
    normalise(c.claim)
      .split(/\.\.\.|…/)
      .every((part) => part.trim() === '' || text.includes(part.trim()))
  );
}

describe('what is credited to a seed paper is in it', { skip: existsSync(SEEDS) ? false : skipBecause('reference', `no seed papers at ${SEEDS}`) }, () => {
  it('finds citations the way they are written (a quote after or before the seed, a figure on its line)', () => {
    const found = citationsIn(
      'x.ts',
      [
        '// Seed 000: "under current governance" and a figure £7.43 here',
        'const s = \'the sentence \\"not to assume this\\" (seed 001)\';',
        '// nothing cited: "a quote with no seed" 5%',
      ].join('\n'),
    );
    assert.deepEqual(
      found.map((c) => [c.where, c.seed, c.claim]),
      [
        ['x.ts:1', '000', 'under current governance'],
        ['x.ts:2', '001', 'not to assume this'],
        ['x.ts:1', '000', '£7.43'],
      ],
    );
  });

  it('tells a figure the seed does not contain from a sentence it does', () => {
    // The published charges (£7.43 and others) were once credited to the triage paper, which does not state them.
    const seeds = seedTexts();
    assert.equal(inSeed(seeds, { where: 'x', seed: '000', claim: '£7.43' }), false);
    assert.equal(inSeed(seeds, { where: 'x', seed: '000', claim: 'performing triage by anyone other than manufacturers, would not be possible' }), true);
    assert.equal(inSeed(seeds, { where: 'x', seed: '000', claim: 'performing triage by anyone ... would not be possible' }), true);
  });

  it('every quoted sentence and figure credited to a seed in code and tests is in that seed', () => {
    const seeds = seedTexts();
    assert.equal(seeds.size, 5, 'the five seed papers');
    const citations = SCANNED.flatMap((d) => files(d)).flatMap((f) => citationsIn(f, readFileSync(f, 'utf8')));
    // This file's own examples are not citations.
    const real = citations.filter((c) => !c.where.startsWith(join('test', 'docs', 'seed-quotes.test.ts')));
    assert.ok(real.length >= 10, `the scan finds the quotes the code makes (found ${real.length})`);
    const wrong = real.filter((c) => !inSeed(seeds, c));
    assert.deepEqual(
      wrong.map((c) => `${c.where}: seed ${c.seed} does not contain "${c.claim}"`),
      [],
    );
  });
});
