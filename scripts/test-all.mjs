#!/usr/bin/env node
// `npm test`: typecheck, lint (ours and Salesforce's LWC rules), format check, then every test suite (Vitest
// and the LWC Jest suite). Each step streams its own output; the last line sums the tests over all suites,
// counting a failed static check as one failed test so that a red check can never read as green.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const run = (label, cmd, args) => {
  console.log(`\n== ${label}: ${cmd} ${args.join(' ')}`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  return result.status === 0;
};

let passed = 0;
let failed = 0;

for (const [label, script] of [
  ['typecheck', 'typecheck'],
  ['lint', 'lint'],
  ['format', 'format:check'],
]) {
  if (run(label, 'npm', ['run', '--silent', script])) passed += 1;
  else failed += 1;
}
// The Lightning Web Components lint with Salesforce's own rules, in their own config.
if (existsSync('salesforce-lwc/eslint.config.js')) {
  if (run('lwc lint', 'npm', ['run', '--silent', '-w', 'salesforce-lwc', 'lint:lwc'])) passed += 1;
  else failed += 1;
}

const vitestReport = '.vitest-results.json';
rmSync(vitestReport, { force: true });
const vitestOk = run('vitest', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestReport}`,
]);
if (existsSync(vitestReport)) {
  const report = JSON.parse(readFileSync(vitestReport, 'utf8'));
  passed += report.numPassedTests;
  failed +=
    report.numFailedTests +
    (report.numTotalTestSuites > 0 && !vitestOk && report.numFailedTests === 0 ? 1 : 0);
} else {
  failed += 1;
}

const jestReport = '.jest-results.json';
if (existsSync('salesforce-lwc/jest.config.js')) {
  rmSync(jestReport, { force: true });
  const jestOk = run('lwc jest', 'npm', [
    'run',
    '--silent',
    '-w',
    'salesforce-lwc',
    'test:unit',
    // The first `--` ends npm's options, the second sfdx-lwc-jest's: what follows goes to Jest.
    '--',
    '--',
    '--json',
    `--outputFile=../${jestReport}`,
  ]);
  if (existsSync(jestReport)) {
    const report = JSON.parse(readFileSync(jestReport, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests + (!jestOk && report.numFailedTests === 0 ? 1 : 0);
  } else {
    failed += 1;
  }
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
