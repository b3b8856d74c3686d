/**
 * Reading files that service accounts write (state, logs): status may run as root, so a file
 * replaced by a link (to /etc/shadow), a FIFO (which would block) or a huge file must neither leak
 * nor hang nor exhaust memory. Opened without following a final link and without blocking, checked
 * to be a regular file on the open descriptor, and read up to a cap (the head or the tail).
 */
import { constants, promises as fs } from 'node:fs';

export type UntrustedRead =
  | { readonly kind: 'file'; readonly text: string; readonly mtimeMs: number; readonly size: number; readonly truncated: boolean }
  | { readonly kind: 'absent' }
  /** A link, FIFO, directory, ...: not read. */
  | { readonly kind: 'not-a-file' }
  | { readonly kind: 'unreadable'; readonly code: string };

export interface UntrustedReadOptions {
  readonly maxBytes: number;
  /** Read the last `maxBytes` instead of refusing a bigger file (logs). */
  readonly tail?: boolean;
}

const FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY;

/** Opens without following a final link or blocking on a FIFO; a failure is what the caller reports. */
async function openUntrusted(path: string): Promise<fs.FileHandle | UntrustedRead> {
  try {
    return await fs.open(path, FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'absent' };
    // O_NOFOLLOW on a link: ELOOP.
    if (code === 'ELOOP') return { kind: 'not-a-file' };
    return { kind: 'unreadable', code };
  }
}

export async function readUntrusted(path: string, options: UntrustedReadOptions): Promise<UntrustedRead> {
  const handle = await openUntrusted(path);
  if ('kind' in handle) return handle;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { kind: 'not-a-file' };
    if (stats.size > options.maxBytes && !options.tail) return { kind: 'unreadable', code: 'EFBIG' };
    const length = Math.min(stats.size, options.maxBytes);
    const buffer = Buffer.alloc(length);
    let offset = 0;
    const start = stats.size - length;
    while (offset < length) {
      const { bytesRead } = await handle.read(buffer, offset, length - offset, start + offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
    }
    return { kind: 'file', text: buffer.subarray(0, offset).toString('utf8'), mtimeMs: stats.mtimeMs, size: stats.size, truncated: start > 0 };
  } catch (error) {
    return { kind: 'unreadable', code: (error as NodeJS.ErrnoException).code ?? 'EIO' };
  } finally {
    await handle.close();
  }
}

/** The same for binary files of a fixed small size (runit's supervise/status). */
export async function readUntrustedBytes(path: string, maxBytes: number): Promise<Buffer | UntrustedRead> {
  const handle = await openUntrusted(path);
  if ('kind' in handle) return handle;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { kind: 'not-a-file' };
    const buffer = Buffer.alloc(Math.min(stats.size, maxBytes));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } catch (error) {
    return { kind: 'unreadable', code: (error as NodeJS.ErrnoException).code ?? 'EIO' };
  } finally {
    await handle.close();
  }
}
