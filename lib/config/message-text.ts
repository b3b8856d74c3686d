/**
 * The one formatter of values shown in messages. A value prints as what it really is (NaN, -0,
 * 9001n, Infinity), and no character of it can steer the terminal or reorder the line: control
 * characters (C0, DEL, C1), format characters (bidi overrides and isolates, zero-width marks) and
 * line or paragraph separators print as `\uXXXX` escapes.
 */

/** Characters escaped wherever text of the configuration reaches a message. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

function escapeCodeUnits(character: string): string {
  return [...Array(character.length).keys()].map((i) => `\\u${character.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');
}

/** `text` with every unsafe character written as a `\uXXXX` escape; plain text is unchanged. */
export function escapeUnsafeCharacters(text: string): string {
  return text.replace(UNSAFE, escapeCodeUnits);
}

/** A string in double quotes, JSON-escaped and with every unsafe character escaped too. */
export function quoteText(text: string): string {
  return escapeUnsafeCharacters(JSON.stringify(text));
}

const MAX_SHOWN = 80;
const MAX_DEPTH = 4;

function formatNumber(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

function formatKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : quoteText(key);
}

function render(value: unknown, depth: number, seen: Set<object>): string {
  switch (typeof value) {
    case 'undefined': return 'undefined';
    case 'string': return quoteText(value);
    case 'number': return formatNumber(value);
    case 'bigint': return `${value}n`;
    case 'boolean': return String(value);
    case 'symbol': return escapeUnsafeCharacters(value.toString());
    case 'function': return 'a function';
  }
  if (value === null) return 'null';
  const object = value as object;
  if (seen.has(object)) return '(itself)';
  if (depth >= MAX_DEPTH) return Array.isArray(object) ? '[…]' : '{…}';
  seen.add(object);
  try {
    if (Array.isArray(object)) return `[${Array.from(object, (item) => render(item, depth + 1, seen)).join(',')}]`;
    // Own enumerable data only: formatting never runs a getter of the configuration.
    const entries = Object.entries(Object.getOwnPropertyDescriptors(object))
      .filter(([, descriptor]) => descriptor.enumerable && 'value' in descriptor)
      .map(([key, descriptor]) => `${formatKey(key)}:${render(descriptor.value, depth + 1, seen)}`);
    return `{${entries.join(',')}}`;
  } finally {
    seen.delete(object);
  }
}

/** A value as a message shows it: `nothing` for undefined, JSON-like otherwise, shortened past 80 characters. */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value instanceof ValueDescription) return value.text;
  let text: string;
  try {
    text = render(value, 0, new Set());
  } catch {
    text = 'an unprintable value';
  }
  if (text.length <= MAX_SHOWN) return text;
  // Cut by code points, so no surrogate pair is split; a string's own length, not its quoted one.
  return `${Array.from(text).slice(0, 60).join('')}… (${typeof value === 'string' ? value.length : text.length} characters)`;
}

/** A value that cannot be shown as data (a getter, a class instance): the message says what it is. */
export class ValueDescription {
  constructor(readonly text: string) {}
}
