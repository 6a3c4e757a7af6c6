// The docs name nothing the reader does not have: no tracker issue ("issue 11", "the issue's
// target") and no numbered seed document ("seeds 000 and 002"). The README and docs/*.md are read
// as they are, so a page that brings one back fails here, naming the page, line and words.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const PAGES = [
  'README.md',
  ...readdirSync('docs')
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f)),
];

/** What a reader cannot look up. "Issue" as a verb (issue a key, keys issue) is not among them. */
const UNREADABLE: ReadonlyArray<[RegExp, string]> = [
  [/\bissues?[- ]\d+/i, 'a numbered issue'],
  [/\bthe\s+issue\b/i, 'the issue'],
  [/\bseeds? \d{3}\b/i, 'a numbered seed'],
];

/** Every match in the pages, as `page:line: words (what)`. */
function unreadableMentions(pages: ReadonlyArray<{ name: string; text: string }>): string[] {
  const found: string[] = [];
  for (const { name, text } of pages) {
    // Joined across line breaks, as the words read: "the\nissue" is still "the issue".
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      const joined = `${line} ${lines[i + 1] ?? ''}`;
      for (const [re, what] of UNREADABLE) {
        const m = re.exec(joined);
        if (m && m.index < line.length) found.push(`${name}:${i + 1}: "${m[0]}" (${what})`);
      }
    });
  }
  return found;
}

describe('the docs name nothing the reader does not have', () => {
  it('finds what it looks for, across a line break too, and not "issue" as a verb', () => {
    const found = unreadableMentions([
      { name: 'a.md', text: 'Targets (issue 15): fast.\nThe issue-3 figures.\nSeeds 000 and 002: returns.\nsets the\nissue aside' },
      { name: 'b.md', text: 'npx meterops keys issue --party x\nRotation issues a new secret; issue a key.' },
    ]);
    assert.deepEqual(found, [
      'a.md:1: "issue 15" (a numbered issue)',
      'a.md:2: "issue-3" (a numbered issue)',
      'a.md:2: "The issue" (the issue)',
      'a.md:3: "Seeds 000" (a numbered seed)',
      'a.md:4: "the issue" (the issue)',
    ]);
  });

  it('README.md and every page of docs/', () => {
    assert.ok(PAGES.length > 10, `${PAGES.length} pages`);
    assert.deepEqual(unreadableMentions(PAGES.map((name) => ({ name, text: readFileSync(name, 'utf8') }))), []);
  });
});
