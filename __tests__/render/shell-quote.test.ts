import { shellQuote, shellWords, UnsafeShellValueError } from '../../lib';
import { execFileSync } from 'node:child_process';

describe('shellQuote', () => {
  test.each([
    ['/backups/systems/a.example.com', '/backups/systems/a.example.com'],
    ['backups:backups', 'backups:backups'],
    ['a b', "'a b'"],
    ["it's", "'it'\\''s'"],
    ['$(reboot)', "'$(reboot)'"],
    ['`id`', "'`id`'"],
    ['', "''"],
    ['{"port":9001}', `'{"port":9001}'`],
  ])('%j becomes %s', (value, quoted) => {
    expect(shellQuote(value)).toBe(quoted);
  });

  test('a quoted value reaches a real shell as exactly one unchanged word', () => {
    const nasty = ["a'b", '$(touch /tmp/pwned)', '`id`', 'x; y', '"q"', '\\', '*', '~root', 'a  b'];
    const printed = execFileSync('sh', ['-c', `printf '%s\\0' ${shellWords(nasty)}`]).toString('utf8');
    expect(printed.split('\0').slice(0, -1)).toEqual(nasty);
  });

  test.each(['a\nb', 'a\u0000b', 'a\rb', '\u001b[31m'])('refuses control characters in %j', (value) => {
    expect(() => shellQuote(value)).toThrow(UnsafeShellValueError);
  });
});
