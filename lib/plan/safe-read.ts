/**
 * Reading a small file the plan does not trust: a marker or a run script under `<root>`, where any
 * account that can write there could have put a FIFO (which would hang a plain read), a link to
 * /dev/zero (which would eat memory without end), a huge sparse file or a link to somewhere else.
 *
 * The file is read only when `lstat` says it is a regular file no larger than the limit; it is then
 * opened with O_NOFOLLOW|O_NONBLOCK (a link or FIFO swapped in after the lstat is not followed and
 * does not block), checked again with `fstat` on the open descriptor (same file, still regular,
 * still small), and read to at most its size + 1 bytes (a file that grows meanwhile is refused).
 * Anything else is refused, never read.
 */
import * as fs from 'node:fs';

/** The file exists but is not read: its kind or size, in words. */
export class RefusedFileError extends Error {
  constructor(readonly path: string, readonly reason: string) {
    super(`${path} ${reason}`);
    this.name = 'RefusedFileError';
  }
}

/** What an lstat or fstat says a path is, in words, for messages. */
export function fileKind(stats: fs.Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

function refusal(path: string, stats: fs.Stats, limit: number): RefusedFileError | undefined {
  if (!stats.isFile()) return new RefusedFileError(path, `is ${fileKind(stats)}, not a regular file: not read`);
  if (stats.size > limit) return new RefusedFileError(path, `has ${stats.size} bytes, more than the ${limit} read at most: not read`);
  return undefined;
}

const OPEN_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK;

/**
 * The text of the regular file `path`, of at most `limit` bytes.
 * @throws RefusedFileError when it is anything else; the errors of lstat/open (ENOENT, EACCES, ...)
 */
export function readRegularFile(path: string, limit: number): string {
  const before = fs.lstatSync(path);
  const refused = refusal(path, before, limit);
  if (refused !== undefined) throw refused;
  let fd: number;
  try {
    fd = fs.openSync(path, OPEN_FLAGS);
  } catch (error) {
    // ELOOP: a link was put there after the lstat.
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new RefusedFileError(path, 'is a symbolic link, not a regular file: not read');
    throw error;
  }
  try {
    const opened = fs.fstatSync(fd);
    if (opened.dev !== before.dev || opened.ino !== before.ino) throw new RefusedFileError(path, 'was replaced while it was being read: not read');
    const refusedNow = refusal(path, opened, limit);
    if (refusedNow !== undefined) throw refusedNow;
    // One byte more than fstat's size: a file that grew while being read is noticed, not followed.
    const buffer = Buffer.allocUnsafe(opened.size + 1);
    let length = 0;
    for (;;) {
      const read = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > opened.size) throw new RefusedFileError(path, 'grew while it was being read: not read');
    }
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
