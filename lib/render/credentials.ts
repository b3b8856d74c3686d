/**
 * Shell building blocks for credentials made on the server at deploy time. The secret exists only
 * in the file written here: never in the synthesized JSON, the Terraform state or a log line.
 */
import { shellQuote as q, shellWords } from '../shell/quote';

/** Access keys as the original made them: 20 upper-case letters and digits. */
export const ACCESS_KEY = { alphabet: 'A-Z0-9', length: 20 } as const;
/** Secrets: 40 URL-safe characters (about 238 bits from the kernel's CSPRNG). */
export const SECRET_KEY = { alphabet: 'A-Za-z0-9_-', length: 40 } as const;

/** Shell lines that set `variable` to `length` random characters of `alphabet` from /dev/urandom. */
export function randomStringLines(variable: string, spec: { alphabet: string; length: number }): string[] {
  return [
    `${variable}=$(LC_ALL=C tr -dc ${q(spec.alphabet)} </dev/urandom | head -c ${spec.length})`,
    `[ "\${#${variable}}" -eq ${spec.length} ] || { echo "restic-backup-server: could not read ${spec.length} random characters" >&2; exit 1; }`,
  ];
}

/** Who may read a credentials file: owner, group and mode (the owner is always root). */
export interface FileAccess {
  readonly group: string;
  readonly mode: string;
}

/**
 * Shell lines around a block that writes `$tmp`: when the file exists (clients already hold those
 * credentials) only its owner and mode are made right, refusing a link or a shared file; otherwise
 * it is written with umask 077 and linked into place, which fails instead of overwriting if another
 * run won the race. Needs `own_file` (safe-fs.ts).
 */
export function writeOnceLines(file: string, access: FileAccess, write: readonly string[]): string[] {
  const owner = `root:${access.group}`;
  return [
    `file=${q(file)}`,
    'if [ -e "$file" ] || [ -L "$file" ]; then',
    `  own_file "$file" ${shellWords(['root', access.group, access.mode])}`,
    `  echo "keeping the existing credentials in $file (${owner}, mode ${access.mode})"`,
    '  exit 0',
    'fi',
    'umask 077',
    'tmp="$file.tmp.$$"',
    "trap 'rm -f \"$tmp\"' EXIT",
    ...write,
    `chown ${q(owner)} "$tmp"`,
    `chmod ${q(access.mode)} "$tmp"`,
    'ln "$tmp" "$file"',
    `echo "wrote new credentials to $file (${owner}, mode ${access.mode})"`,
  ];
}
