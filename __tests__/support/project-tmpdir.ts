/**
 * Scratch space of tests and benchmarks, outside /tmp. Tests build real server trees under
 * `tmpdir()`, and validation refuses a server root inside /tmp or /var/tmp (anyone may create
 * names there, and systemd-tmpfiles ages their contents out: lib/config/system-paths.ts). Setting
 * TMPDIR moves every `tmpdir()` of the process and of the processes it starts. jest.config.js sets
 * the same directory for the tests.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

export const PROJECT_TMPDIR = resolve(__dirname, '../../.test-tmp');

/** Sticky and writable by all, as /tmp is: tests run tools (tsx) as the service user too. */
export function useProjectTmpdir(): void {
  mkdirSync(PROJECT_TMPDIR, { recursive: true });
  chmodSync(PROJECT_TMPDIR, 0o1777);
  process.env.TMPDIR = PROJECT_TMPDIR;
}
