/** The scratch space of tests and benchmarks (./scratch-dir.js says why it is not /tmp). */
import { scratchDirectory, useScratchDirectory } from './scratch-dir';

export const PROJECT_TMPDIR = scratchDirectory();

export function useProjectTmpdir(): void {
  useScratchDirectory();
}
