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
 */

const CHUNK_BYTES = 1 << 20;
/** Text gathered before it is encoded: one Buffer write per piece of JSON costs more than the piece. */
const PENDING_CHARACTERS = 1 << 14;
const INDENT = '  ';

/** What json-stable-stringify leaves out of an object (and writes as `null` in an array). */
const OMITTED: unique symbol = Symbol('omitted');

/** Growing UTF-8 output in chunks, so that nothing already written is ever copied to grow it. */
class Utf8Chunks {
  private readonly full: Buffer[] = [];
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private pending = '';

  write(text: string): void {
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
    // A UTF-16 code unit never takes more than three UTF-8 bytes.
    if (text.length * 3 > this.chunk.length - this.used) {
      this.full.push(this.chunk.subarray(0, this.used));
      this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, text.length * 3));
      this.used = 0;
    }
    this.used += this.chunk.write(text, this.used);
  }
}

/** The node as json-stable-stringify writes it: after `toJSON`, or OMITTED when nothing is written. */
function prepared(node: unknown): unknown {
  // json-stable-stringify tests any truthy value for toJSON, primitives included.
  const withToJson = node as { toJSON?: unknown } | null | undefined;
  const value = withToJson && typeof withToJson.toJSON === 'function' ? (withToJson.toJSON as () => unknown)() : node;
  return value === undefined || typeof value === 'function' || typeof value === 'symbol' ? OMITTED : value;
}

/** UTF-8 bytes of `json-stable-stringify(value, { space: 2 })`; `undefined` when it writes nothing. */
export function stableJsonBytes(value: unknown): Buffer | undefined {
  const first = prepared(value);
  if (first === OMITTED) return undefined;
  const out = new Utf8Chunks();
  const lineBreaks: string[] = [];
  const lineBreak = (level: number): string => (lineBreaks[level] ??= `\n${INDENT.repeat(level)}`);
  // The objects being written, outermost first: json-stable-stringify's cycle check.
  const ancestors: object[] = [];

  const write = (node: unknown, level: number): void => {
    if (node === null || typeof node !== 'object') {
      out.write(JSON.stringify(node) as string);
      return;
    }
    const inner = lineBreak(level + 1);
    if (Array.isArray(node)) {
      out.write('[');
      for (let index = 0; index < node.length; index++) {
        out.write(index === 0 ? inner : `,${inner}`);
        const element = prepared(node[index]);
        if (element === OMITTED) out.write('null');
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
    for (const key of Object.keys(record).sort()) {
      const member = prepared(record[key]);
      if (member === OMITTED) continue;
      out.write(`${separator}${JSON.stringify(key)}: `);
      separator = `,${inner}`;
      write(member, level + 1);
    }
    out.write(`${lineBreak(level)}}`);
    ancestors.pop();
  };

  write(first, 0);
  return out.bytes();
}
