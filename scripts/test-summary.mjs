#!/usr/bin/env node
// Prints the closing line CI reads, from jest's --json results:
//   tests: <passed> passed, <failed> failed[, <skipped> skipped]
// A test file that failed to run (a suite error) counts as one failed test,
// so a broken file can never hide behind zero failures.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.sigil/test-results.json';
let results;
try {
  results = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.log(`no test results in ${file} (${error.message})`);
  console.log('tests: 0 passed, 1 failed');
  process.exit(1);
}
const passed = results.numPassedTests;
const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
const skipped = results.numPendingTests + results.numTodoTests;
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
