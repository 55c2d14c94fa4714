// TensorFlow's start-up lines, when a suite loads tfjs-node: set here, in the process that starts jest's
// workers, because a test file's process.env is jest's copy and never reaches the native library.
const { QUIET_TENSORFLOW } = require('./test/helpers/quiet_tensorflow');
for (const [name, value] of Object.entries(QUIET_TENSORFLOW)) process.env[name] ??= value;

/** @type {import('jest').Config} */
module.exports = {
  // Node's typed arrays inside the tests, as tfjs-node's are (see the file).
  testEnvironment: '<rootDir>/test/helpers/node_environment.js',
  roots: ['<rootDir>/test'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  testMatch: ['**/*.test.ts'],
  // Type checking is done once by `tsc --noEmit` (npm test runs it first);
  // jest only transpiles, which keeps the suite fast.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  // Examples import the package by name, as a user would.
  moduleNameMapper: { '^tfjs-recurrent$': '<rootDir>/src', '^tfjs-recurrent/sentiment$': '<rootDir>/src/sentiment' },
  setupFiles: ['<rootDir>/test/setup.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/after_env.ts'],
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
