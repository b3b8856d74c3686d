/**
 * lib/security/untrusted-file.ts. readRegularFile (the plan's): regular files within the limit are
 * read; everything else is refused unread. Then the rules its synchronous reader shares with the
 * asynchronous ones of status and backup-syncd: a whole file that grows while being read is refused
 * by both (new for the asynchronous reader); a tail or a head is read as far as fstat said.
 */
import { execFileSync } from 'node:child_process';
import type { Stats } from 'node:fs';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRegularFile, readUntrusted, readUntrustedBytes, RefusedFileError } from '../../lib/security/untrusted-file';
import { describeWithTools } from '../support/tools';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'safe-read-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const refusal = (path: string, limit: number): string => {
  try {
    readRegularFile(path, limit);
  } catch (error) {
    if (error instanceof RefusedFileError) return error.reason;
    throw error;
  }
  throw new Error(`${path} was read`);
};

test('a regular file up to the limit is read, one byte more is refused', () => {
  writeFileSync(join(dir, 'ten'), '0123456789');
  expect(readRegularFile(join(dir, 'ten'), 10)).toBe('0123456789');
  expect(refusal(join(dir, 'ten'), 9)).toBe('has 10 bytes, more than the 9 read at most: not read');
});

test('a link is refused even when it points to a good file', () => {
  writeFileSync(join(dir, 'good'), '{}');
  symlinkSync(join(dir, 'good'), join(dir, 'link'));
  expect(refusal(join(dir, 'link'), 100)).toBe('is a symbolic link, not a regular file: not read');
});

test('a directory is refused; a missing file is the file system error', () => {
  expect(refusal(dir, 100)).toBe('is a directory, not a regular file: not read');
  expect(() => readRegularFile(join(dir, 'missing'), 100)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
});

describeWithTools(['mkfifo'], 'special files', () => {
  test('a FIFO is refused without blocking', () => {
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    expect(refusal(join(dir, 'fifo'), 100)).toBe('is a FIFO, not a regular file: not read');
  });

  test('a FIFO or a link put in place after the lstat is neither followed nor waited on', () => {
    writeFileSync(join(dir, 'good'), '{}');
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    symlinkSync('/dev/zero', join(dir, 'link'));
    // The lstat sees the good file; open and fstat then meet what is really there.
    const realFs = jest.requireActual<typeof import('node:fs')>('node:fs');
    const goodStats = realFs.lstatSync(join(dir, 'good'));
    const spy = jest.spyOn(realFs, 'lstatSync').mockImplementation((() => goodStats) as unknown as typeof realFs.lstatSync);
    try {
      expect(refusal(join(dir, 'fifo'), 100)).toBe('was replaced while it was being read: not read');
      expect(refusal(join(dir, 'link'), 100)).toBe('is a symbolic link, not a regular file: not read');
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });
});

/** The same stats, `by` bytes smaller: what fstat said just before the file grew by that much. */
const shrunk = (stats: Stats, by: number): Stats => Object.assign(Object.create(Object.getPrototypeOf(stats) as object) as Stats, stats, { size: stats.size - by });

describe('a file that grows while it is being read', () => {
  test('synchronous: refused, not followed', () => {
    writeFileSync(join(dir, 'growing'), '0123456789');
    const realFs = jest.requireActual<typeof import('node:fs')>('node:fs');
    const fstatSync = realFs.fstatSync;
    const spy = jest.spyOn(realFs, 'fstatSync').mockImplementation(((fd: number) => shrunk(fstatSync(fd), 4)) as unknown as typeof realFs.fstatSync);
    try {
      expect(refusal(join(dir, 'growing'), 100)).toBe('grew while it was being read: not read');
    } finally {
      spy.mockRestore();
    }
  });

  test('asynchronous: a whole file is refused (EAGAIN: read again later); a tail or a head is read as far as fstat said', async () => {
    const file = join(dir, 'growing');
    writeFileSync(file, '0123456789');
    const realFs = jest.requireActual<typeof import('node:fs')>('node:fs');
    const probe = await realFs.promises.open(file);
    const handles = Object.getPrototypeOf(probe) as { stat(): Promise<Stats> };
    await probe.close();
    const stat = handles.stat;
    const spy = jest.spyOn(handles, 'stat').mockImplementation(async function (this: unknown) {
      return shrunk(await stat.call(this), 4);
    });
    try {
      expect(await readUntrusted(file, { maxBytes: 100 })).toEqual({ kind: 'unreadable', code: 'EAGAIN' });
      expect(await readUntrusted(file, { maxBytes: 3, tail: true })).toMatchObject({ kind: 'file', text: '345', size: 6, truncated: true });
      expect(await readUntrustedBytes(file, 100)).toEqual(Buffer.from('012345'));
    } finally {
      spy.mockRestore();
    }
  });
});

describe('the asynchronous readers', () => {
  test('a whole file within the cap, a tail, a head; a missing file or directory is absent', async () => {
    writeFileSync(join(dir, 'ten'), '0123456789');
    expect(await readUntrusted(join(dir, 'ten'), { maxBytes: 10 })).toMatchObject({ kind: 'file', text: '0123456789', size: 10, truncated: false });
    expect(await readUntrusted(join(dir, 'ten'), { maxBytes: 9 })).toEqual({ kind: 'unreadable', code: 'EFBIG' });
    expect(await readUntrusted(join(dir, 'ten'), { maxBytes: 20, tail: true })).toMatchObject({ kind: 'file', text: '0123456789', truncated: false });
    expect(await readUntrustedBytes(join(dir, 'ten'), 4)).toEqual(Buffer.from('0123'));
    expect(await readUntrusted(join(dir, 'missing'), { maxBytes: 10 })).toEqual({ kind: 'absent' });
    expect(await readUntrustedBytes(join(dir, 'ten', 'below-a-file'), 4)).toEqual({ kind: 'absent' });
  });

  test('a link is not followed, even to a good file', async () => {
    writeFileSync(join(dir, 'good'), '{}');
    symlinkSync(join(dir, 'good'), join(dir, 'link'));
    expect(await readUntrustedBytes(join(dir, 'link'), 100)).toEqual({ kind: 'not-a-file' });
  });
});
