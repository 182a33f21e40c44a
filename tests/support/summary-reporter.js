/** Prints the plain `N passed, N failed` closing line that CI reads, as the very last line. */
module.exports = class SummaryReporter {
  onRunComplete(_contexts, r) {
    const skipped = r.numPendingTests + r.numTodoTests;
    const line = `${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}\n`;
    // Jest's own summary is flushed late; printing at exit keeps this line last.
    process.once('exit', () => process.stderr.write(line));
  }
};
