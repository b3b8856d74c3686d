/**
 * stableJsonBytes (lib/constructs/stable-json.ts) must write exactly the bytes cdktf writes:
 * json-stable-stringify(value, { space: 2 }) as UTF-8. Compared here with json-stable-stringify
 * itself, the very copy cdktf loads.
 */
import { createRequire } from 'node:module';
import { NOT_PLAIN, plainCopy } from '../../lib/constructs/plain-values';
import { plainStableJsonBytes, stableJsonBytes } from '../../lib/constructs/stable-json';
import { Lazy, Token } from 'cdktf';
import { example } from '../support/fixtures';
import { synthStack } from '../support/synth';

const jsonStableStringify = createRequire(require.resolve('cdktf'))('json-stable-stringify') as (value: unknown, options: { space: number }) => string | undefined;

/** What cdktf would write for `value`, as bytes. */
function cdktfBytes(value: unknown): Buffer | undefined {
  const text = jsonStableStringify(value, { space: 2 });
  return text === undefined ? undefined : Buffer.from(text, 'utf8');
}

function expectSameBytes(value: unknown): void {
  const ours = stableJsonBytes(value);
  const theirs = cdktfBytes(value);
  if (theirs === undefined) {
    expect(ours).toBeUndefined();
    return;
  }
  expect(ours).toBeDefined();
  // Compared as text first for a readable difference, then byte for byte.
  expect(ours!.toString('utf8')).toBe(theirs.toString('utf8'));
  expect(ours!.equals(theirs)).toBe(true);
}

/** `count` random documents from a small deterministic generator (mulberry32), so a failure is reproducible. */
function randomDocuments(count: number): unknown[] {
  let seed = 0x5eed;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const alphabet = ['a', 'Z', '0', '9', ' ', '"', '\\', '\n', '\u0001', 'é', '😀', '\ud800', '$', '{', '}', '_', '-', '.'];
  const text = () => Array.from({ length: Math.floor(random() * 12) }, () => pick(alphabet)).join('');
  const value = (depth: number): unknown => {
    const kind = Math.floor(random() * (depth > 4 ? 6 : 9));
    switch (kind) {
      case 0: return text();
      case 1: return Math.floor(random() * 2000) - 1000;
      case 2: return random() * 1e6;
      case 3: return pick([true, false, null]);
      case 4: return pick([undefined, NaN, () => 0]);
      case 5: return pick([{}, []]);
      case 6:
      case 7: return Object.fromEntries(Array.from({ length: Math.floor(random() * 6) }, () => [random() < 0.2 ? String(Math.floor(random() * 20)) : text(), value(depth + 1)]));
      default: return Array.from({ length: Math.floor(random() * 5) }, () => value(depth + 1));
    }
  };
  return Array.from({ length: count }, () => value(0));
}

const withToJson = (result: unknown) => ({ toJSON: () => result, ignored: 'not written' });

const cases: ReadonlyArray<[string, unknown]> = [
  ['a flat object, keys out of order', { b: 1, a: 'x', c: true, d: null }],
  ['keys sorted by UTF-16 code units, not numerically or by locale', { '10': 1, '9': 2, '1': 3, B: 4, a: 5, _: 6, 'é': 7, '😀': 8, 'ｚ': 9 }],
  ['nested objects and arrays', { resource: { null_resource: { b: { triggers: { z: '1', a: '2' } }, a: { provisioner: [{ 'local-exec': { command: 'x', interpreter: ['/bin/sh', '-c'] } }] } } } }],
  ['empty objects and arrays at every depth', { a: {}, b: [], c: { d: {}, e: [[], {}, [[]]] } }],
  ['an empty top-level object', {}],
  ['an empty top-level array', []],
  ['undefined, functions and symbols: left out of objects, null in arrays', { a: undefined, b: () => 1, c: Symbol('s'), d: [undefined, () => 1, Symbol('s'), 1], e: 'kept' }],
  ['an object whose members are all left out', { a: undefined, b: { c: undefined } }],
  ['numbers', { int: 42, negative: -7, float: 0.1 + 0.2, big: 1e21, small: 5e-324, zero: 0, negativeZero: -0, nan: NaN, infinity: Infinity, minusInfinity: -Infinity }],
  ['escapes and control characters', { s: 'quote " backslash \\ newline \n tab \t cr \r bs \b ff \f nul \u0000 us \u001f del \u007f', key: { 'a"b\\c\nd': 1 } }],
  ['non-ASCII text, astral characters and lone surrogates', { s: 'ünïcödé 日本語 😀 \u2028 \u2029 \ud800 x \udfff y \udbff\udfff' }],
  ['Terraform-escaped shell text', { command: 'set -eu\nfor f in "$${@}"; do echo "%%{x} $${#f}"; done\n' }],
  ['toJSON: a Date, and objects that turn into other values', { when: new Date(Date.UTC(2026, 10, 26)), asString: withToJson('text'), asObject: withToJson({ b: 1, a: [] }), asUndefined: withToJson(undefined), inArray: [withToJson(7), withToJson(undefined)] }],
  ['a top-level toJSON', withToJson({ z: 1, a: 2 })],
  ['top-level primitives', 'just a string'],
  ['top-level null', null],
  ['top-level undefined: nothing is written', undefined],
  ['a boxed string is an object of its characters', { boxed: Object('ab') as unknown }],
  ['an object without a prototype', Object.assign(Object.create(null) as object, { b: 1, a: 2 })],
  ['the same object twice (not a cycle)', (() => { const shared = { x: 1 }; return { a: shared, b: [shared, shared] }; })()],
];

describe('stableJsonBytes writes what json-stable-stringify writes', () => {
  test.each(cases)('%s', (_name, value) => expectSameBytes(value));

  test('strings longer than a chunk, with multi-byte characters across every chunk boundary', () => {
    const long = '€😀a"\n'.repeat(400_000);
    expectSameBytes({ a: long, b: [long.slice(1), 'short', long.slice(3)], c: 'after' });
  });

  test('many small members: the pending text is encoded in pieces', () => {
    const many = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`key${i}`, i % 3 === 0 ? `välue ${i}` : i % 3 === 1 ? [i, { n: i }] : {}]));
    expectSameBytes(many);
  });

  test('every UTF-16 code unit, alone and inside a longer string, as a value and as a key', () => {
    const units = Array.from({ length: 0x10000 }, (_, unit) => String.fromCharCode(unit));
    expectSameBytes(units);
    expectSameBytes(units.map((unit) => `before ${unit} after`));
    expectSameBytes(Object.fromEntries(units.map((unit) => [`key ${unit}`, unit])));
  });

  test('500 random documents', () => {
    for (const document of randomDocuments(500)) expectSameBytes(document);
  });

  test('the Terraform JSON of the example stack', () => {
    expectSameBytes(synthStack(example).toTerraform());
  });
});

describe('stableJsonBytes fails where json-stable-stringify fails', () => {
  test('a cycle through an object', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = { back: cyclic };
    expect(() => jsonStableStringify(cyclic, { space: 2 })).toThrow(new TypeError('Converting circular structure to JSON'));
    expect(() => stableJsonBytes(cyclic)).toThrow(new TypeError('Converting circular structure to JSON'));
  });

  test('a BigInt', () => {
    expect(() => jsonStableStringify({ n: 1n }, { space: 2 })).toThrow(TypeError);
    expect(() => stableJsonBytes({ n: 1n })).toThrow(TypeError);
  });
});

describe('plainStableJsonBytes writes what stableJsonBytes writes of plainCopy’s copy, without the copy', () => {
  const expectPlainBytes = (value: unknown) => {
    const copy = plainCopy(value);
    const written = plainStableJsonBytes(value);
    if (copy === NOT_PLAIN) {
      expect(written).toBe(NOT_PLAIN);
      return;
    }
    const expected = stableJsonBytes(copy);
    if (expected === undefined) expect(written).toBeUndefined();
    else expect((written as Buffer).toString('utf8')).toBe(expected.toString('utf8'));
  };

  test('undefined members and elements are dropped, not written as null', () => {
    expect((plainStableJsonBytes({ a: undefined, b: [undefined, 1, undefined], c: {} }) as Buffer).toString('utf8')).toBe('{\n  "b": [\n    1\n  ],\n  "c": {\n  }\n}');
  });

  test.each(cases.filter(([name]) => !name.includes('toJSON')))('%s', (_name, value) => expectPlainBytes(value));

  test('500 random documents (those with a function or NaN are NOT_PLAIN)', () => {
    const documents = randomDocuments(500);
    for (const document of documents) expectPlainBytes(document);
    // The generator makes both kinds.
    expect(documents.filter((document) => plainCopy(document) === NOT_PLAIN).length).toBeGreaterThan(10);
    expect(documents.filter((document) => plainCopy(document) !== NOT_PLAIN).length).toBeGreaterThan(10);
  });

  test.each<[string, () => unknown]>([
    ['a string token deep inside', () => ({ a: [{ b: `x ${Token.asString(Lazy.stringValue({ produce: () => 'y' }))}` }] })],
    ['a token as a key', () => ({ [Token.asString(Lazy.stringValue({ produce: () => 'k' }))]: 1 })],
    ['a number token', () => ({ n: Token.asNumber(Lazy.numberValue({ produce: () => 1 })) })],
    ['a resolvable', () => ({ r: Lazy.anyValue({ produce: () => 'x' }) })],
    ['a Date (it has toJSON, which plainCopy never calls)', () => ({ d: new Date(0) })],
  ])('NOT_PLAIN for %s', (_name, make) => {
    expect(plainStableJsonBytes(make())).toBe(NOT_PLAIN);
  });
});
