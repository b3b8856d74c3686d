/**
 * One firewall step at a time. Terraform runs provisioners in parallel; two steps listing and
 * changing the same chain (a host's apply and the retire step, say) must not interleave. Every
 * firewall command therefore starts by taking an exclusive `flock` on a lock file, held by the
 * step's own shell until it exits.
 *
 * The lock file lives in a directory only the deploying account can write (not /tmp, where any
 * account could plant the name first as a link or keep the lock forever): `/run/restic-backup-server`
 * when that account is root, as `cdktf deploy` is meant to be run; otherwise (Terraform as another
 * account, firewall commands through `commandPrefix`) in that account's own `$XDG_RUNTIME_DIR`.
 * The directory must be a real directory of that account with mode 0700, or the step stops.
 */
import { shellQuote as q } from '../shell/quote';
import { renderCommand } from '../render/script';

const LOCK_DIRECTORY_NAME = 'restic-backup-server';
export const FIREWALL_LOCK_DIRECTORY = `/run/${LOCK_DIRECTORY_NAME}`;
export const FIREWALL_LOCK_NAME = 'firewall.lock';
/** How long a step waits for the others before failing (a stuck step must not hang a deploy). */
export const FIREWALL_LOCK_TIMEOUT_SECONDS = 600;

/** Shell lines taking the firewall lock on file descriptor 9 for the rest of the command. */
export function firewallLockLines(): string[] {
  return [
    `lock_dir=${q(FIREWALL_LOCK_DIRECTORY)}`,
    `[ "$(id -u)" = 0 ] || lock_dir="\${XDG_RUNTIME_DIR:?the firewall lock of a non-root deploy lives in XDG_RUNTIME_DIR, which is not set}/${LOCK_DIRECTORY_NAME}"`,
    'mkdir -m 0700 "$lock_dir" 2>/dev/null || true',
    'if [ -L "$lock_dir" ] || [ ! -d "$lock_dir" ] || [ "$(stat -c %u:%a -- "$lock_dir")" != "$(id -u):700" ]; then',
    '  echo "refusing the firewall lock directory $lock_dir: it must be a directory (not a link) of uid $(id -u) with mode 0700" >&2',
    '  exit 1',
    'fi',
    `exec 9>>"$lock_dir/${FIREWALL_LOCK_NAME}"`,
    `if ! flock -w ${FIREWALL_LOCK_TIMEOUT_SECONDS} 9; then`,
    `  echo "another firewall step held $lock_dir/${FIREWALL_LOCK_NAME} for ${FIREWALL_LOCK_TIMEOUT_SECONDS} s: giving up" >&2`,
    '  exit 1',
    'fi',
  ];
}

/** A provisioner command of a firewall backend: the common frame, then the lock, then `body`. */
export function renderFirewallCommand(purpose: string, body: readonly string[]): string {
  return renderCommand(purpose, [...firewallLockLines(), ...body]);
}
