/**
 * Text from the disk (directory names, marker fields, link targets) shown to people. A name can hold
 * any byte but `/` and NUL: escape sequences that recolour or rewrite the terminal, a newline that
 * forges a plan line, bidi controls that show text in another order than it is (U+202E), markdown
 * or HTML that changes a pull-request comment. Every renderer passes such text through here.
 */

/**
 * C0 controls (newline and ESC included), DEL, C1 controls, and the bidi and direction marks
 * (U+200E/200F, U+202A-202E, U+2066-2069, U+061C), plus U+2028/2029 (line and paragraph separators).
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function codeEscape(character: string): string {
  const code = character.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * For a terminal: every unprintable or direction-changing character as `\xNN` or `\uNNNN`, and the
 * backslash as `\\`, so an escaped name cannot pass for another one.
 */
export function escapeForTerminal(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(UNPRINTABLE, codeEscape);
}

const MARKDOWN_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * For markdown (a GitHub pull-request comment): escaped for a terminal first (no newline, control or
 * bidi character survives), then HTML's `& < >` as entities and the markdown punctuation that can
 * start markup inside a line (`\ \` * _ [ ] | ~`; links and images need `[`) behind a backslash, so
 * the text shows as itself, even in a table cell.
 */
export function escapeMarkdown(text: string): string {
  return escapeForTerminal(text)
    .replace(/[\\`*_[\]|~]/g, (character) => `\\${character}`)
    .replace(/[&<>]/g, (character) => MARKDOWN_ENTITIES[character]!);
}

/**
 * For JSON meant to be read by machines but often printed: JSON.stringify escapes C0 controls but
 * leaves C1, bidi and separator characters raw; those become `\uNNNN` too (the same JSON value).
 */
export function escapeJsonText(json: string): string {
  return json.replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
