const { chmodSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');

// tmpdir() outside /tmp, where validation refuses a server root (tests build server trees under
// tmpdir()). Set here, in the process that starts the workers, because a test's process.env is a
// copy that os.tmpdir() never reads. bench/run.ts does the same (__tests__/support/project-tmpdir.ts).
// Sticky and writable by all, as /tmp is: tests run tools (tsx) as the service user too.
process.env.TMPDIR = join(__dirname, '.test-tmp');
mkdirSync(process.env.TMPDIR, { recursive: true });
chmodSync(process.env.TMPDIR, 0o1777);

/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // Type-checking happens once in `npm test` (tsc --noEmit); ts-jest only transpiles.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/__tests__/support/summary-reporter.js'],
};
