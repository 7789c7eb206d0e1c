// Prints vitest's JSON report as one plain line, "N passed, N failed, N skipped", for CI's counter.
// A missing or unreadable report means the runner died before it could write one: that is a failure.
import { readFileSync } from 'node:fs';

const path = process.argv[2] ?? '.vitest-report.json';
try {
  const report = JSON.parse(readFileSync(path, 'utf8'));
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
} catch (error) {
  console.log('0 passed, 1 failed');
  console.error(`count-tests: cannot read ${path}: ${error.message}`);
  process.exitCode = 1;
}
