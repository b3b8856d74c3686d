/**
 * Reading files the service account could have written (run scripts, replica_sync of hosts made by
 * the original script or by hand): only a regular file, never through a link, and only its first
 * bytes. A FIFO would hang the plan, a link would read what it points to, a huge file would fill memory.
 */
import type { DiskReader } from './disk-reader';
import { probe } from './disk-reader';

/** More than any run script or replica_sync needs. */
export const UNTRUSTED_READ_LIMIT = 64 * 1024;

export type PlanFileRead =
  | { readonly kind: 'absent' }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'refused'; readonly reason: string };

/** lstat first: anything but a regular file of at most `limit` bytes is refused, not read. */
export function readPlanFile(reader: DiskReader, path: string, limit = UNTRUSTED_READ_LIMIT): PlanFileRead {
  const stats = probe((file) => reader.lstat(file), path);
  if (stats === undefined) return { kind: 'absent' };
  if (stats.isSymbolicLink()) return { kind: 'refused', reason: `${path} is a symbolic link; not followed` };
  if (!stats.isFile()) return { kind: 'refused', reason: `${path} is not a regular file; not read` };
  if (stats.size > limit) return { kind: 'refused', reason: `${path} has ${stats.size} bytes, more than the ${limit} read` };
  const text = probe((file) => reader.readFile(file, limit), path);
  return text === undefined ? { kind: 'absent' } : { kind: 'text', text };
}
