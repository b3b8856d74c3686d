/**
 * Where the server tree and the systemd unit may go. The layout step makes `root` root-owned and
 * sets its mode, and the unit step writes `systemd.unitPath` as root: either on a system directory
 * breaks the machine (a chmod of /etc, a unit written over /etc/passwd).
 */
import type { Rule } from './rules';

/** Trees owned by the system or the kernel: `root` may be neither one of them nor inside one. */
export const SYSTEM_TREES: readonly string[] = [
  '/bin', '/boot', '/dev', '/etc', '/lib', '/lib32', '/lib64', '/libx32', '/lost+found', '/proc', '/root', '/run', '/sbin',
  '/sys', '/tmp', '/usr', '/var/cache', '/var/lib/apt', '/var/lib/dpkg', '/var/lib/systemd', '/var/lock', '/var/log',
  '/var/mail', '/var/run', '/var/spool', '/var/tmp',
];

/** Shared directories: `root` may be inside one (`/srv/backups`), never one itself. */
export const SHARED_DIRECTORIES: readonly string[] = [
  '/', '/home', '/media', '/mnt', '/opt', '/srv', '/var', '/var/backups', '/var/lib', '/var/local', '/var/opt',
];

/** Directories systemd loads administrator units from; package-managed and runtime ones are not for us. */
export const UNIT_DIRECTORIES: readonly string[] = ['/etc/systemd/system', '/usr/local/lib/systemd/system'];

const within = (path: string, tree: string): boolean => path === tree || path.startsWith(`${tree}/`);

/** `server.root`, already an absolute, normalised path. */
export const serverRoot: Rule<string> = (value) => {
  const allowed = 'a directory of its own for the backups, such as /backups/systems or /srv/backups';
  const tree = SYSTEM_TREES.find((system) => within(value, system));
  if (tree !== undefined) return `${allowed}; it is ${value === tree ? '' : 'inside '}the system directory ${tree}, which belongs to the operating system`;
  if (SHARED_DIRECTORIES.includes(value)) return `${allowed}; ${value} is a shared system directory: use a directory inside it`;
  return undefined;
};

/**
 * `backend.localStatePath`, already an absolute, normalised path: Terraform (as root) writes it and
 * its `.backup` beside it, so it is a `.tfstate` file outside the system trees, never a system file.
 */
export const statePath: Rule<string> = (value) => {
  const allowed = 'a file named "<name>.tfstate" outside the system directories, such as /var/lib/backup-server/terraform.tfstate';
  const tree = SYSTEM_TREES.find((system) => within(value, system));
  if (tree !== undefined) return `${allowed}; it is inside the system directory ${tree}`;
  if (!/^[^/]+\.tfstate$/.test(value.slice(value.lastIndexOf('/') + 1))) return `${allowed}; it does not end in ".tfstate"`;
  return undefined;
};

/** A service unit name: letters, digits, "_", "." and "-", ending in ".service", not a template. */
const UNIT_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*\.service$/;

const UNIT_ALLOWED = `a service unit file directly in ${UNIT_DIRECTORIES.join(' or ')}, named of letters, digits, "_", "." and "-" ending in ".service", such as /etc/systemd/system/backup-minio.service`;

/**
 * `systemd.unitPath`, already an absolute, normalised path. With `manage: false` the unit is
 * installed by other means (or not at all, in tests), so any directory outside the system trees
 * will do as well; the file written is still a service unit, never a system file.
 */
export function unitPath(value: string, manage: boolean): string | undefined {
  const slash = value.lastIndexOf('/');
  const directory = value.slice(0, slash) || '/';
  const name = value.slice(slash + 1);
  if (UNIT_DIRECTORIES.includes(directory)) return UNIT_NAME.test(name) ? undefined : `${UNIT_ALLOWED}; "${name}" is not such a name`;
  if (manage) return `${UNIT_ALLOWED}; it is in ${directory}`;
  const allowed = `${UNIT_ALLOWED}, or, with systemd.manage false, a directory outside the system directories`;
  const tree = SYSTEM_TREES.find((system) => within(directory, system));
  if (tree !== undefined || SHARED_DIRECTORIES.includes(directory)) return `${allowed}; it is in ${directory}`;
  return UNIT_NAME.test(name) ? undefined : `${allowed}; "${name}" is not such a name`;
}
