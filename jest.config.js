// Tests build server trees under tmpdir(): point it outside /tmp (./__tests__/support/scratch-dir.js).
// Set here, in the process that starts the workers, because a test's process.env is a copy that
// os.tmpdir() never reads. bench/run.ts does the same.
require('./__tests__/support/scratch-dir').useScratchDirectory();

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
