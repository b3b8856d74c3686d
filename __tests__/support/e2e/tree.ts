/** Owners, modes and contents of a directory tree, for "exactly as before" and "as documented" checks. */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

export interface Ownership {
  readonly user: string;
  readonly group: string;
  /** Octal permission bits including setgid/sticky, e.g. '2750'. */
  readonly mode: string;
}

/** Owner, group (by name) and mode of `path` itself (symlinks not followed). */
export function ownership(path: string): Ownership {
  const [user, group, mode] = execFileSync('stat', ['-c', '%U %G %a', path], { encoding: 'utf8' }).trim().split(' ');
  return { user: user!, group: group!, mode: mode!.padStart(4, '0') };
}

/**
 * One hash over every entry below `directory`: relative path, type, mode, owner, and the content of
 * files or the target of links. Equal hashes mean byte-identical trees.
 */
export function hashTree(directory: string): string {
  const hash = createHash('sha256');
  const walk = (relative: string) => {
    const path = join(directory, relative);
    const stat = lstatSync(path);
    hash.update(`${relative}\0${stat.mode}\0${stat.uid}:${stat.gid}\0`);
    if (stat.isSymbolicLink()) hash.update(readlinkSync(path));
    else if (stat.isFile()) hash.update(readFileSync(path));
    else if (stat.isDirectory()) for (const name of readdirSync(path).sort()) walk(join(relative, name));
    hash.update('\0');
  };
  walk('.');
  return hash.digest('hex');
}

/**
 * Like hashTree but only names, kinds and contents (files' bytes, links' targets): the same data
 * after a change of owners, as when an adopted host's data is handed to its new account.
 * Entries named in `skip` (e.g. runsv's `supervise`) are left out.
 */
export function hashContents(directory: string, skip: readonly string[] = []): string {
  const hash = createHash('sha256');
  const walk = (relative: string) => {
    const path = join(directory, relative);
    const stat = lstatSync(path);
    hash.update(`${relative}\0${stat.isDirectory() ? 'd' : stat.isSymbolicLink() ? 'l' : stat.isFile() ? 'f' : 'o'}\0`);
    if (stat.isSymbolicLink()) hash.update(readlinkSync(path));
    else if (stat.isFile()) hash.update(readFileSync(path));
    else if (stat.isDirectory()) for (const name of readdirSync(path).sort()) if (!skip.includes(name)) walk(join(relative, name));
    hash.update('\0');
  };
  walk('.');
  return hash.digest('hex');
}
