/**
 * Scratch space of tests and benchmarks. Tests build real server trees under `tmpdir()`, and
 * validation refuses a server root inside /tmp, /var/tmp, /root and the other system trees
 * (lib/config/system-paths.ts), wherever the checkout happens to be (CI clones it anywhere). So
 * TMPDIR points at a fixed directory outside them: /var/lib/restic-backup-server-tests as root,
 * ~/.cache/restic-backup-server-tests otherwise. Sticky and writable by all, as /tmp is: tests run
 * tools as other accounts. Plain CommonJS: jest.config.js loads it before any TypeScript is compiled.
 */
const { chmodSync, mkdirSync } = require('node:fs');
const { homedir } = require('node:os');
const { join } = require('node:path');

function scratchDirectory() {
  return process.getuid() === 0 ? '/var/lib/restic-backup-server-tests' : join(homedir(), '.cache', 'restic-backup-server-tests');
}

/** Makes the scratch directory and points TMPDIR (every tmpdir() of this process and its children) at it. */
function useScratchDirectory() {
  const directory = scratchDirectory();
  try {
    mkdirSync(directory, { recursive: true });
    chmodSync(directory, 0o1777);
  } catch {
    return require('node:os').tmpdir(); // no home to write to: the tests that build roots skip or say why
  }
  process.env.TMPDIR = directory;
  return directory;
}

module.exports = { scratchDirectory, useScratchDirectory };
