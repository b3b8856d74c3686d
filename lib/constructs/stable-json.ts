/**
 * The bytes cdktf writes for a stack's Terraform JSON, `json-stable-stringify(value, { space: 2 })`
 * encoded as UTF-8, made without building the text first. json-stable-stringify joins every
 * object's members into a new string at every level of nesting, so a large server's 35 MB of
 * output was copied once per level, then flattened and encoded again to be written. Here each
 * piece is encoded once, into fixed-size chunks. The result is byte-identical for every value
 * (__tests__/constructs/stable-json.test.ts compares with json-stable-stringify itself):
 *
 * - object keys sorted by UTF-16 code units (Array.prototype.sort), strings, numbers and keys as
 *   JSON.stringify writes them;
 * - a `toJSON` method is called (without arguments) before anything else;
 * - members whose value is undefined, a function or a symbol are left out, array elements of that
 *   kind are written `null`;
 * - an empty object or array still gets its line break: `{` newline, indentation, `}`;
 * - a cycle through an object throws `TypeError: Converting circular structure to JSON`.
 *
 * plainStableJsonBytes writes the same for plainCopy's copy of a value (./plain-values.ts) without
 * making the copy, which is how a stack without tokens is written.
 */

import { isPlainKey, NOT_PLAIN, plainKind } from './plain-values';

const CHUNK_BYTES = 1 << 20;
/** Text gathered before it is encoded: one Buffer write per piece of JSON costs more than the piece. */
const PENDING_CHARACTERS = 1 << 12;
const INDENT = '  ';
/** Objects with at most this many keys have them put in order by insertion. */
const SORTED_IN_PLACE = 16;

/** What json-stable-stringify leaves out of an object (and writes as `null` in an array). */
const OMITTED: unique symbol = Symbol('omitted');

/** Growing UTF-8 output in chunks, so that nothing already written is ever copied to grow it. */
class Utf8Chunks {
  private readonly full: Buffer[] = [];
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private pending = '';

  write(text: string): void {
    if (text.length >= PENDING_CHARACTERS) {
      // A long string (a script, a command) is encoded as it is, not copied into the pending text first.
      this.encodePending();
      this.encode(text);
      return;
    }
    this.pending += text;
    if (this.pending.length >= PENDING_CHARACTERS) this.encodePending();
  }

  bytes(): Buffer {
    this.encodePending();
    return Buffer.concat([...this.full, this.chunk.subarray(0, this.used)]);
  }

  private encodePending(): void {
    const text = this.pending;
    this.pending = '';
    if (text.length > 0) this.encode(text);
  }

  private encode(text: string): void {
    // A UTF-16 code unit never takes more than three UTF-8 bytes.
    if (text.length * 3 > this.chunk.length - this.used) {
      this.full.push(this.chunk.subarray(0, this.used));
      this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, text.length * 3));
      this.used = 0;
    }
    this.used += this.chunk.write(text, this.used);
  }
}

/** What JSON.stringify escapes in a string: `"`, `\\`, control characters, and surrogates (paired ones are left to it). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * JSON.stringify(text): the same string, made without calling into it for the hundreds of
 * thousands of keys and short values that need no escape (a third of the writer's time).
 */
function jsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/**
 * How values are written: what `node` is written as (OMITTED for nothing), what an omitted array
 * element becomes (undefined: it is dropped), and a check of each key.
 */
interface WritePolicy {
  prepare(node: unknown): unknown;
  readonly omittedElement: string | undefined;
  checkKey(key: string): void;
}

/** json-stable-stringify's own rules. */
const ANY_VALUE: WritePolicy = {
  prepare(node) {
    // json-stable-stringify tests any truthy value for toJSON, primitives included.
    const withToJson = node as { toJSON?: unknown } | null | undefined;
    const value = withToJson && typeof withToJson.toJSON === 'function' ? (withToJson.toJSON as () => unknown)() : node;
    return value === undefined || typeof value === 'function' || typeof value === 'symbol' ? OMITTED : value;
  },
  omittedElement: 'null',
  checkKey() {},
};

class NotPlainError extends Error {}

/** plainCopy's rules (./plain-values.ts): undefined dropped everywhere, anything that might hold a token refused. */
const PLAIN_VALUE: WritePolicy = {
  prepare(node) {
    const kind = plainKind(node);
    if (kind === NOT_PLAIN) throw new NotPlainError();
    return kind === 'absent' ? OMITTED : node;
  },
  omittedElement: undefined,
  checkKey(key) {
    if (!isPlainKey(key)) throw new NotPlainError();
  },
};

/**
 * Object.keys(record).sort(): keys in order already (most) are left as they are, a few are put in
 * order in place (Array.prototype.sort allocates a workspace for every call, hundreds of thousands
 * of times for a large server). Both compare UTF-16 code units, as the default sort does.
 */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  if (keys.length > SORTED_IN_PLACE) return keys.sort();
  for (let index = 1; index < keys.length; index++) {
    const key = keys[index]!;
    let at = index;
    while (at > 0 && keys[at - 1]! > key) {
      keys[at] = keys[at - 1]!;
      at--;
    }
    keys[at] = key;
  }
  return keys;
}

function writeJson(value: unknown, policy: WritePolicy): Buffer | undefined {
  const first = policy.prepare(value);
  if (first === OMITTED) return undefined;
  const out = new Utf8Chunks();
  const lineBreaks: string[] = [];
  const lineBreak = (level: number): string => (lineBreaks[level] ??= `\n${INDENT.repeat(level)}`);
  // The objects being written, outermost first: json-stable-stringify's cycle check.
  const ancestors: object[] = [];

  const write = (node: unknown, level: number): void => {
    if (node === null || typeof node !== 'object') {
      out.write(typeof node === 'string' ? jsonString(node) : (JSON.stringify(node) as string));
      return;
    }
    const inner = lineBreak(level + 1);
    if (Array.isArray(node)) {
      out.write('[');
      let separator = inner;
      // Index loops: an iterator per object and array was a tenth of what the writer allocated.
      for (let index = 0; index < node.length; index++) {
        const element = policy.prepare(node[index]);
        if (element === OMITTED && policy.omittedElement === undefined) continue;
        out.write(separator);
        separator = `,${inner}`;
        if (element === OMITTED) out.write(policy.omittedElement!);
        else write(element, level + 1);
      }
      out.write(`${lineBreak(level)}]`);
      return;
    }
    if (ancestors.includes(node)) throw new TypeError('Converting circular structure to JSON');
    ancestors.push(node);
    const record = node as Record<string, unknown>;
    out.write('{');
    let separator = inner;
    const keys = sortedKeys(record);
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index]!;
      policy.checkKey(key);
      const member = policy.prepare(record[key]);
      if (member === OMITTED) continue;
      out.write(`${separator}${jsonString(key)}: `);
      separator = `,${inner}`;
      write(member, level + 1);
    }
    out.write(`${lineBreak(level)}}`);
    ancestors.pop();
  };

  write(first, 0);
  return out.bytes();
}

/** UTF-8 bytes of `json-stable-stringify(value, { space: 2 })`; `undefined` when it writes nothing. */
export function stableJsonBytes(value: unknown): Buffer | undefined {
  return writeJson(value, ANY_VALUE);
}

/**
 * The bytes of `stableJsonBytes(plainCopy(value))` without making the copy, or NOT_PLAIN when
 * plainCopy would say so (a value that might hold a token). Nothing is written for a value that is
 * undefined.
 */
export function plainStableJsonBytes(value: unknown): Buffer | undefined | typeof NOT_PLAIN {
  try {
    return writeJson(value, PLAIN_VALUE);
  } catch (error) {
    if (error instanceof NotPlainError) return NOT_PLAIN;
    throw error;
  }
}
