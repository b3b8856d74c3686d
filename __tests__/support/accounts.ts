/** Accounts the real-component tests look up: the legacy service account and the per-host ones the deploy creates. */
import { execFileSync, spawnSync } from 'node:child_process';

/** The legacy `server.user`/`server.group` (.ci/run creates it); the group reads the shared TLS key. */
export const SERVICE_ACCOUNT = 'backups';

/** Numeric uid and gid of an account, as the system resolves them now. */
export function accountIds(account: string): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, account], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** Numeric uid and gid of the legacy service account. */
export function serviceAccountIds(): { uid: number; gid: number } {
  return accountIds(SERVICE_ACCOUNT);
}

/** Runs `command` as `account` with the groups the system gives it (runuser); never throws. */
export function asAccount(account: string, command: string, args: readonly string[]): { status: number | null; output: string } {
  const result = spawnSync('runuser', ['-u', account, '--', command, ...args], { encoding: 'utf8', timeout: 10_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
