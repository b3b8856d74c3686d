/**
 * The skip registry: one JSON line per skipped block, appended by the test files (in jest's
 * worker processes) to the file the summary reporter named in the environment before the workers
 * started. Without that variable (a test file run some other way) nothing is recorded.
 */
import { appendFileSync } from 'node:fs';

/** Set by summary-reporter.js; the same name is written there. */
export const SKIP_REGISTRY_ENV = 'BACKUP_SERVER_SKIP_REGISTRY';

export interface SkipRecord {
  /** Absolute path of the test file. */
  readonly testPath: string;
  readonly kind: 'describe' | 'test';
  /** The block's own title. */
  readonly name: string;
  readonly reasons: readonly string[];
}

export function recordSkip(kind: SkipRecord['kind'], name: string, reasons: readonly string[]): void {
  const file = process.env[SKIP_REGISTRY_ENV];
  const testPath = expect.getState().testPath;
  if (file === undefined || testPath === undefined) return;
  const record: SkipRecord = { testPath, kind, name, reasons };
  appendFileSync(file, `${JSON.stringify(record)}\n`);
}
