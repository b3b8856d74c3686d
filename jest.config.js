/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // Type-checking happens once in `npm test` (tsc --noEmit); ts-jest only transpiles.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 30000,
  // The tests run the compiled backup-syncd, as production does: build it from the current source.
  globalSetup: '<rootDir>/__tests__/support/global-setup.js',
  // `default` split in two, so that the skip summary and the closing line come after jest's summary.
  reporters: ['<rootDir>/__tests__/support/progress-reporter.js', '<rootDir>/__tests__/support/summary-reporter.js'],
};
