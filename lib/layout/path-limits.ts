/**
 * Linux's limits on paths: a name (one segment) of at most 255 bytes (NAME_MAX) and a whole path
 * of at most 4,095 bytes (PATH_MAX, 4,096 with the terminating NUL). A path over either fails
 * only when a command runs on the server, half-way through a deploy; validation checks them first.
 */
export const MAX_SEGMENT_BYTES = 255;
export const MAX_PATH_BYTES = 4095;

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** A path short enough for a message: its start and its end. */
export function shortenPath(path: string): string {
  return path.length <= 100 ? path : `${path.slice(0, 40)}…${path.slice(-50)}`;
}

/** Why `path` exceeds a limit, naming the offending segment; undefined when it fits. */
export function pathLimitProblem(path: string): string | undefined {
  // Most paths are shorter than one name may be: nothing in them can be over a limit.
  if (path.length <= MAX_SEGMENT_BYTES && bytes(path) <= MAX_SEGMENT_BYTES) return undefined;
  const long = path.split('/').find((segment) => bytes(segment) > MAX_SEGMENT_BYTES);
  if (long !== undefined) return `the name "${long.slice(0, 24)}…" in it has ${bytes(long)} bytes; a name has at most ${MAX_SEGMENT_BYTES}`;
  if (bytes(path) > MAX_PATH_BYTES) return `it has ${bytes(path)} bytes; a path has at most ${MAX_PATH_BYTES}`;
  return undefined;
}
