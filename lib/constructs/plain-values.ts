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

/**
 * The value as cdktf's resolution would return it when it holds no token: a fresh copy in which
 * `undefined` object members and array elements are dropped. NOT_PLAIN when any part could be a
 * token: a string or key with a token marker, a number in the token range, an object with a
 * `resolve` method or with a prototype other than Object's (a Date, a construct), or a function.
 */
export function plainCopy(value: unknown): unknown {
  switch (typeof value) {
    case 'undefined':
    case 'boolean':
      return value;
    case 'string':
      return value.includes(TOKEN_MARKER) ? NOT_PLAIN : value;
    case 'number':
      return Number.isFinite(value) && Math.abs(value) < LARGEST_PLAIN_NUMBER ? value : NOT_PLAIN;
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        const copy: unknown[] = [];
        for (const element of value) {
          const plain = plainCopy(element);
          if (plain === NOT_PLAIN) return NOT_PLAIN;
          if (plain !== undefined) copy.push(plain);
        }
        return copy;
      }
      if (!isPlainObject(value)) return NOT_PLAIN;
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        if (key.includes(TOKEN_MARKER)) return NOT_PLAIN;
        const plain = plainCopy(value[key]);
        if (plain === NOT_PLAIN) return NOT_PLAIN;
        if (plain !== undefined) copy[key] = plain;
      }
      return copy;
    }
    default:
      return NOT_PLAIN;
  }
}
