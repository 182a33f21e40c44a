/** Prints the plain `N passed, N failed` closing line that CI reads. */
module.exports = class SummaryReporter {
  onRunComplete(_contexts, r) {
    const skipped = r.numPendingTests + r.numTodoTests;
    // stderr, after jest's own summary, so this is the last line CI reads.
    process.stderr.write(`${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
};
