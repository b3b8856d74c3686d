/** readRegularFile: regular files within the limit are read; everything else is refused unread. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRegularFile, RefusedFileError } from '../../lib/plan/safe-read';
import { escapeForTerminal, escapeJsonText, escapeMarkdown } from '../../lib/plan/escape';
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

describe('escaping', () => {
  test('terminal: controls, DEL, C1, bidi as \\x or \\u; the backslash doubled', () => {
    expect(escapeForTerminal('a\u001b[31m\u0007\n\u007f\u009b\u202e\u2066\u200f\\x1b')).toBe('a\\x1b[31m\\x07\\x0a\\x7f\\x9b\\u202e\\u2066\\u200f\\\\x1b');
    expect(escapeForTerminal('plain-name.example.com é')).toBe('plain-name.example.com é');
  });
  test('markdown: terminal escapes, then markup and HTML', () => {
    expect(escapeMarkdown('a|b<i>&*_`[l](u)~\n')).toBe('a\\|b&lt;i&gt;&amp;\\*\\_\\`\\[l\\](u)\\~\\\\x0a');
  });
  test('json: C1 and bidi as \\u, the same value', () => {
    const json = JSON.stringify({ name: 'x\u009b\u202ey' });
    expect(escapeJsonText(json)).toBe('{"name":"x\\u009b\\u202ey"}');
    expect(JSON.parse(escapeJsonText(json))).toEqual({ name: 'x\u009b\u202ey' });
  });
});
