/**
 * Who else can change the paths root acts on. If an account may write a directory above the server
 * root, it can rename the root away and build a tree of its own that root then runs; the same holds
 * for the systemd unit, the nftables rules, the Terraform state, the TLS files and the binaries.
 *
 * The rule (the deploy checks the same in shell; keep the two identical): for a path P, walk every
 * existing component of P from `/` down, lexically, and again every component of realpath(P) (of
 * the deepest existing component, when P itself does not exist yet). For each component:
 * - its owner (lstat) must be uid 0;
 * - a directory that is an ancestor (has a next component) must not be writable by its group,
 *   unless that group is gid 0, nor by others; except that a sticky directory (such as /tmp, 1777)
 *   is acceptable when the next component exists and is owned by root;
 * - a symbolic link is judged by its owner only (its mode means nothing); its target is covered by
 *   the realpath walk.
 *
 * Pure: the file system comes in as `AncestorFs`, so the rule is unit-tested with fake trees.
 */
import { posix } from 'node:path';

/** What the rule needs of an lstat. */
export interface AncestorStats {
  readonly uid: number;
  readonly gid: number;
  /** st_mode: type and permission bits. */
  readonly mode: number;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

export interface AncestorFs {
  /** lstat, or undefined when the path does not exist. */
  lstat(path: string): AncestorStats | undefined;
  /** realpath of an existing path. */
  realpath(path: string): string;
  /** A name for messages, if the uid or gid has one. */
  userName?(uid: number): string | undefined;
  groupName?(gid: number): string | undefined;
}

/** A path root acts on, with what it is, for messages: `server.root /backups/systems`. */
export interface CheckedPath {
  readonly label: string;
  readonly path: string;
}

export interface AncestorFinding {
  /** The component that fails the rule. */
  readonly path: string;
  readonly uid: number;
  readonly gid: number;
  /** Permission bits, e.g. 0o1777. */
  readonly mode: number;
  /** What is wrong, in words. */
  readonly problem: string;
  /** The configured path it is a component of. */
  readonly of: CheckedPath;
  /** One sentence naming the path, its owner and mode, the problem and what it guards. */
  readonly message: string;
}

const S_ISVTX = 0o1000;
const S_IWGRP = 0o020;
const S_IWOTH = 0o002;

/** `/`, `/a`, `/a/b` for `/a/b` (lexically: `.` and `..` are left to realpath). */
export function pathComponents(path: string): string[] {
  const parts = path.split('/').filter((part) => part !== '');
  return ['/', ...parts.map((_, index) => `/${parts.slice(0, index + 1).join('/')}`)];
}

function who(id: number, name: string | undefined): string {
  return name === undefined ? `uid ${id}` : `${name} (uid ${id})`;
}

function groupWho(id: number, name: string | undefined): string {
  return name === undefined ? `gid ${id}` : `${name} (gid ${id})`;
}

/** The existing components of `components`, each with its lstat, from `/` down. */
function existing(fs: AncestorFs, components: readonly string[]): { path: string; stats: AncestorStats }[] {
  const found: { path: string; stats: AncestorStats }[] = [];
  for (const path of components) {
    const stats = fs.lstat(path);
    if (stats === undefined) break;
    found.push({ path, stats });
  }
  return found;
}

/** The problems of one walk, in order, at most one per component. */
function walk(fs: AncestorFs, components: readonly string[]): { path: string; stats: AncestorStats; problem: string }[] {
  const found = existing(fs, components);
  const problems: { path: string; stats: AncestorStats; problem: string }[] = [];
  found.forEach(({ path, stats }, index) => {
    const reasons: string[] = [];
    if (stats.uid !== 0) reasons.push('not owned by root');
    const isAncestor = index < components.length - 1;
    if (!stats.isSymbolicLink() && stats.isDirectory() && isAncestor) {
      if ((stats.mode & S_IWGRP) !== 0 && stats.gid !== 0) reasons.push(`writable by its group ${groupWho(stats.gid, fs.groupName?.(stats.gid))}`);
      if ((stats.mode & S_IWOTH) !== 0) {
        const next = found[index + 1];
        if ((stats.mode & S_ISVTX) === 0) reasons.push('writable by others');
        else if (next === undefined) reasons.push(`writable by others (sticky, but its next component ${components[index + 1]} does not exist, so anyone may create it)`);
        else if (next.stats.uid !== 0) reasons.push(`writable by others (sticky, but its next component ${next.path} is not owned by root)`);
      }
    }
    if (reasons.length > 0) problems.push({ path, stats, problem: reasons.join(', ') });
  });
  return problems;
}

function octal(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
}

/**
 * Every component of the checked paths (lexically and after realpath) that someone other than
 * root can change. One finding per component and problem, in the order of `paths`.
 */
export function ancestorFindings(paths: readonly CheckedPath[], fs: AncestorFs): AncestorFinding[] {
  const findings: AncestorFinding[] = [];
  const seen = new Set<string>();
  for (const of of paths) {
    const lexical = pathComponents(of.path);
    const present = existing(fs, lexical);
    const deepest = present[present.length - 1];
    // realpath of the deepest existing component, followed by the names that do not exist yet.
    const missing = of.path.split('/').filter((part) => part !== '').slice(present.length - 1);
    const real = deepest === undefined ? [] : pathComponents(posix.join(fs.realpath(deepest.path), ...missing));
    for (const { path, stats, problem } of [...walk(fs, lexical), ...walk(fs, real)]) {
      const key = `${path}\u0000${problem}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const owner = who(stats.uid, fs.userName?.(stats.uid));
      const group = groupWho(stats.gid, fs.groupName?.(stats.gid));
      const kind = stats.isSymbolicLink() ? 'symbolic link' : stats.isDirectory() ? 'directory' : 'file';
      findings.push({
        path,
        uid: stats.uid,
        gid: stats.gid,
        mode: stats.mode & 0o7777,
        problem,
        of,
        message: `${kind} ${path} (owner ${owner}, group ${group}, mode ${octal(stats.mode)}) is ${problem}; it is ${path === of.path ? '' : 'on the way to '}${of.label} ${of.path}, which root acts on: only root may be able to change it`,
      });
    }
  }
  return findings;
}
