/**
 * The few read-only file system calls the plan makes, behind an interface so tests can inject
 * failures (EACCES, EIO) that root would never see. The plan never writes.
 */
import * as fs from 'node:fs';
import { readRegularFile } from '../security/untrusted-file';

export interface DiskReader {
  readdir(path: string): string[];
  lstat(path: string): fs.Stats;
  /** Follows links: used to tell whether a link dangles. */
  stat(path: string): fs.Stats;
  readlink(path: string): string;
  /**
   * The text of a regular file of at most `limit` bytes, read without following a link or opening
   * anything else (lib/security/untrusted-file.ts); throws a RefusedFileError for anything else.
   */
  readFile(path: string, limit: number): string;
}

export const nodeDiskReader: DiskReader = {
  readdir: (path) => fs.readdirSync(path),
  lstat: (path) => fs.lstatSync(path),
  stat: (path) => fs.statSync(path),
  readlink: (path) => fs.readlinkSync(path),
  readFile: readRegularFile,
};

/** Codes meaning "not there" rather than "could not look". */
const ABSENT = new Set(['ENOENT', 'ENOTDIR']);

export function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? String(error);
}

export function isAbsent(error: unknown): boolean {
  return ABSENT.has(errorCode(error));
}

/** `read(path)`, or undefined when the path does not exist; any other failure is thrown. */
export function readIfPresent<T>(read: (path: string) => T, path: string): T | undefined {
  try {
    return read(path);
  } catch (error) {
    if (isAbsent(error)) return undefined;
    throw error;
  }
}

/** A failure to read `path`, kept with the path so the report can name it. */
export class UnreadablePathError extends Error {
  constructor(readonly path: string, readonly code: string) {
    super(`cannot read ${path} (${code})`);
    this.name = 'UnreadablePathError';
  }
}

/** Like readIfPresent, but failures become an UnreadablePathError naming the path. */
export function probe<T>(read: (path: string) => T, path: string): T | undefined {
  try {
    return readIfPresent(read, path);
  } catch (error) {
    throw new UnreadablePathError(path, errorCode(error));
  }
}
