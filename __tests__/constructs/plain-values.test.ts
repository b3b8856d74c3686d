/** plainCopy: the copy cdktf's resolution would make of a value without tokens, and NOT_PLAIN for anything that might hold one. */
import { NOT_PLAIN, plainCopy } from '../../lib/constructs/plain-values';
import { Lazy, Token, Tokenization } from 'cdktf';

const resolveAlone = (value: unknown): unknown => Tokenization.resolve(value, { scope: undefined as never, resolver: { resolveToken: () => undefined } as never });

describe('plain values are copied as cdktf resolves them', () => {
  test.each<[string, unknown, unknown]>([
    ['a string with shell and escaped Terraform syntax', 'echo "$${HOME}" %%{x} ${#v}', 'echo "$${HOME}" %%{x} ${#v}'],
    ['numbers, booleans and null', [0, -1.5, 1e99, true, false, null], [0, -1.5, 1e99, true, false, null]],
    ['undefined members and elements are dropped', { a: undefined, b: [1, undefined, 2], c: { d: undefined } }, { b: [1, 2], c: {} }],
    ['an object without prototype', Object.assign(Object.create(null) as object, { a: 'x' }), { a: 'x' }],
    ['empty containers stay', { a: {}, b: [] }, { a: {}, b: [] }],
  ])('%s', (_name, value, expected) => {
    const copy = plainCopy(value);
    expect(copy).toStrictEqual(expected);
    if (typeof value === 'object' && value !== null) expect(copy).not.toBe(value);
  });

  test('the copy is what cdktf makes of the same value', () => {
    const value = { resource: { x: { triggers: { a: 'b', n: '1e5 2E+3' }, list: ['a', undefined, { k: 1 }], gone: undefined } } };
    expect(plainCopy(value)).toStrictEqual(resolveAlone(value));
  });
});

describe('anything that might hold a token is NOT_PLAIN', () => {
  test.each<[string, () => unknown]>([
    ['a string token', () => Token.asString(Lazy.stringValue({ produce: () => 'x' }))],
    ['a string with a token inside', () => `prefix ${Token.asString(Lazy.stringValue({ produce: () => 'x' }))} suffix`],
    ['a number token', () => Token.asNumber(Lazy.numberValue({ produce: () => 1 }))],
    ['a list token', () => Token.asList(Lazy.listValue({ produce: () => ['x'] }))],
    ['a map token key', () => ({ [Object.keys(Token.asStringMap(Lazy.anyValue({ produce: () => ({}) })))[0]!]: 'v' })],
    ['a resolvable object', () => Lazy.anyValue({ produce: () => 'x' })],
    ['an object with a resolve method', () => ({ resolve: () => 'x' })],
    ['a Date', () => new Date(0)],
    ['a class instance', () => new (class Thing { a = 1; })()],
    ['a function', () => () => 1],
    ['a symbol', () => Symbol('s')],
    ['a bigint', () => 1n],
    ['infinity', () => Infinity],
    ['NaN', () => NaN],
    ['deep inside arrays and objects', () => ({ a: [{ b: [Token.asString(Lazy.stringValue({ produce: () => 'x' }))] }] })],
  ])('%s', (_name, make) => {
    expect(plainCopy(make())).toBe(NOT_PLAIN);
  });
});
