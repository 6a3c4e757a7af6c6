// npm run mutation [-- GROUP ...]: Stryker over the security modules, one group at a time
// (scripts/mutation-groups.json), each with only its own test files, concurrency 1 and a time
// budget per group (METEROPS_MUTATION_MINUTES, default 30). Not part of CI: a nightly-size run.
//
// Writes .tmp/mutation/GROUP.json (Stryker's report) and prints, per module, the mutants killed,
// survived, timed out and not covered, and the score (killed + timeout) / (all but compile errors).
// The scores recorded in docs/testing.md come from this output.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = process.cwd();
const base = JSON.parse(readFileSync('stryker.config.json', 'utf8'));
const { groups } = JSON.parse(readFileSync('scripts/mutation-groups.json', 'utf8'));
const summaryOnly = process.argv.includes('--summary');
const wanted = process.argv.slice(2).filter((a) => a !== '--summary');
const unknown = wanted.filter((w) => !groups.some((g) => g.name === w));
if (unknown.length) {
  console.error(`mutation: unknown group ${unknown.join(', ')}; groups: ${groups.map((g) => g.name).join(', ')}`);
  process.exit(2);
}
const minutes = Number(process.env.METEROPS_MUTATION_MINUTES ?? 30);
const outDir = join('.tmp', 'mutation');
mkdirSync(outDir, { recursive: true });

function runGroup(g) {
  const report = join(outDir, `${g.name}.json`);
  const config = {
    ...base,
    mutate: g.mutate,
    tap: { ...base.tap, testFiles: g.tests },
    jsonReporter: { fileName: report },
    tempDirName: join('.tmp', `stryker-${g.name}`),
  };
  delete config._comment;
  delete config.$schema;
  const file = join(outDir, `stryker-${g.name}.config.json`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return new Promise((done) => {
    const started = Date.now();
    const child = spawn(process.execPath, [resolve('node_modules/@stryker-mutator/core/bin/stryker.js'), 'run', file], {
      stdio: 'inherit',
      // The tests read the DCC reference data from ../shared; Stryker runs them in a sandbox copy.
      env: { ...process.env, METEROPS_SHARED_DIR: process.env.METEROPS_SHARED_DIR ?? resolve(root, '..', 'shared'), CI: '' },
      detached: true,
    });
    const timer = setTimeout(() => {
      console.error(`mutation: ${g.name} over its budget of ${minutes} min: stopped`);
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }, minutes * 60_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, seconds: Math.round((Date.now() - started) / 1000), report });
    });
  });
}

function summarise(report) {
  if (!existsSync(report)) return null;
  const r = JSON.parse(readFileSync(report, 'utf8'));
  return Object.entries(r.files).map(([file, f]) => {
    const n = (s) => f.mutants.filter((m) => m.status === s).length;
    const killed = n('Killed'),
      survived = n('Survived'),
      timeout = n('Timeout'),
      noCoverage = n('NoCoverage');
    const compileErrors = n('CompileError'),
      runtimeErrors = n('RuntimeError'),
      ignored = n('Ignored');
    const valid = killed + survived + timeout + noCoverage;
    const score = valid ? (100 * (killed + timeout)) / valid : NaN;
    const survivors = f.mutants
      .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
      .map((m) => `${m.status} ${m.mutatorName} line ${m.location.start.line}: ${JSON.stringify(m.replacement ?? '')}`);
    return { file, killed, survived, timeout, noCoverage, compileErrors, runtimeErrors, ignored, score: Number(score.toFixed(1)), survivors };
  });
}

if (summaryOnly) {
  // npm run mutation -- --summary: the last report of every group, without running anything.
  for (const g of groups.filter((x) => !wanted.length || wanted.includes(x.name))) {
    const report = join(outDir, `${g.name}.json`);
    const files = summarise(report);
    if (!files) {
      console.log(`${g.name}: no report`);
      continue;
    }
    const when = JSON.parse(readFileSync(report, 'utf8')).date ?? '';
    for (const f of files) {
      console.log(
        `${g.name} ${f.file}: ${f.score}% (killed ${f.killed}, timeout ${f.timeout}, survived ${f.survived}, no coverage ${f.noCoverage}, compile errors ${f.compileErrors})${when ? ` ${when}` : ''}`,
      );
      for (const m of f.survivors) console.log(`    ${m}`);
    }
  }
  process.exit(0);
}

const summary = [];
for (const g of groups.filter((x) => !wanted.length || wanted.includes(x.name))) {
  console.log(`\n=== mutation: ${g.name} (${g.mutate.join(', ')}) with ${g.tests.join(', ')}`);
  const r = await runGroup(g);
  const files = r.code === 0 ? summarise(r.report) : null;
  summary.push({ group: g.name, exit: r.code, signal: r.signal, seconds: r.seconds, files });
}
writeFileSync(join(outDir, 'summary.json'), JSON.stringify({ date: new Date().toISOString(), summary }, null, 2) + '\n');
console.log('\nmutation summary');
for (const s of summary) {
  if (!s.files) {
    console.log(`  ${s.group}: not completed (exit ${s.exit}${s.signal ? `, ${s.signal}` : ''}, ${s.seconds} s)`);
    continue;
  }
  for (const f of s.files) {
    console.log(
      `  ${s.group} ${f.file}: ${f.score}% (killed ${f.killed}, timeout ${f.timeout}, survived ${f.survived}, no coverage ${f.noCoverage}, compile errors ${f.compileErrors}) in ${s.seconds} s`,
    );
    for (const m of f.survivors) console.log(`      ${m}`);
  }
}
process.exit(summary.every((s) => s.files) ? 0 : 1);
