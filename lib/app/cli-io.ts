/** What the command-line tools (plan, status, client) share: where hosts.ts is, and their I/O. */
import { join } from 'node:path';

/** The checkout's hosts.ts, the default of every tool's --config. */
export const DEFAULT_HOSTS_FILE = join(__dirname, '..', '..', 'hosts.ts');

/** A tool's output streams and environment, injected so tests run it in process. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown };
  readonly env: NodeJS.ProcessEnv;
}
