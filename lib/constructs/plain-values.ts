/**
 * Most of what this stack synthesizes holds no cdktf token at all: file contents and commands are
 * plain strings made here, `depends_on` plain addresses (./dependencies.ts). cdktf's token
 * resolution still walks every value of every resource twice, testing each string against its
 * token patterns, which was most of the time of synthesizing a server with hundreds of hosts.
 * `plainCopy` answers the same for a value that provably holds no token, in one cheap walk, and
 * says "not plain" for anything else, which then goes through cdktf's own resolution.
 */

/** What `plainCopy` returns for a value that might hold a token. */
export const NOT_PLAIN: unique symbol = Symbol('not plain');

/** Every cdktf token marker (string `${`, list `#{`, map `&{`) ends with this. */
const TOKEN_MARKER = 'TfToken[';

/**
 * cdktf encodes a number token as a double whose top 16 bits are a marker, a magnitude far beyond
 * this bound; a number above it (or not finite) is left to cdktf.
 */
const LARGEST_PLAIN_NUMBER = 1e100;

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value) as unknown;
  // An object with a resolve() method is a token to cdktf, whatever its prototype.
  return (prototype === Object.prototype || prototype === null) && typeof (value as { resolve?: unknown }).resolve !== 'function';
}

/** What a value is to plainCopy: dropped (undefined), a leaf, an array, an object, or NOT_PLAIN. */
export type PlainKind = 'absent' | 'leaf' | 'array' | 'object' | typeof NOT_PLAIN;

/**
 * The kind of `value` for plainCopy: NOT_PLAIN when it could be a token itself (a string with a
 * token marker, a number in the token range, an object with a `resolve` method or with a prototype
 * other than Object's, such as a Date or a construct, a function, a symbol, a bigint). The members
 * of an array or object are not looked at.
 */
export function plainKind(value: unknown): PlainKind {
  switch (typeof value) {
    case 'undefined':
      return 'absent';
    case 'boolean':
      return 'leaf';
    case 'string':
      return value.includes(TOKEN_MARKER) ? NOT_PLAIN : 'leaf';
    case 'number':
      return Number.isFinite(value) && Math.abs(value) < LARGEST_PLAIN_NUMBER ? 'leaf' : NOT_PLAIN;
    case 'object':
      if (value === null) return 'leaf';
      if (Array.isArray(value)) return 'array';
      return isPlainObject(value) ? 'object' : NOT_PLAIN;
    default:
      return NOT_PLAIN;
  }
}

/** Whether an object key could be (part of) a token. */
export const isPlainKey = (key: string): boolean => !key.includes(TOKEN_MARKER);

/**
 * The value as cdktf's resolution would return it when it holds no token: a fresh copy in which
 * `undefined` object members and array elements are dropped. NOT_PLAIN when any part could be a
 * token (plainKind).
 */
export function plainCopy(value: unknown): unknown {
  switch (plainKind(value)) {
    case 'absent':
    case 'leaf':
      return value;
    case 'array': {
      const copy: unknown[] = [];
      for (const element of value as unknown[]) {
        const plain = plainCopy(element);
        if (plain === NOT_PLAIN) return NOT_PLAIN;
        if (plain !== undefined) copy.push(plain);
      }
      return copy;
    }
    case 'object': {
      const record = value as Record<string, unknown>;
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(record)) {
        if (!isPlainKey(key)) return NOT_PLAIN;
        const plain = plainCopy(record[key]);
        if (plain === NOT_PLAIN) return NOT_PLAIN;
        if (plain !== undefined) copy[key] = plain;
      }
      return copy;
    }
    default:
      return NOT_PLAIN;
  }
}
