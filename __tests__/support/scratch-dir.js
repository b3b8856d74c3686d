/**
 * Scratch space of tests and benchmarks, outside /tmp. Tests build real server trees under
 * `tmpdir()`, and validation refuses a server root inside /tmp or /var/tmp (anyone may create names
 * there, and systemd-tmpfiles ages their contents out: lib/config/system-paths.ts). So TMPDIR points
 * at `.test-tmp/` in the checkout or, for a checkout that itself lies below /tmp or /var/tmp, at a
 * directory outside them. Sticky and writable by all, as /tmp is: tests run tools as other accounts.
 * Plain CommonJS: jest.config.js loads it before any TypeScript is compiled.
 */
const { chmodSync, mkdirSync } = require('node:fs');
const { homedir } = require('node:os');
const { join, resolve } = require('node:path');

const CHECKOUT = resolve(__dirname, '..', '..');

function scratchDirectory() {
  if (!/^\/(var\/)?tmp(\/|$)/.test(`${CHECKOUT}/`)) return join(CHECKOUT, '.test-tmp');
  return process.getuid() === 0 ? '/var/lib/restic-backup-server-tests' : join(homedir(), '.cache', 'restic-backup-server-tests');
}

/** Makes the scratch directory and points TMPDIR (every tmpdir() of this process and its children) at it. */
function useScratchDirectory() {
  const directory = scratchDirectory();
  mkdirSync(directory, { recursive: true });
  chmodSync(directory, 0o1777);
  process.env.TMPDIR = directory;
  return directory;
}

module.exports = { scratchDirectory, useScratchDirectory };
