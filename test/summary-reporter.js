/**
 * After jest's own summary: how many tests ran on each backend (the
 * `on cpu` / `on wasm` / `on tensorflow` blocks of test/helpers/backends.ts),
 * so a run says whether the native suites ran at all; then the plain closing
 * line `N passed, N failed` (and skipped), for tools that read a run's last line.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const perBackend = {};
    for (const file of results.testResults) {
      for (const t of file.testResults) {
        const block = t.ancestorTitles.find((a) => /^on (cpu|wasm|tensorflow)$/.test(a));
        if (!block) continue;
        const b = block.slice(3);
        perBackend[b] = perBackend[b] ?? { passed: 0, failed: 0 };
        if (t.status === 'passed') perBackend[b].passed++;
        else if (t.status === 'failed') perBackend[b].failed++;
      }
    }
    const names = ['cpu', 'wasm', 'tensorflow'];
    const parts = names.map((b) => (perBackend[b] ? `${b} ${perBackend[b].passed} passed${perBackend[b].failed ? ` ${perBackend[b].failed} failed` : ''}` : `${b} not run`));
    process.stdout.write(`per backend: ${parts.join(', ')}\n`);
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
module.exports = SummaryReporter;
