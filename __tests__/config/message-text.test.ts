import { ConfigError, escapeUnsafeCharacters, formatValue, plainCopy } from '../../lib';
import { withRoot } from '../../lib/plan/hosts-file';

describe('formatValue shows what a value really is', () => {
  test.each<[string, unknown, string]>([
    ['NaN', Number.NaN, 'NaN'],
    ['Infinity', Number.POSITIVE_INFINITY, 'Infinity'],
    ['-Infinity', Number.NEGATIVE_INFINITY, '-Infinity'],
    ['-0', -0, '-0'],
    ['0', 0, '0'],
    ['a bigint', 9001n, '9001n'],
    ['undefined', undefined, 'nothing'],
    ['null', null, 'null'],
    ['numbers inside data', { port: Number.NaN, ports: [-0, 1n] }, '{port:NaN,ports:[-0,1n]}'],
    ['an odd key', { 'a b': 1 }, '{"a b":1}'],
    ['a symbol', Symbol('x'), 'Symbol(x)'],
  ])('%s', (_name, value, shown) => {
    expect(formatValue(value)).toBe(shown);
  });

  test('a long string is cut between code points, with its own length', () => {
    const text = `${'a'.repeat(59)}😀${'b'.repeat(100)}`;
    expect(formatValue(text)).toBe(`"${'a'.repeat(59)}… (${text.length} characters)`);
    expect(formatValue(`${'a'.repeat(58)}😀${'b'.repeat(100)}`)).toBe(`"${'a'.repeat(58)}😀… (${58 + 2 + 100} characters)`);
  });

  test('formatting never runs a getter', () => {
    let calls = 0;
    const value = {};
    Object.defineProperty(value, 'x', { enumerable: true, get: () => ++calls });
    expect(formatValue(value)).toBe('{}');
    expect(calls).toBe(0);
  });
});

describe('escapeUnsafeCharacters', () => {
  test.each<[string, string, string]>([
    ['ESC', 'a\u001b[2Jb', 'a\\u001b[2Jb'],
    ['BEL', 'a\u0007', 'a\\u0007'],
    ['DEL', 'a\u007f', 'a\\u007f'],
    ['C1 CSI', 'a\u009b', 'a\\u009b'],
    ['right-to-left override', 'a\u202eb', 'a\\u202eb'],
    ['isolates', '\u2066\u2067\u2068\u2069', '\\u2066\\u2067\\u2068\\u2069'],
    ['marks', '\u200e\u200f', '\\u200e\\u200f'],
    ['line separator', '\u2028', '\\u2028'],
    ['a tag character (astral, format)', '\u{E0041}', '\\udb40\\udc41'],
    ['a lone surrogate', '\ud800', '\\ud800'],
    ['plain text and emoji unchanged', 'ahost.example.com 😀 é', 'ahost.example.com 😀 é'],
  ])('%s', (_name, text, escaped) => {
    expect(escapeUnsafeCharacters(text)).toBe(escaped);
  });
});

describe('plainCopy', () => {
  test('copies plain data deeply: nothing of the original is shared', () => {
    const original = { server: { serverName: 'x' }, hosts: [{ name: 'a', allowFrom: ['192.0.2.0/24'] }] };
    const copy = plainCopy(original);
    expect(copy.problems).toEqual([]);
    expect(copy.value).toEqual(original);
    expect((copy.value as typeof original).hosts[0]).not.toBe(original.hosts[0]);
    expect((copy.value as typeof original).hosts[0]!.allowFrom).not.toBe(original.hosts[0]!.allowFrom);
  });

  test('a null-prototype object and a value shared by two hosts are plain data', () => {
    const shared = ['192.0.2.0/24'];
    const server = Object.assign(Object.create(null) as object, { serverName: 'x' });
    expect(plainCopy({ server, hosts: [{ allowFrom: shared }, { allowFrom: shared }] }).problems).toEqual([]);
  });

  test('a "__proto__" own key stays a field of the copy, never its prototype', () => {
    const copy = plainCopy(JSON.parse('{"__proto__": {"root": "/etc"}}')).value as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__']);
    expect((copy as { root?: unknown }).root).toBeUndefined();
  });
});

describe('the plan\'s --root', () => {
  test('is applied to the plain copy: a getter is refused, not read', () => {
    let calls = 0;
    const server = { serverName: 'backup.example.com' };
    Object.defineProperty(server, 'storage', { enumerable: true, get: () => { calls++; return 'minio'; } });
    expect(() => withRoot({ server, hosts: [] }, '/srv/backups')).toThrow(ConfigError);
    expect(calls).toBe(0);
    expect(withRoot({ server: { serverName: 'backup.example.com' }, hosts: [] }, '/srv/backups')).toEqual({ server: { serverName: 'backup.example.com', root: '/srv/backups' }, hosts: [] });
  });
});
