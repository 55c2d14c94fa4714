// The browser suite (npm run test:browser): headless Chromium on the package's
// browser build and on a consumer project that installs the packed tarball.
// Kept out of the root suite: its files are *.browser.ts, which the root's
// testMatch (*.test.ts) does not take. Screenshots and reports go to
// test/browser/output/ (gitignored).
const path = require('path');

const root = path.resolve(__dirname, '..', '..');

/** @type {import('jest').Config} */
module.exports = {
  rootDir: root,
  testEnvironment: 'node',
  roots: ['<rootDir>/test/browser'],
  testMatch: ['<rootDir>/test/browser/*.browser.ts'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/test/browser/output/'],
  // As the root config: type checking is tsc's (npm run typecheck), jest only transpiles.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  // One file at a time: each launches Chromium, and the machine has two cores.
  maxWorkers: 1,
  // A consumer's npm install and three bundlers fit in the hook's own timeout; a page's steps in this one.
  testTimeout: 120000,
};
