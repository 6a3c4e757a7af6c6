// A node:test reporter for scripts/run-tests.mjs: one JSON line per finished test or suite, with
// its outcome and, when it was skipped or marked todo, the reason. Node's own summary counts a
// skipped suite as a suite, so this is where a skipped file becomes visible.
export default async function* skipReporter(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const d = event.data;
    const kind = d.details?.type === 'suite' ? 'suite' : 'test';
    let outcome = event.type === 'test:pass' ? 'pass' : 'fail';
    let reason = null;
    if (d.skip !== undefined && d.skip !== false) {
      outcome = 'skip';
      reason = typeof d.skip === 'string' ? d.skip : '(no reason given)';
    } else if (d.todo !== undefined && d.todo !== false) {
      outcome = 'skip';
      reason = `todo: ${typeof d.todo === 'string' ? d.todo : '(no reason given)'}`;
    }
    yield `${JSON.stringify({ kind, outcome, name: d.name, file: d.file ?? null, nesting: d.nesting, reason })}\n`;
  }
}
