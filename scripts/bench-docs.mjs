// npm run bench:docs: writes docs/benchmarks.md from bench/results/*.json (what `npm run bench --
// NAME` measured) and the prose in bench/notes/NAME.md, so that no figure in the document can
// differ from what was measured. `--check` exits 1 if docs/benchmarks.md is not what it would write.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const NOTES = join('bench', 'notes');
const RESULTS = join('bench', 'results');
const OUT = join('docs', 'benchmarks.md');
// The order of the document; any other note or result file follows in name order.
const ORDER = ['registry', 'gbcs', 'fleet', 'nowan', 'response-times', 'returns', 'returns-jobs'];

const fmt = (n) => (n === null || n === undefined ? '' : Number.isInteger(n) ? n.toLocaleString('en-GB') : String(n));

function table(results) {
  const lines = ['| metric | value | baseline (same run) | ratio |', '|---|---|---|---|'];
  for (const r of results) {
    const esc = (s) => String(s).replace(/\|/g, '\\|');
    lines.push(`| ${esc(r.metric)} | ${fmt(r.value)} ${esc(r.unit)} | ${r.baseline === null ? '' : `${fmt(r.baseline)} ${esc(r.unit)}`} | ${r.ratio === null ? '' : r.ratio} |`);
  }
  return lines.join('\n');
}

function section(name) {
  const notePath = join(NOTES, `${name}.md`);
  const note = existsSync(notePath) ? readFileSync(notePath, 'utf8').trimEnd() : `## ${name}`;
  const resultPath = join(RESULTS, `${name}.json`);
  if (!existsSync(resultPath)) {
    return (
      `${note}\n\n_No results file (\`bench/results/${name}.json\`): not measured since this document became generated. ` +
      (name === 'response-times' ? 'See above for how to run it._' : `Run \`npm run bench -- ${name}\`, then \`npm run bench:docs\`._`)
    );
  }
  const r = JSON.parse(readFileSync(resultPath, 'utf8'));
  const params = Object.entries(r.params ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const run = [
    `Measured ${r.date} on **${r.machine}**`,
    r.load ? `; ${r.load}` : '',
    r.database ? `; ${r.database}` : '',
    params ? `; settings ${params}` : '; default settings',
    '.',
  ].join('');
  return `${note}\n\n${run}\n\n${table(r.results)}`;
}

const names = new Set(ORDER);
for (const f of readdirSync(NOTES)) if (f.endsWith('.md') && !f.startsWith('_')) names.add(f.slice(0, -3));
if (existsSync(RESULTS)) for (const f of readdirSync(RESULTS)) if (f.endsWith('.json')) names.add(f.slice(0, -5));
const ordered = [...ORDER.filter((n) => names.has(n)), ...[...names].filter((n) => !ORDER.includes(n)).sort()];
const intro = readFileSync(join(NOTES, '_intro.md'), 'utf8').trimEnd();
const doc = `${intro}\n\n${ordered.map(section).join('\n\n')}\n`;

if (process.argv.includes('--check')) {
  const current = existsSync(OUT) ? readFileSync(OUT, 'utf8') : '';
  if (current !== doc) {
    console.error(`bench:docs: ${OUT} is not what bench/results and bench/notes give: run npm run bench:docs`);
    process.exit(1);
  }
  console.log(`bench:docs: ${OUT} is up to date`);
} else {
  writeFileSync(OUT, doc);
  console.log(`bench:docs: wrote ${OUT} from ${ordered.filter((n) => existsSync(join(RESULTS, `${n}.json`))).length} results files and ${ordered.length} sections`);
}
