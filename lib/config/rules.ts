/**
 * Field rules: small pure functions, each returning why a value is not allowed, or undefined.
 * The message says what is allowed; the caller adds the field name and the bad value.
 */
import { posix } from 'node:path';
import * as ipaddr from 'ipaddr.js';
import { MAX_PATH_BYTES, MAX_SEGMENT_BYTES, pathLimitProblem } from '../layout/path-limits';
import { AGE_ALLOWED, parseAge } from './age';
import { BYTE_SIZE_ALLOWED, parseByteSize } from './byte-size';

export type Rule<T> = (value: T) => string | undefined;

const MAX_HOST_NAME = 253;
const MAX_LABEL = 63;
const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** Names that would collide with the server's own entries under the root. */
export const RESERVED_HOST_NAMES: readonly string[] = ['conf'];

function firstNonAscii(value: string): string | undefined {
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (code > 0x7e || code < 0x20) {
      return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    }
  }
  return undefined;
}

/** A lower-case RFC 1123 host name, safe as a directory name. */
export const hostName: Rule<string> = (value) => {
  const allowed = 'a lower-case RFC 1123 host name (labels of a-z, 0-9 and inner "-", 1-63 characters, 253 in all)';
  if (value.length === 0) return `${allowed}; it is empty`;
  if (value.length > MAX_HOST_NAME) return `${allowed}; it has ${value.length} characters`;
  const foreign = firstNonAscii(value);
  if (foreign) return `${allowed}; it contains the non-ASCII or control character ${foreign} (look-alike letters are not allowed)`;
  if (value !== value.toLowerCase()) return `${allowed}; write it in lower case: "${value.toLowerCase()}"`;
  if (RESERVED_HOST_NAMES.includes(value)) return `${allowed} other than ${RESERVED_HOST_NAMES.map((n) => `"${n}"`).join(', ')}, which the server uses itself`;
  const labels = value.split('.');
  for (const label of labels) {
    if (label.length === 0) return `${allowed}; it has an empty label (leading, trailing or doubled ".")`;
    if (label.length > MAX_LABEL) return `${allowed}; the label "${label.slice(0, 20)}…" has ${label.length} characters`;
    if (!LABEL.test(label)) return `${allowed}; the label "${label}" has a character outside a-z, 0-9, "-" or starts or ends with "-"`;
  }
  return undefined;
};

/**
 * A directory name under the server root as it may exist on disk (hosts of the original script may
 * have upper-case letters): plain characters, no "/" and no leading ".".
 */
export const directoryName: Rule<string> = (value) =>
  /^[A-Za-z0-9_][A-Za-z0-9._@+-]{0,252}$/.test(value) && !RESERVED_HOST_NAMES.includes(value)
    ? undefined
    : `a directory name under the server root: letters, digits and . _ @ + -, not starting with "." or "-", at most 253 characters, not ${RESERVED_HOST_NAMES.map((n) => `"${n}"`).join(', ')}`;

/** A TCP port a non-root daemon may bind. */
export const port: Rule<number> = (value) =>
  Number.isInteger(value) && value >= 1024 && value <= 65535 ? undefined : 'an integer from 1024 to 65535';

const PATH_CHARACTERS = /^[A-Za-z0-9._@+/-]+$/;

/**
 * An absolute, normalised path of plain characters. Paths end up in shell scripts (quoted),
 * systemd directives and Terraform strings; a narrow alphabet keeps all three unambiguous.
 */
export const absolutePath: Rule<string> = (value) => {
  const allowed = 'an absolute, normalised path of letters, digits and . _ @ + - /';
  if (value.length === 0) return `${allowed}; it is empty`;
  const foreign = firstNonAscii(value);
  if (foreign) return `${allowed}; it contains the character ${foreign}`;
  if (!value.startsWith('/')) return `${allowed}; it is relative`;
  if (!PATH_CHARACTERS.test(value)) return `${allowed}; it contains other characters`;
  if (value.split('/').some((segment) => segment === '..' || segment === '.')) return `${allowed}; it contains a "." or ".." segment`;
  if (posix.normalize(value) !== value || (value.length > 1 && value.endsWith('/'))) {
    return `${allowed}; write it as "${posix.normalize(value).replace(/(.)\/$/, '$1')}"`;
  }
  const tooLong = pathLimitProblem(value);
  if (tooLong) return `${allowed}, each name at most ${MAX_SEGMENT_BYTES} bytes and ${MAX_PATH_BYTES} bytes in all; ${tooLong}`;
  return undefined;
};

/**
 * Accounts that are root or lead to it: uid or gid 0 (`root`, BSD's `toor`), and groups whose
 * members administer the machine, read its disks, memory, logs or password hashes, or run
 * containers. The storage accounts of every host join `server.group`, so such a group would hand
 * each storage service the same power.
 */
export const PRIVILEGED_ACCOUNTS: readonly string[] = [
  'root', 'toor', 'daemon', 'bin', 'sys', 'adm', 'admin', 'wheel', 'sudo', 'staff', 'disk', 'kmem', 'tty', 'shadow',
  'systemd-journal', 'docker', 'lxd', 'libvirt', 'kvm',
];

/** A POSIX user or group name as Debian's adduser accepts it, and none of PRIVILEGED_ACCOUNTS. */
export const accountName: Rule<string> = (value) => {
  const allowed = 'a user or group name: a-z or "_" first, then a-z, 0-9, "_" or "-", 32 characters at most';
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(value)) return allowed;
  if (PRIVILEGED_ACCOUNTS.includes(value)) return `${allowed}, of an unprivileged account such as "backups"; "${value}" is root or leads to root`;
  return undefined;
};

/** Bucket names minio keeps for itself (its metadata lives in ".minio.sys", refused for its leading "."). */
export const RESERVED_BUCKETS: readonly string[] = ['minio'];
/** Prefixes and suffixes S3 reserves for its own bucket kinds (access points, directory buckets, ...). */
const RESERVED_BUCKET_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_BUCKET_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** An S3 bucket name (the restic repository's bucket on minio), as S3 and minio accept it. */
export const bucket: Rule<string> = (value) => {
  const allowed = 'an S3 bucket name: 3-63 characters of a-z, 0-9, "." and "-", starting and ending with a letter or digit';
  if (value.length < 3 || value.length > 63) return `${allowed}; it has ${value.length} characters`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(value)) return allowed;
  const pair = ['..', '.-', '-.'].find((text) => value.includes(text));
  if (pair) return `${allowed}, without "..", ".-" or "-."; it contains "${pair}"`;
  if (/^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/.test(value)) return `${allowed}, not shaped like an IP address`;
  if (RESERVED_BUCKETS.includes(value)) return `${allowed}, other than ${RESERVED_BUCKETS.map((name) => `"${name}"`).join(', ')}, which minio keeps for itself`;
  const prefix = RESERVED_BUCKET_PREFIXES.find((text) => value.startsWith(text));
  if (prefix) return `${allowed}, not starting with "${prefix}", which S3 reserves`;
  const suffix = RESERVED_BUCKET_SUFFIXES.find((text) => value.endsWith(text));
  if (suffix) return `${allowed}, not ending with "${suffix}", which S3 reserves`;
  return undefined;
};

/** A relative object prefix: segments of plain characters separated by "/". */
export const objectPrefix: Rule<string> = (value) => {
  const segment = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
  const ok = value.length > 0 && value.length <= 200 && value.split('/').every((s) => segment.test(s) && s !== '..');
  return ok ? undefined : 'a prefix of "/"-separated segments of letters, digits, "." "_" "-" (not starting with "."), at most 200 characters, without leading or trailing "/"';
};

/** An IPv4 or IPv6 network in CIDR notation, with no host bits set. */
export const cidr: Rule<string> = (value) => {
  const allowed = 'an IPv4 or IPv6 network in CIDR notation such as 192.0.2.0/24 or 2001:db8::/48';
  if (!value.includes('/')) return `${allowed}; add the prefix length (for one address: /32 or /128)`;
  let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    // ipaddr.parseCIDR would try IPv6 first and throw for every IPv4 network (slow with hundreds of
    // hosts); only IPv6 has a colon, so the same parser is chosen directly.
    parsed = value.includes(':') ? ipaddr.IPv6.parseCIDR(value) : ipaddr.IPv4.parseCIDR(value);
  } catch {
    return allowed;
  }
  const [address, length] = parsed;
  if (address.kind() === 'ipv6' && length >= 96 && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    // An IPv6 rule compares the source with ::ffff:a.b.c.d, which an IPv4 packet never carries.
    const ipv4 = canonicalNetwork((address as ipaddr.IPv6).toIPv4Address(), length - 96);
    return `${allowed}; an IPv4-mapped IPv6 network never matches a packet: write the IPv4 network "${ipv4}"`;
  }
  const network = ipaddr.IPv4.isValidFourPartDecimal(value.split('/')[0]!) || address.kind() === 'ipv6'
    ? canonicalNetwork(address, length)
    : undefined;
  if (network === undefined) return `${allowed} (four-part decimal for IPv4)`;
  if (network !== value) return `${allowed}, written canonically without host bits: "${network}"`;
  return undefined;
};

function canonicalNetwork(address: ipaddr.IPv4 | ipaddr.IPv6, length: number): string {
  const bytes = address.toByteArray();
  for (let bit = length; bit < bytes.length * 8; bit++) {
    bytes[bit >> 3]! &= ~(0x80 >> (bit & 7));
  }
  const network = ipaddr.fromByteArray(bytes);
  return `${network.toString()}/${length}`;
}

/** Words put before a command (such as `sudo -n`): plain words, single spaces, or empty for none. */
export const commandPrefix: Rule<string> = (value) =>
  /^(?:[A-Za-z0-9_@%+=:,./-]+(?: [A-Za-z0-9_@%+=:,./-]+)*)?$/.test(value)
    ? undefined
    : 'words of letters, digits and _ @ % + = : , . / - separated by single spaces (such as "sudo -n"), or "" for none';

/** An nftables table name: a letter, then letters, digits or "_", 32 characters at most. */
export const nftablesName: Rule<string> = (value) =>
  /^[A-Za-z][A-Za-z0-9_]{0,31}$/.test(value) ? undefined : 'an nftables name: a letter, then letters, digits or "_", 32 characters at most';

/** The contents of an executable script of the operator's own. */
export const scriptContents: Rule<string> = (value) =>
  value.startsWith('#!') && !value.includes('\u0000') ? undefined : 'the full text of a script starting with "#!" and without NUL bytes';

const RCLONE_REMOTE_PATH = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}:(?:[A-Za-z0-9_@+-][A-Za-z0-9._@+-]*(?:\/[A-Za-z0-9_@+-][A-Za-z0-9._@+-]*)*)?$/;

/**
 * An rclone destination: `remote:path` or an absolute local path. It reaches a shell script
 * (quoted), so the alphabet is narrow: no spaces, quotes, `$`, backslashes, option-like `-` starts
 * or `..` segments.
 */
export const rcloneTarget: Rule<string> = (value) => {
  const allowed = 'an rclone destination: "remote:path" (remote of letters, digits, "_" "." "-"; path segments of letters, digits and . _ @ + -, none starting with ".") or an absolute local path';
  if (value.startsWith('/')) {
    const problem = absolutePath(value);
    return problem === undefined ? undefined : `${allowed}; as a local path it is not ${problem}`;
  }
  return RCLONE_REMOTE_PATH.test(value) ? undefined : allowed;
};

/** A replica is either the operator's own script or generated from rclone targets, not both. */
export const replicaChoice: Rule<{ readonly script?: string; readonly rcloneTargets?: readonly string[]; readonly rcloneConfig?: string }> = (value) => {
  if (value.script !== undefined && (value.rcloneTargets !== undefined || value.rcloneConfig !== undefined)) {
    return 'either "script" (your own replica_sync) or "rcloneTargets"/"rcloneConfig" (a generated one), not both';
  }
  if (value.rcloneTargets !== undefined && value.rcloneTargets.length === 0) return '"rcloneTargets" with at least one target, or no "rcloneTargets" at all';
  return undefined;
};

/** A size with a unit, such as a host's `quota` (see ./byte-size.ts). */
export const byteSize: Rule<string> = (value) => (parseByteSize(value) === undefined ? BYTE_SIZE_ALLOWED : undefined);

/** An age with a unit, such as `maxSnapshotAge` (see ./age.ts). */
export const age: Rule<string> = (value) => (parseAge(value) === undefined ? AGE_ALLOWED : undefined);
