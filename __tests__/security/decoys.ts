/**
 * Root-owned files an attack aims at: the suite records their content, owner, group and mode, and
 * checks after each test that none of it changed.
 */
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface Fingerprint {
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
  /** sha256 of a file's bytes, or the sorted names of a directory's entries. */
  readonly content: string;
}

function fingerprint(path: string): Fingerprint {
  const stat = lstatSync(path);
  const content = stat.isDirectory() ? readdirSync(path).sort().join('\0') : createHash('sha256').update(readFileSync(path)).digest('hex');
  return { uid: stat.uid, gid: stat.gid, mode: stat.mode, content };
}

export class Decoys {
  /** A root-owned directory (0755) holding the decoy file. */
  readonly directory: string;
  /** A root-only file (0600) no account may read, change or have root change. */
  readonly file: string;
  private readonly recorded = new Map<string, Fingerprint>();

  constructor(directory: string) {
    this.directory = directory;
    mkdirSync(directory);
    chmodSync(directory, 0o755);
    this.file = join(directory, 'decoy.txt');
    writeFileSync(this.file, 'root-owned decoy: must stay byte-identical\n');
    chmodSync(this.file, 0o600);
    this.track(this.file);
  }

  /** Records more decoys (and the directory's listing as it is now). */
  track(...paths: readonly string[]): void {
    for (const path of paths) this.recorded.set(path, fingerprint(path));
    this.recorded.set(this.directory, fingerprint(this.directory));
  }

  expectUntouched(): void {
    for (const [path, before] of this.recorded) expect([path, fingerprint(path)]).toEqual([path, before]);
  }
}
