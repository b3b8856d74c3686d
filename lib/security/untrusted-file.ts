/**
 * Reading a file that another account may have written (a storage service, the replicator, the
 * legacy `backups` account) while the reader may be root: the plan's markers and run scripts,
 * backup-syncd's state file and log, runit's supervise/status. Whoever can write there could have
 * put a link to a secret (which would leak), a FIFO (which would hang a plain read), a link to
 * /dev/zero or a huge sparse file (which would eat memory). The rules, for every reader:
 *
 * - open with O_NOFOLLOW (a final link is not followed: open fails with ELOOP, reported as a link),
 *   O_NONBLOCK (neither the open nor a read waits on a FIFO) and O_NOCTTY (a terminal does not
 *   become the reader's controlling terminal);
 * - judge what was opened with fstat on the descriptor: only a regular file is read;
 * - read at most a cap: the whole file or nothing (refused above the cap, and when it grows while
 *   being read), or only its last bytes (logs), or only its first bytes (fixed-size records);
 * - ENOENT and ENOTDIR mean nothing is there.
 *
 * The synchronous reader (the plan's) also takes an lstat first, so nothing but a regular file is
 * even opened, and refuses a descriptor that is not the file that lstat saw. The asynchronous
 * readers (status, backup-syncd) do not: they read the state file that backup-syncd replaces by a
 * rename at any moment, so a file replaced between two calls is routine there, not an attack; the
 * descriptor's fstat alone decides.
 *
 * The rules are written once, as a generator (`readingSteps`) that yields each file system call it
 * needs and gets its answer back; one driver answers with the synchronous calls, another with the
 * asynchronous ones. So the two readers cannot drift apart.
 */
import * as fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/** Not following a final link, not waiting on a FIFO, not taking a terminal as the controlling one. */
const OPEN_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY;

/** Codes meaning that nothing is there (a missing file, or a file where a directory was expected). */
const ABSENT_CODES = new Set(['ENOENT', 'ENOTDIR']);

/** What open(O_NOFOLLOW) fails with when the final component is a symbolic link. */
const LINK_CODE = 'ELOOP';

const LINK_KIND = 'a symbolic link';

/** What an lstat or fstat says a path is, in words, for messages. */
export function fileKind(stats: fs.Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isSymbolicLink()) return LINK_KIND;
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** How much of a regular file is read. */
type Extent =
  /** All of it or nothing: refused above the cap or when it grows while being read (state, markers). */
  | 'whole'
  /** Its last bytes, up to the cap (logs: what matters is at the end). */
  | 'tail'
  /** Its first bytes, up to the cap (fixed-size binary records: the caller judges the length). */
  | 'head';

interface ReadRequest {
  readonly maxBytes: number;
  readonly extent: Extent;
  /** Judge an lstat before opening, and refuse a descriptor that is not the file it saw. */
  readonly lstatFirst: boolean;
}

/** Why a file is not read. */
type Refusal =
  | { readonly why: 'not-regular'; readonly kind: string }
  | { readonly why: 'too-big'; readonly size: number; readonly maxBytes: number }
  | { readonly why: 'replaced' }
  | { readonly why: 'grew' };

type Outcome =
  | { readonly bytes: Buffer; readonly stats: fs.Stats; readonly truncated: boolean }
  | { readonly refused: Refusal };

function judge(stats: fs.Stats, request: ReadRequest): Refusal | undefined {
  if (!stats.isFile()) return { why: 'not-regular', kind: fileKind(stats) };
  if (request.extent === 'whole' && stats.size > request.maxBytes) return { why: 'too-big', size: stats.size, maxBytes: request.maxBytes };
  return undefined;
}

/** Where to read and how many bytes, for a regular file of `size` bytes that `judge` accepted. */
function span(size: number, request: ReadRequest): { readonly position: number; readonly length: number } {
  // One byte more than fstat's size: a file that grows while being read is noticed, not followed.
  if (request.extent === 'whole') return { position: 0, length: size + 1 };
  const length = Math.min(size, request.maxBytes);
  return { position: request.extent === 'tail' ? size - length : 0, length };
}

/** A file system call on the path being read, or on the descriptor the `open` call made. */
type Call =
  | { readonly call: 'lstat' }
  | { readonly call: 'open' }
  | { readonly call: 'fstat' }
  | { readonly call: 'read'; readonly buffer: Buffer; readonly offset: number; readonly length: number; readonly position: number };

/** What a call returned (Stats, bytes read), or what it threw. */
type Answer = { readonly value: unknown } | { readonly error: unknown };

/** Yields one call; its answer comes back as a value, or is thrown here as the call threw it. */
function* perform<T>(call: Call): Generator<Call, T, Answer> {
  const answer = yield call;
  if ('error' in answer) throw answer.error;
  return answer.value as T;
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** Every rule above, as the calls they need; a call's error other than a link at open is thrown. */
function* readingSteps(request: ReadRequest): Generator<Call, Outcome, Answer> {
  const before = request.lstatFirst ? yield* perform<fs.Stats>({ call: 'lstat' }) : undefined;
  const refusedBefore = before === undefined ? undefined : judge(before, request);
  if (refusedBefore !== undefined) return { refused: refusedBefore };
  try {
    yield* perform<unknown>({ call: 'open' });
  } catch (error) {
    if (errorCode(error) === LINK_CODE) return { refused: { why: 'not-regular', kind: LINK_KIND } };
    throw error;
  }
  const opened = yield* perform<fs.Stats>({ call: 'fstat' });
  // Something else was put there after the lstat (a FIFO, another file): not what was judged.
  if (before !== undefined && (opened.dev !== before.dev || opened.ino !== before.ino)) return { refused: { why: 'replaced' } };
  const refused = judge(opened, request);
  if (refused !== undefined) return { refused };
  const { position, length } = span(opened.size, request);
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const read = yield* perform<number>({ call: 'read', buffer, offset: filled, length: length - filled, position: position + filled });
    if (read === 0) break;
    filled += read;
  }
  if (request.extent === 'whole' && filled > opened.size) return { refused: { why: 'grew' } };
  return { bytes: buffer.subarray(0, filled), stats: opened, truncated: position > 0 };
}

function settleNow(make: () => unknown): Answer {
  try {
    return { value: make() };
  } catch (error) {
    return { error };
  }
}

async function settleLater(make: () => Promise<unknown>): Promise<Answer> {
  try {
    return { value: await make() };
  } catch (error) {
    return { error };
  }
}

/** `readingSteps` answered with synchronous calls; the descriptor is closed whatever happens. */
function readWithSyncCalls(path: string, request: ReadRequest): Outcome {
  let fd: number | undefined;
  const make = (call: Call): unknown => {
    switch (call.call) {
      case 'lstat': return fs.lstatSync(path);
      case 'open': return (fd = fs.openSync(path, OPEN_FLAGS));
      case 'fstat': return fs.fstatSync(fd!);
      case 'read': return fs.readSync(fd!, call.buffer, call.offset, call.length, call.position);
    }
  };
  try {
    const steps = readingSteps(request);
    let next = steps.next();
    while (!next.done) {
      const call = next.value;
      next = steps.next(settleNow(() => make(call)));
    }
    return next.value;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** `readingSteps` answered with asynchronous calls; the handle is closed whatever happens. */
async function readWithAsyncCalls(path: string, request: ReadRequest): Promise<Outcome> {
  let handle: FileHandle | undefined;
  const make = async (call: Call): Promise<unknown> => {
    switch (call.call) {
      case 'lstat': return fs.promises.lstat(path);
      case 'open': return (handle = await fs.promises.open(path, OPEN_FLAGS));
      case 'fstat': return handle!.stat();
      case 'read': return (await handle!.read(call.buffer, call.offset, call.length, call.position)).bytesRead;
    }
  };
  try {
    const steps = readingSteps(request);
    let next = steps.next();
    while (!next.done) {
      const call = next.value;
      next = steps.next(await settleLater(() => make(call)));
    }
    return next.value;
  } finally {
    await handle?.close();
  }
}

// The plan's reader: synchronous, text, a refusal thrown with its reason in words.

/** The file exists but is not read: its kind or size, in words. */
export class RefusedFileError extends Error {
  constructor(readonly path: string, readonly reason: string) {
    super(`${path} ${reason}`);
    this.name = 'RefusedFileError';
  }
}

/** A refusal in words, after the path: `is a FIFO, not a regular file: not read`. */
function refusalReason(refusal: Refusal): string {
  switch (refusal.why) {
    case 'not-regular': return `is ${refusal.kind}, not a regular file: not read`;
    case 'too-big': return `has ${refusal.size} bytes, more than the ${refusal.maxBytes} read at most: not read`;
    case 'replaced': return 'was replaced while it was being read: not read';
    case 'grew': return 'grew while it was being read: not read';
  }
}

/**
 * The text of the regular file `path`, of at most `limit` bytes; nothing but a regular file is
 * opened, and it is refused when replaced or grown while being read.
 * @throws RefusedFileError when it is anything else; the errors of lstat/open (ENOENT, EACCES, ...)
 */
export function readRegularFile(path: string, limit: number): string {
  const outcome = readWithSyncCalls(path, { maxBytes: limit, extent: 'whole', lstatFirst: true });
  if ('refused' in outcome) throw new RefusedFileError(path, refusalReason(outcome.refused));
  return outcome.bytes.toString('utf8');
}

// Status's and backup-syncd's readers: asynchronous, every outcome a value.

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

type Unread = Exclude<UntrustedRead, { readonly kind: 'file' }>;

/** A refusal as status reports it: too big is EFBIG; a file that changed under the reader is EAGAIN (read again later). */
function unreadBecause(refusal: Refusal): Unread {
  switch (refusal.why) {
    case 'not-regular': return { kind: 'not-a-file' };
    case 'too-big': return { kind: 'unreadable', code: 'EFBIG' };
    case 'replaced':
    case 'grew': return { kind: 'unreadable', code: 'EAGAIN' };
  }
}

/** The bytes read, or why not: a refusal or a failed call as a value. */
async function readAsValue(path: string, request: ReadRequest): Promise<Extract<Outcome, { readonly bytes: Buffer }> | Unread> {
  try {
    const outcome = await readWithAsyncCalls(path, request);
    return 'refused' in outcome ? unreadBecause(outcome.refused) : outcome;
  } catch (error) {
    const code = errorCode(error) ?? 'EIO';
    return ABSENT_CODES.has(code) ? { kind: 'absent' } : { kind: 'unreadable', code };
  }
}

/** A text file: whole up to `maxBytes` (bigger: EFBIG), or with `tail` its last `maxBytes`. */
export async function readUntrusted(path: string, options: UntrustedReadOptions): Promise<UntrustedRead> {
  const read = await readAsValue(path, { maxBytes: options.maxBytes, extent: options.tail ? 'tail' : 'whole', lstatFirst: false });
  if ('kind' in read) return read;
  return { kind: 'file', text: read.bytes.toString('utf8'), mtimeMs: read.stats.mtimeMs, size: read.stats.size, truncated: read.truncated };
}

/** The first `maxBytes` of a binary file of a fixed small size (runit's supervise/status). */
export async function readUntrustedBytes(path: string, maxBytes: number): Promise<Buffer | UntrustedRead> {
  const read = await readAsValue(path, { maxBytes, extent: 'head', lstatFirst: false });
  return 'kind' in read ? read : read.bytes;
}
