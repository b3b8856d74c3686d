/** The service account the real-component tests run daemons as (.ci/run creates it). */
import { execFileSync } from 'node:child_process';

export const SERVICE_ACCOUNT = 'backups';

/** Numeric uid and gid of the service account. */
export function serviceAccountIds(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, SERVICE_ACCOUNT], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}
